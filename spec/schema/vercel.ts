import { z } from 'zod';
import { hostname } from './common.js';

export const vercelSchema = z.strictObject({
  project: z.string().regex(/^[a-z0-9._-]{1,100}$/, { message: 'must be a Vercel project name (lower-case letters, digits, . _ -)' }),
  team: z.string().optional(),
  framework: z.string().default('nextjs'),
  /** Defaults to app.domain. */
  domain: hostname.optional(),
  git: z.strictObject({ type: z.enum(['github', 'gitlab', 'bitbucket']).default('github'), repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/, { message: 'must be owner/name' }), productionBranch: z.string().default('main') }).optional(),
  firewall: z.strictObject({ enabled: z.boolean().default(true), managedRulesets: z.array(z.string()).default(['owasp']), ipBlocks: z.array(z.string()).default([]) }).optional(),
});

export type VercelSpec = z.output<typeof vercelSchema>;
