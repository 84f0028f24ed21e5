import { describe, expect, it } from 'vitest';
import { findControl } from '../../../checklist/index.js';
import { parseStackConfig, type StackSpec } from '../../../spec/index.js';
import * as checks from '../../../verify/redis/checks.js';
import {
  envRedisUrl,
  percentile,
  REDIS_CHECKS,
  redisCacheHitRate,
  redisConnectivity,
  redisEvictionPolicy,
  redisEvictions,
  redisLatency,
  redisMaxmemory,
  redisPersistence,
  redisTls,
  redisTtl,
  redisUsage,
} from '../../../verify/redis/checks.js';
import type { RedisReached, RedisSnapshot } from '../../../verify/redis/collect.js';
import type { Check } from '../../../verify/types.js';
import type { Finding } from '../../../report/types.js';

const MiB = 1024 * 1024;

function stackSpec(redis: Record<string, unknown> = {}): StackSpec {
  return parseStackConfig(
    {
      'prodcheck:app': { name: 'shop', domain: 'shop.example.com' },
      'prodcheck:redis': { provider: 'elasticache', maxmemoryMb: 100, keys: [{ prefix: 'cache:', ttlSeconds: 3600 }], ...redis },
    },
    'inline',
  ).spec;
}

const SPEC = stackSpec();

const INFO: Record<string, string> = {
  redis_version: '7.2.4',
  tcp_port: '6380',
  maxmemory_policy: 'allkeys-lru',
  maxmemory: String(100 * MiB),
  used_memory: String(20 * MiB),
  aof_enabled: '1',
  aof_last_write_status: 'ok',
  rdb_last_bgsave_status: 'ok',
  evicted_keys: '0',
  keyspace_hits: '900',
  keyspace_misses: '100',
};

const keys = (n: number, ttlSeconds: number, prefix = 'cache:') => Array.from({ length: n }, (_, i) => ({ name: `${prefix}item-${i}`, ttlSeconds }));

const METHOD = '20 PINGs on a dedicated TLS connection after 10 warm-up PINGs, 10 ms apart, with no other check running';
const ANON = { ok: true as const, value: { accepted: false, answer: '-NOAUTH Authentication required.' } };

const BASE: RedisReached = {
  transport: 'tcp',
  endpoint: 'rediss://cache.example.com:6380',
  ping: 'PONG',
  tls: { scheme: 'rediss', encrypted: true, protocol: 'TLSv1.3', plaintext: { ok: true, value: {} } },
  info: { ok: true, value: INFO },
  rdbSchedule: { ok: true, value: '' },
  anonymous: ANON,
  latency: { ok: true, value: { samplesMs: Array.from({ length: 20 }, (_, i) => 1 + i / 10), method: METHOD } },
  ttl: [{ prefix: 'cache:', keys: { ok: true, value: { keys: keys(5, 1800), complete: true } } }],
  readOnlyToken: { ok: true, value: { refused: true } },
};

const snap = (over: Partial<RedisReached> = {}): RedisReached => ({ ...BASE, ...over });
const REJECTED: RedisSnapshot = {
  transport: 'tcp',
  endpoint: 'rediss://cache.example.com:6380',
  tlsRejected: "Hostname/IP does not match certificate's altnames: Host: cache.example.com. is not in the cert's altnames: DNS:wrong-host.invalid (ERR_TLS_CERT_ALTNAME_INVALID)",
};
const withInfo = (fields: Record<string, string | undefined>): RedisSnapshot => {
  const value = { ...INFO, ...fields };
  for (const [k, v] of Object.entries(value)) if (v === undefined) delete value[k];
  return snap({ info: { ok: true, value: value as Record<string, string> } });
};
const judge = (check: Check<RedisSnapshot>, s: RedisSnapshot = BASE, spec: StackSpec = SPEC): Finding[] => check.evaluate(s, spec);
const INFO_FAILED = snap({ info: { ok: false, error: "NOPERM this user has no permissions to run the 'info' command" } });

