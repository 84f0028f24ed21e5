import type { TargetFamily } from '../types.js';
import { NEON_CHECKS } from './checks.js';
import type { NeonSnapshot } from './collect.js';
import { neonCollector } from './collect.js';

/** Neon / Vercel Postgres, judged from Neon's API: history retention, IP Allow, the protected production branch, the pooled URL. */
export const neonFamily: TargetFamily<NeonSnapshot> = { collector: neonCollector, checks: NEON_CHECKS };

export * from './checks.js';
export { neonCollector, productionBranch } from './collect.js';
export type { NeonBranch, NeonEndpoint, NeonProject, NeonSnapshot, RestoreTest } from './collect.js';
