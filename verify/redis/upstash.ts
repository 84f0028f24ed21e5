import type { TargetFamily } from '../types.js';
import { UPSTASH_CHECKS } from './upstash-checks.js';
import { upstashCollector, type UpstashSnapshot } from './upstash-collect.js';

export type { UpstashSnapshot } from './upstash-collect.js';
export type { UpstashDatabase } from './upstash-api.js';
export { UpstashApiClient, UpstashApiError } from './upstash-api.js';
export { upstashCollector } from './upstash-collect.js';
export { planLimits, UPSTASH_CHECKS } from './upstash-checks.js';

/** The Upstash Developer API's views of the redis.* controls that Upstash's Redis does not expose (CONFIG, parts of INFO). */
export const upstashFamily: TargetFamily<UpstashSnapshot> = { collector: upstashCollector, checks: UPSTASH_CHECKS };