describe('redis checks: the family', () => {
  it('exports one check per control, named after its catalogue id, with exactly one connectivity check', () => {
    const camel = (id: string) => id.replace(/[.-](\w)/g, (_, c: string) => c.toUpperCase());
    expect(REDIS_CHECKS.map((c) => c.id)).toEqual([
      'redis.connectivity',
      'redis.tls',
      'redis.eviction-policy',
      'redis.persistence',
      'redis.maxmemory',
      'redis.latency',
      'redis.evictions',
      'redis.cache-hit-rate',
      'redis.usage',
      'redis.ttl',
      'env.redis-url',
    ]);
    for (const c of REDIS_CHECKS) {
      expect(findControl(c.id)?.stages).toContain('V');
      expect((checks as Record<string, unknown>)[camel(c.id)]).toBe(c);
      expect(c.target).toBe('redis');
    }
    expect(REDIS_CHECKS.filter((c) => c.connectivity).map((c) => c.id)).toEqual(['redis.connectivity']);
    expect(REDIS_CHECKS.filter((c) => c.active)).toEqual([]);
  });

  it('skips every spec-driven check when the stack has no redis section', () => {
    const noRedis = parseStackConfig({ 'prodcheck:app': { name: 'shop', domain: 'shop.example.com' } }, 'inline').spec;
    expect(judge(redisEvictionPolicy, BASE, noRedis)).toEqual([{ status: 'skip', message: 'The stack config has no prodcheck:redis section.' }]);
  });
});

describe('redis.connectivity', () => {
  it('passes on PONG, naming the version and the endpoint', () => {
    expect(judge(redisConnectivity)).toEqual([
      { status: 'pass', message: 'Redis 7.2.4 answered PING at rediss://cache.example.com:6380.', expected: 'PONG', actual: 'PONG' },
      {
        status: 'pass',
        resource: 'authentication',
        message: 'Redis at rediss://cache.example.com:6380 refuses clients that send no credentials (PING without AUTH answered -NOAUTH Authentication required.).',
        expected: 'a client without credentials refused',
        actual: 'PING without AUTH answered -NOAUTH Authentication required.',
      },
    ]);
    expect(judge(redisConnectivity, INFO_FAILED)[0]?.message).toBe('Redis answered PING at rediss://cache.example.com:6380.');
  });

  it('fails on any other answer', () => {
    expect(judge(redisConnectivity, snap({ ping: 'pong from a proxy' }))[0]).toEqual({
      status: 'fail',
      message: 'Redis must answer PING with PONG at rediss://cache.example.com:6380 (found pong from a proxy).',
      expected: 'PONG',
      actual: 'pong from a proxy',
    });
  });

  it('fails a server that answers clients without credentials, over TCP and over REST', () => {
    expect(judge(redisConnectivity, snap({ anonymous: { ok: true, value: { accepted: true, answer: '+PONG' } } }))[1]).toEqual({
      status: 'fail',
      resource: 'authentication',
      message: 'Redis at rediss://cache.example.com:6380 must refuse clients that send no credentials (found PING without AUTH answered +PONG).',
      expected: 'a client without credentials refused',
      actual: 'PING without AUTH answered +PONG',
    });
    const rest = snap({ transport: 'upstash-rest', endpoint: 'https://eu1-x.upstash.io', anonymous: { ok: true, value: { accepted: true, answer: 'HTTP 200' } } });
    expect(judge(redisConnectivity, rest)[1]?.message).toBe('Redis at https://eu1-x.upstash.io must refuse clients that send no credentials (found a request without a token answered HTTP 200).');
    expect(judge(redisConnectivity, snap({ anonymous: { ok: false, error: 'no answer within 1000 ms' } }))[1]).toEqual({
      status: 'error',
      resource: 'authentication',
      message: 'Could not check that Redis requires authentication: no answer within 1000 ms.',
    });
  });

  it('skips, with every check but redis.tls, when the server certificate was rejected', () => {
    expect(judge(redisConnectivity, REJECTED)).toEqual([
      { status: 'skip', message: 'Redis at rediss://cache.example.com:6380 failed TLS verification, so nothing was sent to it (see redis.tls).' },
    ]);
    for (const c of REDIS_CHECKS.filter((x) => x.id !== 'redis.connectivity' && x.id !== 'redis.tls')) {
      expect(judge(c, REJECTED)).toEqual([
        { status: 'skip', message: 'skipped: Redis at rediss://cache.example.com:6380 failed TLS verification, so nothing was sent to it (see redis.tls).' },
      ]);
    }
  });
});

