import { z } from 'zod';
import { positiveInt, qualifiedName } from './common.js';

/**
 * `prodcheck:neon`: what only a Neon-hosted Postgres (Vercel Postgres) is asked beyond prodcheck:postgres.
 * The project, its key and the production branch are where the live system is: they live in the targets file.
 */
export const neonSchema = z.strictObject({
  /**
   * pg.backups.restore-test (--active only): a branch is created from the production branch as it was
   * `ageMinutes` ago, `table` is counted there (at least `minRows` rows), and the branch is deleted.
   */
  restoreTest: z
    .strictObject({
      table: qualifiedName,
      minRows: z.number().int().min(0).default(1),
      /** How far back the branch is taken; inside the project's history retention. At most 30 days. */
      ageMinutes: positiveInt.max(43_200).default(60),
    })
    .optional(),
});

export type NeonSpec = z.output<typeof neonSchema>;
