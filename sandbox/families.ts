import { dnsSandbox } from './dns/index.js';
import { pgSandbox } from './pg/index.js';
import { redisSandbox } from './redis/index.js';
import { repoSandbox } from './repo/index.js';
import type { SandboxFamily } from './types.js';
import { vercelSandbox } from './vercel/index.js';

/** Every piece of the local stack; each starts only when the profile's stack has a section for it. */
export const SANDBOX_FAMILIES: readonly SandboxFamily[] = [pgSandbox, redisSandbox, repoSandbox, dnsSandbox, vercelSandbox];
