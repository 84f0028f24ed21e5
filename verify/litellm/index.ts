import type { TargetFamily } from '../types.js';
import { LITELLM_CHECKS } from './checks.js';
import type { LitellmSnapshot } from './collect.js';
import { litellmCollector } from './collect.js';

/** The LiteLLM proxy the app routes LLM calls through: reachable and ready, serving the models, with working provider keys. */
export const litellmFamily: TargetFamily<LitellmSnapshot> = { collector: litellmCollector, checks: LITELLM_CHECKS };

export * from './checks.js';
export { llmLitellmRegistry, readRegistry } from './registry.js';
export type { RegistryState } from './registry.js';
export { litellmCollector } from './collect.js';
export type { Health, HealthEndpoint, LitellmSnapshot, Readiness } from './collect.js';
