import type { TargetFamily } from '../types.js';
import { llmLitellmRegistry } from '../litellm/registry.js';
import { PG_CHECKS } from './checks/index.js';
import { pgCollector } from './collect.js';
import type { PgSnapshot } from './snapshot.js';

/** The pg checks, and llm.litellm.registry, which reads the app's LiteLLM servers table over the same connection. */
export const pgFamily: TargetFamily<PgSnapshot> = { collector: pgCollector, checks: [...PG_CHECKS, llmLitellmRegistry] };

export * from './checks/index.js';
export { pgCollector } from './collect.js';
export { pgConnection, connectPg, PgConfigError, PgConnectError } from './connection.js';
export type { PgSnapshot, PgTarget } from './snapshot.js';
