import { pgSandbox } from './pg/index.js';
import { redisSandbox } from './redis/index.js';
import type { SandboxFamily } from './types.js';

/** Every piece of the local stack; each starts only when the profile's stack has a section for it. */
export const SANDBOX_FAMILIES: readonly SandboxFamily[] = [pgSandbox, redisSandbox];
