import { z } from 'zod';
import { httpsUrl, positiveInt, urlPath } from './common.js';

export const OBSERVATORY_GRADES = ['A+', 'A', 'A-', 'B+', 'B', 'B-', 'C+', 'C', 'C-', 'D+', 'D', 'D-', 'F'] as const;

/** The headers http.security-headers can require; frame-ancestors is CSP frame-ancestors or X-Frame-Options. */
export const SECURITY_HEADERS = ['strict-transport-security', 'content-security-policy', 'x-content-type-options', 'frame-ancestors', 'referrer-policy'] as const;
export const REFERRER_POLICIES = [
  'no-referrer',
  'no-referrer-when-downgrade',
  'origin',
  'origin-when-cross-origin',
  'same-origin',
  'strict-origin',
  'strict-origin-when-cross-origin',
  'unsafe-url',
] as const;

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
    /**
     * http.security-headers judges each of these headers on its own, beside the Observatory grade: a header
     * missing here fails even when the grade is high. HSTS uses hstsMinMaxAgeDays.
     */
    securityHeaders: z
      .strictObject({
        required: z.array(z.enum(SECURITY_HEADERS)).default([...SECURITY_HEADERS]),
        /** Referrer-Policy values that count as safe. */
        referrerPolicies: z.array(z.enum(REFERRER_POLICIES)).min(1).default(['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin']),
      })
      .prefault({}),
    /** http.cdn-caching: how long the edge may keep HTML, and where hashed (content-addressed) assets live. */
    caching: z
      .strictObject({
        htmlMaxAgeSeconds: z.number().int().min(0).default(600),
        hashedAssetPrefixes: z.array(urlPath).default(['/_next/static/']),
      })
      .prefault({}),
    /** http.api.models: the model-discovery route and the catalogue it must list. */
    models: z
      .strictObject({
        path: urlPath.default('/api/models'),
        /** The JSON key holding the array of models (each a string id or an object with an id). */
        listKey: z.string().min(1).default('models'),
        minCount: z.number().int().min(0),
        maxCount: z.number().int().min(1).max(100_000),
        /** Model ids that must be in the catalogue. */
        required: z.array(z.string().min(1)).default([]),
      })
      .optional(),
    /**
     * http.rate-limit.per-identity (--active): a burst per tier with that tier's test identity (targets
     * http.identities.<tier>); each tier must be allowed its own limit and stopped just past it.
     */
    tieredRateLimits: z
      .array(
        z.strictObject({
          path: urlPath,
          method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('POST'),
          windowSeconds: positiveInt,
          tiers: z.record(z.string(), positiveInt.max(1000)),
        }),
      )
      .default([]),
  })
  .superRefine((h, ctx) => {
    if (h.models && h.models.minCount > h.models.maxCount) {
      ctx.addIssue({ code: 'custom', path: ['models', 'minCount'], message: `is ${h.models.minCount}, above maxCount ${h.models.maxCount}` });
    }
    h.tieredRateLimits.forEach((t, i) => {
      for (const name of Object.keys(t.tiers)) {
        if (!/^[a-z][a-z0-9_-]*$/.test(name)) ctx.addIssue({ code: 'custom', path: ['tieredRateLimits', i, 'tiers', name], message: 'must be a tier name in lower case (free, pro, tenant-a)' });
      }
      const limits = Object.values(t.tiers);
      if (limits.length < 2) ctx.addIssue({ code: 'custom', path: ['tieredRateLimits', i, 'tiers'], message: 'must name at least two tiers (e.g. free: 20, pro: 100): one tier has nothing to differ from' });
      else if (new Set(limits).size === 1) ctx.addIssue({ code: 'custom', path: ['tieredRateLimits', i, 'tiers'], message: `gives every tier the same limit (${limits[0]}): use http.rateLimits for a single limit` });
    });
    h.cors.allowedOrigins.forEach((o, i) => {
      if (o === '*') ctx.addIssue({ code: 'custom', path: ['cors', 'allowedOrigins', i], message: 'must not be "*": list the origins that may call the API' });
    });
  });

export type HttpSpec = z.output<typeof httpSchema>;