describe('redis.tls', () => {
  const expected = 'a rediss:// or https:// URL, an encrypted connection, plaintext refused';

  it('fails a server certificate the run does not trust, with the TLS error, whatever the spec says', () => {
    const finding = {
      status: 'fail',
      message:
        "Redis at rediss://cache.example.com:6380 must present a certificate that verifies for its host (found Hostname/IP does not match certificate's altnames: Host: cache.example.com. is not in the cert's altnames: DNS:wrong-host.invalid (ERR_TLS_CERT_ALTNAME_INVALID)); no command or credential was sent.",
      expected: 'a certificate chain to a trusted CA, in date, for the host in the URL',
      actual: "Hostname/IP does not match certificate's altnames: Host: cache.example.com. is not in the cert's altnames: DNS:wrong-host.invalid (ERR_TLS_CERT_ALTNAME_INVALID)",
    };
    expect(judge(redisTls, REJECTED)).toEqual([finding]);
    expect(judge(redisTls, REJECTED, stackSpec({ tls: false }))).toEqual([finding]);
  });

  it('passes over rediss:// with an encrypted socket when plaintext is refused', () => {
    expect(judge(redisTls)).toEqual([{ status: 'pass', message: 'Redis is reached over TLS (TLSv1.3) and refuses plaintext.', expected, actual: 'TLSv1.3, plaintext refused' }]);
  });

  it('passes over an https Upstash REST URL', () => {
    const s = snap({ transport: 'upstash-rest', endpoint: 'https://eu1-x.upstash.io', tls: { scheme: 'https', encrypted: true } });
    expect(judge(redisTls, s)).toEqual([{ status: 'pass', message: 'Redis is reached over TLS (Upstash REST over https).', expected, actual: 'https' }]);
  });

  it('fails a plaintext URL', () => {
    expect(judge(redisTls, snap({ tls: { scheme: 'redis', encrypted: false } }))).toEqual([
      { status: 'fail', message: 'Redis must be reached over TLS (found a plaintext redis:// URL).', expected, actual: 'redis://' },
    ]);
    expect(judge(redisTls, snap({ tls: { scheme: 'http', encrypted: false } }))[0]?.message).toBe('Redis must be reached over TLS (found a plaintext http:// URL).');
  });

  it('fails a rediss:// URL whose connection is not encrypted', () => {
    expect(judge(redisTls, snap({ tls: { scheme: 'rediss', encrypted: false, plaintext: { ok: true, value: {} } } }))).toEqual([
      { status: 'fail', message: 'Redis connection to rediss://cache.example.com:6380 must be encrypted (found plaintext).', expected, actual: 'plaintext connection' },
    ]);
  });

  it('fails when a plaintext PING is answered', () => {
    expect(judge(redisTls, snap({ tls: { scheme: 'rediss', encrypted: true, protocol: 'TLSv1.3', plaintext: { ok: true, value: { answeredOn: 6379 } } } }))).toEqual([
      { status: 'fail', message: 'Redis must refuse plaintext connections (found a plaintext PING answered on port 6379).', expected, actual: 'plaintext PING answered on port 6379' },
    ]);
  });

  it('cannot check when the plaintext probe failed, and skips when the spec does not ask for TLS', () => {
    expect(judge(redisTls, snap({ tls: { scheme: 'rediss', encrypted: true, plaintext: { ok: false, error: 'getaddrinfo EAI_AGAIN cache.example.com' } } }))).toEqual([
      { status: 'error', message: 'Could not check that Redis refuses plaintext: getaddrinfo EAI_AGAIN cache.example.com.' },
    ]);
    expect(judge(redisTls, snap({ tls: { scheme: 'redis', encrypted: false } }), stackSpec({ tls: false }))).toEqual([
      { status: 'skip', message: 'Redis TLS is not required (spec redis.tls is false).' },
    ]);
  });
});

