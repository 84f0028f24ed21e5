import type { TargetFamily } from '../types.js';
import { PG_CHECKS } from './checks.js';
import type { PgSnapshot } from './collect.js';
import { pgCollector } from './collect.js';

export const pgFamily: TargetFamily<PgSnapshot> = { collector: pgCollector, checks: PG_CHECKS };

export * from './checks.js';
export { pgCollector, pgConnection, connectPg, PgConfigError, PgConnectError } from './collect.js';
export type { PgSnapshot, PgTarget } from './collect.js';
