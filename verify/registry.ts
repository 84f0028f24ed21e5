import { pgFamily } from './pg/index.js';
import { redisFamily } from './redis/index.js';
import type { TargetFamily } from './types.js';

/** Every target family verify knows. Each family's checks carry catalogue ids; coverage is computed from them. */
export const FAMILIES: readonly TargetFamily<unknown>[] = [pgFamily, redisFamily] as readonly TargetFamily<unknown>[];
