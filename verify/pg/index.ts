import type { TargetFamily } from '../types.js';
import { PG_CHECKS } from './checks/index.js';
import { pgCollector } from './collect.js';
import type { PgSnapshot } from './snapshot.js';

export const pgFamily: TargetFamily<PgSnapshot> = { collector: pgCollector, checks: PG_CHECKS };

export * from './checks/index.js';
export { pgCollector } from './collect.js';
export { pgConnection, connectPg, PgConfigError, PgConnectError } from './connection.js';
export type { PgSnapshot, PgTarget } from './snapshot.js';
