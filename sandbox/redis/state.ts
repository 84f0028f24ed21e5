import { setTimeout as delay } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { RedisSpec, StackSpec } from '../../spec/index.js';

const MiB = 1024 * 1024;
/** maxmemory when the spec names no plan size: redis.maxmemory only asks for a limit above 0. */
export const DEFAULT_SANDBOX_MAXMEMORY_MB = 64;
/** Seeded keys per spec prefix: enough for a TTL sample, small enough to seed in one pipeline. */
export const SEEDED_KEYS_PER_PREFIX = 25;
/** Cache reads of the seeded keys, so the hit rate has lookups to judge. */
const SEEDED_HITS_PER_KEY = 4;
const RDB_SCHEDULE = '3600 1 300 100 60 10000';
const AOF_REWRITE_TIMEOUT_MS = 10_000;

export function redisSpecOf(spec: StackSpec): RedisSpec {
  if (!spec.redis) throw new Error('the stack config has no prodcheck:redis section');
  return spec.redis;
}

/** What the sandbox sets maxmemory to for this spec. */
export function sandboxMaxmemoryBytes(r: RedisSpec): number {
  return (r.maxmemoryMb ?? DEFAULT_SANDBOX_MAXMEMORY_MB) * MiB;
}

/** The key the sandbox seeds as number i under a spec prefix. */
export const seededKey = (prefix: string, i: number): string => `${prefix}sandbox-${i}`;

/**
 * Brings a real redis-server to the spec's desired state, so that every redis check passes: eviction
 * policy, maxmemory, persistence, keys under each spec prefix carrying their TTL, and cache reads that hit.
 * Stats are reset first, so evictions and the hit rate describe this sandbox run only.
 */
export async function applyRedisState(admin: Redis, spec: StackSpec): Promise<void> {
  const r = redisSpecOf(spec);
  await admin.config('SET', 'maxmemory-policy', r.evictionPolicy);
  await admin.config('SET', 'maxmemory', String(sandboxMaxmemoryBytes(r)));
  const aof = r.persistence === 'aof' || r.persistence === 'aof+rdb';
  const rdb = r.persistence === 'rdb' || r.persistence === 'aof+rdb';
  await admin.config('SET', 'appendonly', aof ? 'yes' : 'no');
  await admin.config('SET', 'save', rdb ? RDB_SCHEDULE : '');
  if (aof) await waitForInitialAof(admin);
  await admin.config('RESETSTAT');

  const seed = admin.pipeline();
  for (const k of r.keys) {
    for (let i = 0; i < SEEDED_KEYS_PER_PREFIX; i++) seed.set(seededKey(k.prefix, i), `cached value ${i}`, 'EX', k.ttlSeconds);
  }
  await execAll(seed);
  const reads = admin.pipeline();
  for (const k of r.keys) {
    for (let n = 0; n < SEEDED_HITS_PER_KEY; n++) for (let i = 0; i < SEEDED_KEYS_PER_PREFIX; i++) reads.get(seededKey(k.prefix, i));
  }
  await execAll(reads);
}

/**
 * Turning AOF on starts a rewrite that writes the first AOF file; until it is done Redis refuses a
 * SIGTERM shutdown ("Writing initial AOF, can't exit") and the server would only die by SIGKILL.
 */
async function waitForInitialAof(admin: Redis): Promise<void> {
  const deadline = Date.now() + AOF_REWRITE_TIMEOUT_MS;
  for (;;) {
    const info = await admin.info('persistence');
    if (/^aof_rewrite_in_progress:0\r?$/m.test(info) && /^aof_rewrite_scheduled:0\r?$/m.test(info)) return;
    if (Date.now() > deadline) throw new Error(`redis AOF rewrite still running after ${AOF_REWRITE_TIMEOUT_MS / 1000} s`);
    await delay(20);
  }
}

/** Runs a pipeline and throws its first command error, which ioredis would otherwise return quietly. */
export async function execAll(pipeline: ReturnType<Redis['pipeline']>): Promise<unknown[]> {
  const replies = (await pipeline.exec()) ?? [];
  return replies.map(([err, reply]) => {
    if (err) throw err;
    return reply;
  });
}
