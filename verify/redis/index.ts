import type { TargetFamily } from '../types.js';
import { REDIS_CHECKS } from './checks.js';
import { redisCollector, type RedisSnapshot } from './collect.js';

export type { RedisSnapshot } from './collect.js';
export { RedisUnreachableError } from './collect.js';
export * from './checks.js';

export const redisFamily: TargetFamily<RedisSnapshot> = { collector: redisCollector, checks: REDIS_CHECKS };
export * from './upstash.js';