describe('redis.eviction-policy', () => {
  it('passes when INFO maxmemory_policy is the spec’s', () => {
    expect(judge(redisEvictionPolicy)).toEqual([{ status: 'pass', message: 'Redis maxmemory-policy is allkeys-lru.', expected: 'allkeys-lru', actual: 'allkeys-lru' }]);
  });

  it('fails another policy', () => {
    expect(judge(redisEvictionPolicy, withInfo({ maxmemory_policy: 'noeviction' }))).toEqual([
      { status: 'fail', message: 'Redis maxmemory-policy must be allkeys-lru (found noeviction).', expected: 'allkeys-lru', actual: 'noeviction' },
    ]);
    expect(judge(redisEvictionPolicy, BASE, stackSpec({ evictionPolicy: 'volatile-ttl' }))[0]?.message).toBe('Redis maxmemory-policy must be volatile-ttl (found allkeys-lru).');
  });

  it('cannot check without INFO or without the field', () => {
    expect(judge(redisEvictionPolicy, INFO_FAILED)).toEqual([
      { status: 'error', message: "Could not read Redis maxmemory-policy: INFO failed (NOPERM this user has no permissions to run the 'info' command)." },
    ]);
    expect(judge(redisEvictionPolicy, withInfo({ maxmemory_policy: undefined }))).toEqual([
      { status: 'error', message: 'Could not read Redis maxmemory-policy: INFO does not report maxmemory_policy.' },
    ]);
  });
});

describe('redis.persistence', () => {
  it('passes aof with AOF on', () => {
    expect(judge(redisPersistence)).toEqual([
      { status: 'pass', message: 'Redis persistence is aof (AOF on, RDB snapshots off).', expected: 'aof', actual: 'AOF on, RDB snapshots off' },
    ]);
    expect(judge(redisPersistence, snap({ rdbSchedule: { ok: false, error: "ERR unknown command 'CONFIG'" } }))[0]?.message).toBe('Redis persistence is aof (AOF on).');
  });

  it('fails aof with AOF off or failing', () => {
    expect(judge(redisPersistence, withInfo({ aof_enabled: '0' }))).toEqual([
      { status: 'fail', message: 'Redis persistence must be aof (found AOF off, RDB snapshots off).', expected: 'aof', actual: 'AOF off, RDB snapshots off' },
    ]);
    expect(judge(redisPersistence, withInfo({ aof_last_write_status: 'err' }))[0]?.message).toBe('Redis persistence must be aof (found AOF on (last write failed), RDB snapshots off).');
  });

  it('judges RDB from the CONFIG save schedule', () => {
    const rdb = stackSpec({ persistence: 'rdb' });
    expect(judge(redisPersistence, snap({ rdbSchedule: { ok: true, value: '3600 1 300 100' } }), rdb)[0]).toEqual({
      status: 'pass',
      message: 'Redis persistence is rdb (AOF on, RDB snapshots on).',
      expected: 'rdb',
      actual: 'AOF on, RDB snapshots on',
    });
    expect(judge(redisPersistence, BASE, stackSpec({ persistence: 'aof+rdb' }))[0]?.message).toBe('Redis persistence must be aof+rdb (found AOF on, RDB snapshots off).');
    expect(judge(redisPersistence, snap({ rdbSchedule: { ok: true, value: '3600 1' }, info: { ok: true, value: { ...INFO, rdb_last_bgsave_status: 'err' } } }), rdb)[0]?.message).toBe(
      'Redis persistence must be rdb (found AOF on, RDB snapshots on (last save failed)).',
    );
  });

  it('cannot judge RDB where CONFIG is refused, and skips persistence none', () => {
    expect(judge(redisPersistence, snap({ rdbSchedule: { ok: false, error: "ERR unknown command 'CONFIG'" } }), stackSpec({ persistence: 'rdb' }))).toEqual([
      { status: 'error', message: "Could not read the Redis RDB snapshot schedule: CONFIG GET save failed (ERR unknown command 'CONFIG')." },
    ]);
    expect(judge(redisPersistence, withInfo({ aof_enabled: undefined }))).toEqual([{ status: 'error', message: 'Could not read Redis persistence: INFO does not report aof_enabled.' }]);
    expect(judge(redisPersistence, withInfo({ aof_enabled: '0' }), stackSpec({ persistence: 'none' }))).toEqual([
      { status: 'skip', message: 'Redis persistence is not required (spec redis.persistence is none).' },
    ]);
  });
});

