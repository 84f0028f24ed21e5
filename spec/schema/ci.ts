import { z } from 'zod';

const checkName = z.string().min(1).max(200);

/**
 * `prodcheck:ci`: the CI gates production depends on. The repository and production branch default to the
 * Vercel project's git link (prodcheck:vercel.git), so a stack deployed from GitHub names them once.
 */
export const ciSchema = z.strictObject({
  provider: z.literal('github').default('github'),
  /** owner/name on GitHub; default: prodcheck:vercel.git.repo. */
  repository: z
    .string()
    .regex(/^[\w.-]+\/[\w.-]+$/, { message: 'must be owner/name, e.g. acme/web' })
    .optional(),
  /** Default: prodcheck:vercel.git.productionBranch, else main. */
  productionBranch: z.string().min(1).optional(),
  /**
   * The check runs (GitHub Actions job names, app checks) or commit-status contexts that must be green for
   * the commit live in production and required by the production branch's protection or rulesets.
   */
  requiredChecks: z.array(checkName).min(1, { message: 'must name at least one check, e.g. [test, typecheck, lint]' }),
});

export type CiSpec = z.output<typeof ciSchema>;
