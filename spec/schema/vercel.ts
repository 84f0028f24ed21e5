import { z } from 'zod';
import { hostname } from './common.js';

export const vercelSchema = z.strictObject({
  project: z.string().regex(/^[a-z0-9._-]{1,100}$/, { message: 'must be a Vercel project name (lower-case letters, digits, . _ -)' }),
  team: z.string().optional(),
  framework: z.string().default('nextjs'),
  /** Defaults to app.domain. */
  domain: hostname.optional(),
  git: z.strictObject({ type: z.enum(['github', 'gitlab', 'bitbucket']).default('github'), repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/, { message: 'must be owner/name' }), productionBranch: z.string().default('main') }).optional(),
  /** The production deployment's runtime logs: lines that must appear, and errors that must not. */
  logs: z
    .strictObject({
      /** Text each must appear in some runtime log line (a start-up or discovery message), matched case-insensitively. */
      markers: z.array(z.string().min(1).max(200)).default([]),
      /** Error and fatal lines allowed in the window (default none). */
      maxErrors: z.number().int().min(0).default(0),
      /** Minutes after the deployment was created that count (default 60). */
      windowMinutes: z.number().int().positive().max(7 * 24 * 60).default(60),
      /** Error lines that are expected noise, as case-insensitive regexes on the message. */
      ignore: z.array(z.string().refine((r) => { try { new RegExp(r, 'i'); return true; } catch { return false; } }, { message: 'must be a valid regular expression' })).default([]),
    })
    .optional(),
  /** A staging environment (a Vercel custom environment) that deploys a branch before production does. */
  staging: z
    .strictObject({
      slug: z.string().regex(/^[a-z0-9-]{1,32}$/, { message: 'must be a custom environment slug (lower-case letters, digits, -)' }).default('staging'),
      /** The branch it deploys (an exact branch name), when it must be a particular one. */
      branch: z.string().min(1).optional(),
    })
    .optional(),
  /** Where the runtime logs must also go (monitoring.logging): a log drain to this host, e.g. in.logs.betterstack.com. */
  logDrain: z.strictObject({ endpointHost: hostname.optional() }).optional(),
  firewall: z.strictObject({ enabled: z.boolean().default(true), managedRulesets: z.array(z.string()).default(['owasp']), ipBlocks: z.array(z.string()).default([]) }).optional(),
});

export type VercelSpec = z.output<typeof vercelSchema>;