describe('redis.maxmemory', () => {
  it('passes the spec’s size, allowing managed plans their rounding', () => {
    expect(judge(redisMaxmemory)).toEqual([{ status: 'pass', message: 'Redis maxmemory is 100 MB.', expected: '100 MB', actual: '100 MB' }]);
    expect(judge(redisMaxmemory, withInfo({ maxmemory: String(96 * MiB) }))[0]?.status).toBe('pass');
  });

  it('fails no limit or another size', () => {
    expect(judge(redisMaxmemory, withInfo({ maxmemory: '0' }))).toEqual([
      { status: 'fail', message: 'Redis maxmemory must be 100 MB (found 0, no limit).', expected: '100 MB', actual: '0, no limit' },
    ]);
    expect(judge(redisMaxmemory, withInfo({ maxmemory: String(64 * MiB) }))[0]?.message).toBe('Redis maxmemory must be 100 MB (found 64 MB).');
  });

  it('asks only for a limit when the spec names no size', () => {
    const any = stackSpec({ maxmemoryMb: undefined });
    expect(judge(redisMaxmemory, withInfo({ maxmemory: String(1.5 * MiB) }), any)).toEqual([
      { status: 'pass', message: 'Redis maxmemory is 1.5 MB.', expected: 'a limit above 0', actual: '1.5 MB' },
    ]);
    expect(judge(redisMaxmemory, withInfo({ maxmemory: '0' }), any)).toEqual([
      { status: 'fail', message: 'Redis maxmemory must be set (found 0, no limit).', expected: 'a limit above 0', actual: '0, no limit' },
    ]);
    expect(judge(redisMaxmemory, withInfo({ maxmemory: 'lots' }))).toEqual([{ status: 'error', message: 'Could not read Redis maxmemory: INFO reports maxmemory as "lots", not a number.' }]);
  });
});

describe('redis.latency', () => {
  it('takes the nearest-rank p95 of the PINGs', () => {
    expect(percentile([5, 1, 4, 2, 3], 95)).toBe(5);
    expect(percentile(Array.from({ length: 20 }, (_, i) => i + 1), 95)).toBe(19);
    expect(percentile([7], 95)).toBe(7);
  });

  it('passes when p95 is within the limit, even with one slow PING in twenty', () => {
    expect(judge(redisLatency)).toEqual([
      { status: 'pass', message: `Redis p95 latency is 2.8 ms (limit 50 ms), measured with ${METHOD}.`, expected: 'p95 at most 50 ms', actual: 'p95 2.8 ms over 20 PINGs' },
    ]);
    const oneSlow = [...Array<number>(19).fill(1), 400];
    expect(judge(redisLatency, snap({ latency: { ok: true, value: { samplesMs: oneSlow, method: METHOD } } }))[0]?.status).toBe('pass');
  });

  it('fails when p95 is above the limit', () => {
    const twoSlow = [...Array<number>(18).fill(1), 120.04, 400];
    expect(judge(redisLatency, snap({ latency: { ok: true, value: { samplesMs: twoSlow, method: METHOD } } }))).toEqual([
      { status: 'fail', message: `Redis p95 latency must be at most 50 ms (found 120 ms, measured with ${METHOD}).`, expected: 'p95 at most 50 ms', actual: 'p95 120 ms over 20 PINGs' },
    ]);
  });

  it('cannot check when the PINGs failed', () => {
    expect(judge(redisLatency, snap({ latency: { ok: false, error: 'Command timed out' } }))).toEqual([{ status: 'error', message: 'Could not time Redis PINGs: Command timed out.' }]);
    expect(judge(redisLatency, snap({ latency: { ok: false, error: 'not measured: the measure phase did not run' } }))).toEqual([
      { status: 'error', message: 'Could not time Redis PINGs: not measured: the measure phase did not run.' },
    ]);
    expect(judge(redisLatency, snap({ latency: { ok: true, value: { samplesMs: [], method: METHOD } } }))).toEqual([{ status: 'error', message: 'Could not time Redis PINGs: no PING was timed.' }]);
  });
});

describe('redis.evictions', () => {
  it('passes up to the allowed number of evictions', () => {
    expect(judge(redisEvictions)).toEqual([
      { status: 'pass', message: 'Redis evicted 0 keys since its stats were last reset (at most 0 allowed).', expected: 'at most 0 evicted keys', actual: '0 evicted keys' },
    ]);
    expect(judge(redisEvictions, withInfo({ evicted_keys: '10' }), stackSpec({ maxEvictions: 10 }))[0]?.status).toBe('pass');
  });

  it('fails more evictions', () => {
    expect(judge(redisEvictions, withInfo({ evicted_keys: '1234' }))).toEqual([
      { status: 'fail', message: 'Redis must evict at most 0 keys (found 1234 evicted since its stats were last reset).', expected: 'at most 0 evicted keys', actual: '1234 evicted keys' },
    ]);
    expect(judge(redisEvictions, withInfo({ evicted_keys: undefined }))).toEqual([{ status: 'error', message: 'Could not read Redis evictions: INFO does not report evicted_keys.' }]);
  });
});

