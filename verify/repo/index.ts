import type { TargetFamily } from '../types.js';
import { REPO_CHECKS } from './checks.js';
import type { RepoSnapshot } from './collect.js';
import { repoCollector } from './collect.js';

export const repoFamily: TargetFamily<RepoSnapshot> = { collector: repoCollector, checks: REPO_CHECKS };

export * from './checks.js';
export { MAX_ENV_EXAMPLE_BYTES, repoCollector } from './collect.js';
export type { IgnoreState, RepoSnapshot } from './collect.js';
export type { AuditResult } from './audit.js';
export { parseAudit, AuditError } from './audit.js';
export type { HistoryScan, SecretHit } from './history.js';
export { secretsInLine } from './history.js';
