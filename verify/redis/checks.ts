import type { Finding } from '../types.js';
import type { RedisSnapshot } from './collect.js';
import { cannot, cannotOrUpstash, infoField, infoNumber, mb, MiB, ms, pct, reachedCheck, withSpec } from './common.js';
import { redisConnectivity, redisTls } from './transport-checks.js';
import type { Check } from '../types.js';

/** Managed plans round their memory limits (ElastiCache node types, Upstash plans): "~ 100 MB" in the catalogue. */
const MAXMEMORY_TOLERANCE = 0.05;
/** Key names are fine in a report, but a long list is noise: name a few, count the rest. */
const LISTED_KEYS = 3;
const KEY_NAME_CHARS = 64;

function keyList(names: readonly string[]): string {
  const shown = names.slice(0, LISTED_KEYS).map((n) => (n.length > KEY_NAME_CHARS ? `${n.slice(0, KEY_NAME_CHARS)}…` : n));
  return names.length > LISTED_KEYS ? `${shown.join(', ')}, …` : shown.join(', ');
}

export { redisConnectivity, redisTls } from './transport-checks.js';

export const redisEvictionPolicy = reachedCheck('redis.eviction-policy', (s, spec) =>
    withSpec(spec, (r) => {
      const policy = infoField(s, 'maxmemory_policy');
      if (!policy.ok) return [cannotOrUpstash(r, 'read Redis maxmemory-policy', policy)];
      const expected = r.evictionPolicy;
      return policy.value === expected
        ? [{ status: 'pass', message: `Redis maxmemory-policy is ${expected}.`, expected, actual: policy.value }]
        : [{ status: 'fail', message: `Redis maxmemory-policy must be ${expected} (found ${policy.value}).`, expected, actual: policy.value }];
    }),
);

export const redisPersistence = reachedCheck('redis.persistence', (s, spec) =>
    withSpec(spec, (r) => {
      const expected = r.persistence;
      if (expected === 'none') return [{ status: 'skip', message: 'Redis persistence is not required (spec redis.persistence is none).' }];
      const wantAof = expected === 'aof' || expected === 'aof+rdb';
      const wantRdb = expected === 'rdb' || expected === 'aof+rdb';
      const aof = infoField(s, 'aof_enabled');
      if (!aof.ok) return [cannotOrUpstash(r, 'read Redis persistence', aof)];
      const aofOn = aof.value === '1';
      const aofHealthy = !aofOn || (s.info.ok && s.info.value.aof_last_write_status !== 'err');
      // INFO has no field saying whether RDB snapshots are scheduled; only CONFIG GET save does.
      if (wantRdb && !s.rdbSchedule.ok) {
        const why = `CONFIG GET save failed (${s.rdbSchedule.error})`;
        // Upstash refuses CONFIG to every token: its snapshots are daily backups, which the upstash target reads.
        if (r.provider === 'upstash') return [{ status: 'skip', message: `Upstash does not expose its snapshot schedule (${why}): it is judged from the Upstash Developer API (targets upstash).` }];
        return [cannot('read the Redis RDB snapshot schedule', why)];
      }
      const rdbOn = s.rdbSchedule.ok ? s.rdbSchedule.value.trim() !== '' : undefined;
      const rdbHealthy = !rdbOn || (s.info.ok && s.info.value.rdb_last_bgsave_status !== 'err');
      const parts = [`AOF ${aofOn ? 'on' : 'off'}${aofHealthy ? '' : ' (last write failed)'}`];
      if (rdbOn !== undefined) parts.push(`RDB snapshots ${rdbOn ? 'on' : 'off'}${rdbHealthy ? '' : ' (last save failed)'}`);
      const actual = parts.join(', ');
      const ok = (!wantAof || (aofOn && aofHealthy)) && (!wantRdb || (rdbOn === true && rdbHealthy));
      return ok
        ? [{ status: 'pass', message: `Redis persistence is ${expected} (${actual}).`, expected, actual }]
        : [{ status: 'fail', message: `Redis persistence must be ${expected} (found ${actual}).`, expected, actual }];
    }),
);