describe('redis.cache-hit-rate', () => {
  it('passes a hit rate at or above the minimum', () => {
    expect(judge(redisCacheHitRate, withInfo({ keyspace_hits: '800', keyspace_misses: '200' }))).toEqual([
      {
        status: 'pass',
        message: 'Redis cache hit rate is 80% from 800 hits and 200 misses (at least 80% required).',
        expected: 'at least 80%',
        actual: '80% (800 hits, 200 misses)',
      },
    ]);
  });

  it('fails a lower hit rate', () => {
    expect(judge(redisCacheHitRate, withInfo({ keyspace_hits: '1000', keyspace_misses: '1200' }))).toEqual([
      {
        status: 'fail',
        message: 'Redis cache hit rate must be at least 80% (found 45.5% from 1000 hits and 1200 misses).',
        expected: 'at least 80%',
        actual: '45.5% (1000 hits, 1200 misses)',
      },
    ]);
  });

  it('skips a server that has served too few lookups to judge, and cannot check without the counters', () => {
    expect(judge(redisCacheHitRate, withInfo({ keyspace_hits: '0', keyspace_misses: '0' }))).toEqual([
      { status: 'skip', message: 'Redis has served 0 key lookups since its stats were last reset, fewer than the 100 needed to judge a hit rate (spec redis.minCacheLookups).' },
    ]);
    // Three misses in five lookups is no hit rate of 40%: too little traffic to say anything.
    expect(judge(redisCacheHitRate, withInfo({ keyspace_hits: '2', keyspace_misses: '3' }))[0]?.status).toBe('skip');
    expect(judge(redisCacheHitRate, withInfo({ keyspace_hits: '700', keyspace_misses: '300' }), stackSpec({ minCacheLookups: 5000 }))).toEqual([
      { status: 'skip', message: 'Redis has served 1000 key lookups since its stats were last reset, fewer than the 5000 needed to judge a hit rate (spec redis.minCacheLookups).' },
    ]);
    expect(judge(redisCacheHitRate, withInfo({ keyspace_hits: '60', keyspace_misses: '40' }))[0]?.status).toBe('fail');
    expect(judge(redisCacheHitRate, withInfo({ keyspace_misses: undefined }))).toEqual([
      { status: 'error', message: 'Could not read the Redis cache hit rate: INFO does not report keyspace_misses.' },
    ]);
  });
});

describe('redis.usage', () => {
  it('passes usage within the share of the plan size', () => {
    expect(judge(redisUsage)).toEqual([
      { status: 'pass', message: 'Redis uses 20 MB of 100 MB (20%, at most 80% allowed).', expected: 'at most 80% of 100 MB', actual: '20 MB (20%)' },
    ]);
  });

  it('fails usage above it', () => {
    expect(judge(redisUsage, withInfo({ used_memory: String(92.4 * MiB) }))).toEqual([
      { status: 'fail', message: 'Redis memory usage must be at most 80% of 100 MB (found 92.4 MB, 92.4%).', expected: 'at most 80% of 100 MB', actual: '92.4 MB (92.4%)' },
    ]);
  });

  it('falls back to maxmemory when the spec names no size, and skips when there is no limit at all', () => {
    const noSize = stackSpec({ maxmemoryMb: undefined });
    expect(judge(redisUsage, withInfo({ maxmemory: String(25 * MiB) }), noSize)[0]?.message).toBe('Redis uses 20 MB of 25 MB (80%, at most 80% allowed).');
    expect(judge(redisUsage, withInfo({ maxmemory: '0' }), noSize)).toEqual([
      { status: 'skip', message: 'Redis usage has no limit to compare with (no spec redis.maxmemoryMb and maxmemory is 0).' },
    ]);
    expect(judge(redisUsage, withInfo({ maxmemory: '0' }))[0]?.status).toBe('pass');
  });
});

