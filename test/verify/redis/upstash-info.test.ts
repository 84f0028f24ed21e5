import { describe, expect, it } from 'vitest';
import { parseStackConfig, type StackSpec } from '../../../spec/index.js';
import { redisEvictionPolicy, redisPersistence } from '../../../verify/redis/checks.js';
import type { RedisReached } from '../../../verify/redis/collect.js';

/** Upstash's INFO leaves out maxmemory_policy and the persistence fields, and it refuses CONFIG: the redis family hands those to the upstash target. */
const specOf = (provider: string, redis: Record<string, unknown> = {}): StackSpec =>
  parseStackConfig({ 'prodcheck:app': { name: 'shop', domain: 'shop.example.com' }, 'prodcheck:redis': { provider, ...redis } }, 'inline').spec;

const UPSTASH_INFO = { redis_version: '6.2.6', used_memory: '1048576', evicted_keys: '0', keyspace_hits: '10', keyspace_misses: '0' };
const snap: RedisReached = {
  transport: 'upstash-rest',
  endpoint: 'https://shop-12345.upstash.io',
  ping: 'PONG',
  tls: { scheme: 'https', encrypted: true },
  info: { ok: true, value: UPSTASH_INFO },
  rdbSchedule: { ok: false, error: "NOPERM this user has no permissions to run the 'config|get' command or its subcommand (HTTP 400)" },
  anonymous: { ok: true, value: { accepted: false, answer: 'HTTP 401' } },
  latency: { ok: false, error: 'not measured' },
  ttl: [],
};

describe('redis family on Upstash: what INFO does not show is the Developer API’s to judge', () => {
  it('skips eviction and persistence on Upstash, naming the upstash target', () => {
    expect(redisEvictionPolicy.evaluate(snap, specOf('upstash'))).toEqual([
      { status: 'skip', message: 'Upstash does not expose this over INFO (INFO does not report maxmemory_policy): it is judged from the Upstash Developer API (targets upstash).' },
    ]);
    expect(redisPersistence.evaluate(snap, specOf('upstash'))).toEqual([
      { status: 'skip', message: 'Upstash does not expose this over INFO (INFO does not report aof_enabled): it is judged from the Upstash Developer API (targets upstash).' },
    ]);
    const withAof = { ...snap, info: { ok: true as const, value: { ...UPSTASH_INFO, aof_enabled: '1' } } };
    expect(redisPersistence.evaluate(withAof, specOf('upstash', { persistence: 'rdb' }))).toEqual([
      {
        status: 'skip',
        message:
          "Upstash does not expose its snapshot schedule (CONFIG GET save failed (NOPERM this user has no permissions to run the 'config|get' command or its subcommand (HTTP 400))): it is judged from the Upstash Developer API (targets upstash).",
      },
    ]);
  });

  it('still calls the same gaps errors on a Redis that is not Upstash', () => {
    expect(redisEvictionPolicy.evaluate(snap, specOf('self-hosted'))).toEqual([{ status: 'error', message: 'Could not read Redis maxmemory-policy: INFO does not report maxmemory_policy.' }]);
    expect(redisPersistence.evaluate(snap, specOf('self-hosted'))).toEqual([{ status: 'error', message: 'Could not read Redis persistence: INFO does not report aof_enabled.' }]);
  });

  it('still errors on Upstash when INFO itself failed (an outage, not a hidden field)', () => {
    const failed = { ...snap, info: { ok: false as const, error: 'fetch failed' } };
    expect(redisEvictionPolicy.evaluate(failed, specOf('upstash'))).toEqual([{ status: 'error', message: 'Could not read Redis maxmemory-policy: INFO failed (fetch failed).' }]);
  });
});