export const redisMaxmemory = reachedCheck('redis.maxmemory', (s, spec) =>
    withSpec(spec, (r) => {
      const found = infoNumber(s, 'maxmemory');
      if (!found.ok) return [cannot('read Redis maxmemory', found.why)];
      const actual = found.value === 0 ? '0, no limit' : mb(found.value);
      if (r.maxmemoryMb === undefined) {
        return found.value > 0
          ? [{ status: 'pass', message: `Redis maxmemory is ${actual}.`, expected: 'a limit above 0', actual }]
          : [{ status: 'fail', message: `Redis maxmemory must be set (found ${actual}).`, expected: 'a limit above 0', actual }];
      }
      const want = r.maxmemoryMb * MiB;
      const expected = mb(want);
      return Math.abs(found.value - want) <= want * MAXMEMORY_TOLERANCE
        ? [{ status: 'pass', message: `Redis maxmemory is ${actual}.`, expected, actual }]
        : [{ status: 'fail', message: `Redis maxmemory must be ${expected} (found ${actual}).`, expected, actual }];
    }),
);

/** Nearest-rank percentile: a value that was actually measured, never an interpolation. */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}

export const redisLatency = reachedCheck('redis.latency', (s, spec) =>
    withSpec(spec, (r) => {
      if (!s.latency.ok) return [cannot('time Redis PINGs', s.latency.error)];
      const samples = s.latency.value.samplesMs;
      if (samples.length === 0) return [cannot('time Redis PINGs', 'no PING was timed')];
      const p95 = percentile(samples, 95);
      const { method } = s.latency.value;
      const expected = `p95 at most ${ms(r.latencyP95Ms)}`;
      const actual = `p95 ${ms(p95)} over ${samples.length} PINGs`;
      return p95 <= r.latencyP95Ms
        ? [{ status: 'pass', message: `Redis p95 latency is ${ms(p95)} (limit ${ms(r.latencyP95Ms)}), measured with ${method}.`, expected, actual }]
        : [{ status: 'fail', message: `Redis p95 latency must be at most ${ms(r.latencyP95Ms)} (found ${ms(p95)}, measured with ${method}).`, expected, actual }];
    }),
);

export const redisEvictions = reachedCheck('redis.evictions', (s, spec) =>
    withSpec(spec, (r) => {
      const evicted = infoNumber(s, 'evicted_keys');
      if (!evicted.ok) return [cannot('read Redis evictions', evicted.why)];
      const expected = `at most ${r.maxEvictions} evicted keys`;
      const actual = `${evicted.value} evicted keys`;
      return evicted.value <= r.maxEvictions
        ? [{ status: 'pass', message: `Redis evicted ${evicted.value} keys since its stats were last reset (at most ${r.maxEvictions} allowed).`, expected, actual }]
        : [{ status: 'fail', message: `Redis must evict at most ${r.maxEvictions} keys (found ${evicted.value} evicted since its stats were last reset).`, expected, actual }];
    }),
);

export const redisCacheHitRate = reachedCheck('redis.cache-hit-rate', (s, spec) =>
    withSpec(spec, (r) => {
      const hits = infoNumber(s, 'keyspace_hits');
      if (!hits.ok) return [cannot('read the Redis cache hit rate', hits.why)];
      const misses = infoNumber(s, 'keyspace_misses');
      if (!misses.ok) return [cannot('read the Redis cache hit rate', misses.why)];
      const lookups = hits.value + misses.value;
      // A ratio of a handful of lookups (the app just started, or its stats were just reset) says nothing yet.
      if (lookups < r.minCacheLookups) {
        return [
          {
            status: 'skip',
            message: `Redis has served ${lookups} key lookups since its stats were last reset, fewer than the ${r.minCacheLookups} needed to judge a hit rate (spec redis.minCacheLookups).`,
          },
        ];
      }
      const rate = hits.value / lookups;
      const expected = `at least ${pct(r.minCacheHitRate)}`;
      const actual = `${pct(rate)} (${hits.value} hits, ${misses.value} misses)`;
      return rate >= r.minCacheHitRate
        ? [{ status: 'pass', message: `Redis cache hit rate is ${pct(rate)} from ${hits.value} hits and ${misses.value} misses (at least ${pct(r.minCacheHitRate)} required).`, expected, actual }]
        : [{ status: 'fail', message: `Redis cache hit rate must be at least ${pct(r.minCacheHitRate)} (found ${pct(rate)} from ${hits.value} hits and ${misses.value} misses).`, expected, actual }];
    }),
);