describe('redis.ttl', () => {
  const sample = (k: { name: string; ttlSeconds: number }[]): RedisSnapshot => snap({ ttl: [{ prefix: 'cache:', keys: { ok: true, value: { keys: k, complete: false } } }] });
  const expected = 'every sampled key expires within 3600 s';

  it('passes when every sampled key expires within the TTL', () => {
    expect(judge(redisTtl)).toEqual([
      { status: 'pass', resource: 'cache:', message: 'Keys under "cache:" expire within 3600 s (5 sampled).', expected, actual: '5 sampled, all within' },
    ]);
  });

  it('fails keys without a TTL, naming a few of them', () => {
    expect(judge(redisTtl, sample([...keys(2, 10), ...keys(4, -1, 'cache:stale-')]))).toEqual([
      {
        status: 'fail',
        resource: 'cache:',
        message: 'Keys under "cache:" must expire within 3600 s (found 4 without a TTL among 6 sampled: cache:stale-item-0, cache:stale-item-1, cache:stale-item-2, …).',
        expected,
        actual: '4 without a TTL among 6 sampled',
      },
    ]);
  });

  it('fails keys that live longer than the TTL, and shortens long key names', () => {
    const long = `cache:${'x'.repeat(80)}`;
    expect(judge(redisTtl, sample([{ name: long, ttlSeconds: 7200 }, { name: 'cache:a', ttlSeconds: -1 }, { name: 'cache:b', ttlSeconds: 60 }]))[0]?.message).toBe(
      `Keys under "cache:" must expire within 3600 s (found 1 without a TTL and 1 with a TTL above 3600 s among 3 sampled: cache:a, ${long.slice(0, 64)}…).`,
    );
  });

  it('yields one result per prefix, skipping an empty one and reporting a failed sample', () => {
    const spec = stackSpec({
      keys: [
        { prefix: 'cache:', ttlSeconds: 3600 },
        { prefix: 'session:', ttlSeconds: 600 },
        { prefix: 'rate:', ttlSeconds: 60 },
      ],
    });
    const s = snap({
      ttl: [
        { prefix: 'cache:', keys: { ok: true, value: { keys: keys(3, 100), complete: true } } },
        { prefix: 'session:', keys: { ok: true, value: { keys: [], complete: true } } },
        { prefix: 'rate:', keys: { ok: false, error: 'Command timed out' } },
      ],
    });
    expect(judge(redisTtl, s, spec).map((f) => [f.resource, f.status, f.message])).toEqual([
      ['cache:', 'pass', 'Keys under "cache:" expire within 3600 s (3 sampled).'],
      ['session:', 'skip', 'No keys under "session:" were found to sample.'],
      ['rate:', 'error', 'Could not sample keys under "rate:": Command timed out.'],
    ]);
    expect(judge(redisTtl, BASE, stackSpec({ keys: [] }))).toEqual([{ status: 'skip', message: 'No key prefixes are listed in spec redis.keys, so no TTL sample was taken.' }]);
  });
});

describe('env.redis-url (the Upstash read-only token)', () => {
  const resource = 'Upstash read-only token';
  const expected = 'SET refused with NOPERM';

  it('passes when the read-only token is refused a write', () => {
    expect(judge(envRedisUrl)).toEqual([
      { status: 'pass', resource, message: 'The Upstash read-only token is refused writes (SET answered NOPERM).', expected, actual: 'SET answered NOPERM' },
    ]);
  });

  it('fails when the read-only token can write', () => {
    expect(judge(envRedisUrl, snap({ readOnlyToken: { ok: true, value: { refused: false } } }))).toEqual([
      { status: 'fail', resource, message: 'The Upstash read-only token must be refused writes (found SET accepted).', expected, actual: 'SET accepted' },
    ]);
  });

  it('cannot check a rejected token, and skips when none is configured', () => {
    expect(judge(envRedisUrl, snap({ readOnlyToken: { ok: false, error: 'SET answered "WRONGPASS invalid or missing auth token" instead of NOPERM' } }))).toEqual([
      { status: 'error', resource, message: 'Could not check the Upstash read-only token: SET answered "WRONGPASS invalid or missing auth token" instead of NOPERM.' },
    ]);
    expect(judge(envRedisUrl, snap({ readOnlyToken: undefined }))).toEqual([
      { status: 'skip', resource, message: 'No Upstash read-only token is configured (targets redis.upstash.readOnlyToken), so its write refusal was not checked.' },
    ]);
  });
});
