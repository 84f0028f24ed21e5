import { z } from 'zod';
import { httpsUrl, positiveInt, urlPath } from './common.js';

export const OBSERVATORY_GRADES = ['A+', 'A', 'A-', 'B+', 'B', 'B-', 'C+', 'C', 'C-', 'D+', 'D', 'D-', 'F'] as const;

export const httpSchema = z
  .strictObject({
    /** Pages that must answer 200. */
    pages: z.array(urlPath).default(['/']),
    apiSmoke: z.array(z.strictObject({ path: urlPath, method: z.enum(['GET', 'HEAD', 'OPTIONS']).default('GET'), status: z.number().int().min(100).max(599).default(200) })).default([]),
    health: z.array(z.strictObject({ path: urlPath, services: z.array(z.string()).default([]) })).default([]),
    securityHeadersMinGrade: z.enum(OBSERVATORY_GRADES).default('B'),
    cors: z.strictObject({ allowedOrigins: z.array(z.union([httpsUrl, z.literal('*')])).default([]), probePath: urlPath.default('/api/health') }).prefault({}),
    rateLimits: z.array(z.strictObject({ path: urlPath, method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('POST'), limit: positiveInt.max(1000), windowSeconds: positiveInt })).default([]),
    protectedRoutes: z.array(urlPath).default([]),
    sessionCookie: z.string().default('__Secure-next-auth.session-token'),
    tlsMinDaysLeft: z.number().int().min(1).default(14),
    hstsMinMaxAgeDays: z.number().int().min(1).default(180),
    timeoutMs: positiveInt.default(10_000),
  })
  .superRefine((h, ctx) => {
    h.cors.allowedOrigins.forEach((o, i) => {
      if (o === '*') ctx.addIssue({ code: 'custom', path: ['cors', 'allowedOrigins', i], message: 'must not be "*": list the origins that may call the API' });
    });
  });

export type HttpSpec = z.output<typeof httpSchema>;