export const redisUsage = reachedCheck('redis.usage', (s, spec) =>
    withSpec(spec, (r) => {
      const used = infoNumber(s, 'used_memory');
      if (!used.ok) return [cannot('read Redis memory usage', used.why)];
      // The plan limit is what the spec says was bought; maxmemory is only the fallback when the spec is silent.
      let limit: number | undefined;
      if (r.maxmemoryMb !== undefined) {
        limit = r.maxmemoryMb * MiB;
      } else {
        const max = infoNumber(s, 'maxmemory');
        if (!max.ok) return [cannot('read Redis memory usage', max.why)];
        limit = max.value > 0 ? max.value : undefined;
      }
      if (limit === undefined) return [{ status: 'skip', message: 'Redis usage has no limit to compare with (no spec redis.maxmemoryMb and maxmemory is 0).' }];
      const ratio = used.value / limit;
      const allowed = r.maxUsagePct / 100;
      const expected = `at most ${pct(allowed)} of ${mb(limit)}`;
      const actual = `${mb(used.value)} (${pct(ratio)})`;
      return ratio <= allowed
        ? [{ status: 'pass', message: `Redis uses ${mb(used.value)} of ${mb(limit)} (${pct(ratio)}, at most ${pct(allowed)} allowed).`, expected, actual }]
        : [{ status: 'fail', message: `Redis memory usage must be at most ${pct(allowed)} of ${mb(limit)} (found ${mb(used.value)}, ${pct(ratio)}).`, expected, actual }];
    }),
);

export const redisTtl = reachedCheck('redis.ttl', (s, spec) =>
    withSpec(spec, (r) => {
      if (r.keys.length === 0) return [{ status: 'skip', message: 'No key prefixes are listed in spec redis.keys, so no TTL sample was taken.' }];
      return r.keys.map((k): Finding => {
        const resource = k.prefix;
        const sample = s.ttl.find((t) => t.prefix === k.prefix);
        if (!sample) return { status: 'error', resource, message: `Could not sample keys under "${k.prefix}": the collector took no sample for it.` };
        if (!sample.keys.ok) return { status: 'error', resource, message: `Could not sample keys under "${k.prefix}": ${sample.keys.error}.` };
        const keys = sample.keys.value.keys;
        if (keys.length === 0) return { status: 'skip', resource, message: `No keys under "${k.prefix}" were found to sample.` };
        const noTtl = keys.filter((x) => x.ttlSeconds === -1).map((x) => x.name);
        const tooLong = keys.filter((x) => x.ttlSeconds > k.ttlSeconds).map((x) => x.name);
        const expected = `every sampled key expires within ${k.ttlSeconds} s`;
        if (noTtl.length === 0 && tooLong.length === 0) {
          return { status: 'pass', resource, message: `Keys under "${k.prefix}" expire within ${k.ttlSeconds} s (${keys.length} sampled).`, expected, actual: `${keys.length} sampled, all within` };
        }
        const counts = [
          noTtl.length > 0 ? `${noTtl.length} without a TTL` : undefined,
          tooLong.length > 0 ? `${tooLong.length} with a TTL above ${k.ttlSeconds} s` : undefined,
        ].filter((x) => x !== undefined);
        const actual = `${counts.join(' and ')} among ${keys.length} sampled`;
        return {
          status: 'fail',
          resource,
          message: `Keys under "${k.prefix}" must expire within ${k.ttlSeconds} s (found ${actual}: ${keyList([...noTtl, ...tooLong])}).`,
          expected,
          actual,
        };
      });
    }),
);

/**
 * The catalogue's env.redis-url verify step ends with "read-only token rejected for SET": the
 * KV_REST_API_READ_ONLY_TOKEN the app ships must not be able to write. It is judged here because only
 * the redis collector talks to Upstash; its id is env.redis-url, the control that owns that token.
 */
export const envRedisUrl = reachedCheck('env.redis-url', (s) => {
  const resource = 'Upstash read-only token';
  const expected = 'SET refused with NOPERM';
  if (s.readOnlyToken === undefined) {
    return [{ status: 'skip', resource, message: 'No Upstash read-only token is configured (targets redis.upstash.readOnlyToken), so its write refusal was not checked.' }];
  }
  if (!s.readOnlyToken.ok) return [{ ...cannot('check the Upstash read-only token', s.readOnlyToken.error), resource }];
  return s.readOnlyToken.value.refused
      ? [{ status: 'pass', resource, message: 'The Upstash read-only token is refused writes (SET answered NOPERM).', expected, actual: 'SET answered NOPERM' }]
      : [{ status: 'fail', resource, message: 'The Upstash read-only token must be refused writes (found SET accepted).', expected, actual: 'SET accepted' }];
});

export const REDIS_CHECKS: readonly Check<RedisSnapshot>[] = [
  redisConnectivity,
  redisTls,
  redisEvictionPolicy,
  redisPersistence,
  redisMaxmemory,
  redisLatency,
  redisEvictions,
  redisCacheHitRate,
  redisUsage,
  redisTtl,
  envRedisUrl,
];
