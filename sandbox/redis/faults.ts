import type { Redis } from 'ioredis';
import type { StackSpec } from '../../spec/index.js';
import { UPSTASH_READONLY_USER } from '../../test/fixtures/upstash-rest.js';
import { freePort } from '../services/ports.js';
import { execAll, redisSpecOf, sandboxMaxmemoryBytes } from './state.js';
import { FaultNotPlantableError } from '../fault.js';

/** Plants one control's fault on a redis-server brought to the spec's state by applyRedisState. */
export type RedisFault = (admin: Redis, spec: StackSpec) => Promise<void>;

const MiB = 1024 * 1024;
/** Bounds for the loops below, so a misbehaving server cannot make a fault run forever. */
const MAX_FILL_WRITES = 20_000;
/** How long the latency fault's noisy neighbour keeps the server busy, unless the server stops first. */
export const LATENCY_FAULT_MS = 60_000;
const FILL_PREFIX = 'prodcheck:fault:fill:';
const BALLAST_PREFIX = 'prodcheck:fault:ballast:';
const MISS_PREFIX = 'prodcheck:fault:miss:';

// Spins on the server's clock for ARGV[1] microseconds: a client running slow scripts, as a noisy
// neighbour or a heavy Lua job does, stalls every other client of the single-threaded server.
const BUSY_SCRIPT = `
local t0 = redis.call('TIME')
local start = t0[1] * 1000000 + t0[2]
repeat
  local t = redis.call('TIME')
until (t[1] * 1000000 + t[2]) - start >= tonumber(ARGV[1])
return 1`;

async function info(admin: Redis, section: string): Promise<Record<string, string>> {
  const fields: Record<string, string> = {};
  for (const line of (await admin.info(section)).split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at > 0 && !line.startsWith('#')) fields[line.slice(0, at)] = line.slice(at + 1);
  }
  return fields;
}

const infoNumber = async (admin: Redis, section: string, field: string): Promise<number> => Number((await info(admin, section))[field] ?? Number.NaN);

async function configGet(admin: Redis, name: string): Promise<string> {
  const reply = (await admin.config('GET', name)) as unknown;
  return Array.isArray(reply) && typeof reply[1] === 'string' ? reply[1] : '';
}

async function answersWithoutCredentials(admin: Redis): Promise<boolean> {
  const flags = ((await admin.acl('GETUSER', 'default')) as unknown[] | null)?.[1];
  return Array.isArray(flags) && flags.includes('nopass');
}

async function unlinkMatching(admin: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await admin.unlink(...keys);
  } while (cursor !== '0');
}

async function keysMatching(admin: Redis, prefix: string): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`, 'COUNT', 1000);
    cursor = next;
    out.push(...keys);
  } while (cursor !== '0');
  return out;
}

export const REDIS_FAULTS: Readonly<Record<string, RedisFault>> = {
  'redis.connectivity': async (admin, spec) => {
    if (redisSpecOf(spec).provider === 'upstash') {
      throw new FaultNotPlantableError('redis.connectivity', 'the Upstash REST API asks every request for a token whatever the redis-server behind it allows');
    }
    // The default user without a password: any client that reaches the port can read and write.
    if (await answersWithoutCredentials(admin)) throw new FaultNotPlantableError('redis.connectivity', 'the redis-server already answers clients without credentials');
    await admin.config('SET', 'requirepass', '');
  },

  'redis.tls': async (admin) => {
    // A TLS server that also listens in plaintext, as ElastiCache does in transit-encryption "preferred" mode.
    if (Number(await configGet(admin, 'tls-port')) === 0) throw new FaultNotPlantableError('redis.tls', 'the redis-server has no TLS port to compare a plaintext one with');
    await admin.config('SET', 'port', String(await freePort()));
  },

  'redis.eviction-policy': async (admin, spec) => {
    await admin.config('SET', 'maxmemory-policy', redisSpecOf(spec).evictionPolicy === 'noeviction' ? 'allkeys-lru' : 'noeviction');
  },

  'redis.persistence': async (admin, spec) => {
    if (redisSpecOf(spec).persistence === 'none') throw new FaultNotPlantableError('redis.persistence', 'spec redis.persistence is none, so persistence is never judged');
    await admin.config('SET', 'appendonly', 'no');
    await admin.config('SET', 'save', '');
  },

  'redis.maxmemory': async (admin) => {
    await admin.config('SET', 'maxmemory', '0');
  },

  'redis.ttl': async (admin, spec) => {
    const first = redisSpecOf(spec).keys[0];
    if (!first) throw new FaultNotPlantableError('redis.ttl', 'spec redis.keys lists no prefix to sample');
    const keys = await keysMatching(admin, first.prefix);
    if (keys.length === 0) throw new FaultNotPlantableError('redis.ttl', `no keys under "${first.prefix}" to strip of their TTL (apply the sandbox state first)`);
    // PERSIST looks keys up for writing, which leaves the keyspace hit/miss counters alone.
    const strip = admin.pipeline();
    for (const k of keys) strip.persist(k);
    await execAll(strip);
  },

  'redis.evictions': async (admin, spec) => {
    const r = redisSpecOf(spec);
    // Real evictions: shrink maxmemory just above what is used and write until Redis evicts. Under
    // volatile-ttl with the fill keys expiring soonest, Redis evicts those and leaves the spec's keys alone;
    // then the spec's memory settings come back, so only the eviction counter tells what happened.
    const policy = await configGet(admin, 'maxmemory-policy');
    const samples = await configGet(admin, 'maxmemory-samples');
    const used = await infoNumber(admin, 'memory', 'used_memory');
    await admin.config('SET', 'maxmemory-policy', 'volatile-ttl');
    await admin.config('SET', 'maxmemory-samples', '64');
    await admin.config('SET', 'maxmemory', String(used + 2 * MiB));
    try {
      const value = 'x'.repeat(4096);
      let evicted = await infoNumber(admin, 'stats', 'evicted_keys');
      for (let i = 0; evicted <= r.maxEvictions; i += 100) {
        if (i >= MAX_FILL_WRITES) throw new Error(`redis.evictions fault: no eviction after ${MAX_FILL_WRITES} writes`);
        const fill = admin.pipeline();
        for (let j = i; j < i + 100; j++) fill.set(`${FILL_PREFIX}${j}`, value, 'EX', 60);
        await execAll(fill);
        evicted = await infoNumber(admin, 'stats', 'evicted_keys');
      }
    } finally {
      await admin.config('SET', 'maxmemory', String(sandboxMaxmemoryBytes(r)));
      await admin.config('SET', 'maxmemory-samples', samples);
      await admin.config('SET', 'maxmemory-policy', policy);
      await unlinkMatching(admin, FILL_PREFIX);
    }
  },

  'redis.cache-hit-rate': async (admin, spec) => {
    const { minCacheHitRate: min, minCacheLookups } = redisSpecOf(spec);
    if (min === 0) throw new FaultNotPlantableError('redis.cache-hit-rate', 'spec redis.minCacheHitRate is 0, which every hit rate meets');
    // Cache misses: reads of keys that are not there, until hits / (hits + misses) drops below the minimum.
    for (let round = 0; ; round++) {
      const s = await info(admin, 'stats');
      const hits = Number(s.keyspace_hits);
      const misses = Number(s.keyspace_misses);
      if (hits + misses >= minCacheLookups && hits / (hits + misses) < min) return;
      if (round >= 10) throw new Error('redis.cache-hit-rate fault: the hit rate did not drop');
      // Enough misses to drop below the minimum rate, and enough lookups for the rate to be judged at all.
      const needed = Math.max(1, Math.ceil((hits * (1 - min)) / min - misses) + 1, minCacheLookups - hits - misses);
      const reads = admin.pipeline();
      for (let i = 0; i < needed; i++) reads.get(`${MISS_PREFIX}${i}`);
      await execAll(reads);
    }
  },

  'redis.latency': async (admin, spec) => {
    const busyUs = Math.round((2 * redisSpecOf(spec).latencyP95Ms + 20) * 1000);
    const noisy = admin.duplicate();
    noisy.on('error', () => undefined);
    const deadline = Date.now() + LATENCY_FAULT_MS;
    try {
      await noisy.eval(BUSY_SCRIPT, 0, String(busyUs));
    } catch (e) {
      noisy.disconnect();
      throw e;
    }
    // Keeps going in the background while verify runs; ends at the deadline or when the server stops.
    void (async () => {
      try {
        while (Date.now() < deadline) await noisy.eval(BUSY_SCRIPT, 0, String(busyUs));
      } catch {
        // The server went away: the fault ends with it.
      } finally {
        noisy.disconnect();
      }
    })();
  },

  'redis.usage': async (admin, spec) => {
    const r = redisSpecOf(spec);
    if (r.maxUsagePct >= 100) throw new FaultNotPlantableError('redis.usage', 'spec redis.maxUsagePct is 100, which only a full server reaches');
    const limit = r.maxmemoryMb !== undefined ? r.maxmemoryMb * MiB : sandboxMaxmemoryBytes(r);
    // Halfway between the allowed share and the limit: over the line, but short of maxmemory, so nothing is evicted.
    const target = (limit * (r.maxUsagePct + (100 - r.maxUsagePct) / 2)) / 100;
    const chunk = Math.max(1024, Math.min(256 * 1024, Math.floor((target - (await infoNumber(admin, 'memory', 'used_memory'))) / 64)));
    const value = 'b'.repeat(chunk);
    for (let i = 0; (await infoNumber(admin, 'memory', 'used_memory')) < target; i++) {
      if (i >= MAX_FILL_WRITES) throw new Error(`redis.usage fault: used memory stayed below ${target} bytes`);
      await admin.set(`${BALLAST_PREFIX}${i}`, value);
    }
  },

  'env.redis-url': async (admin) => {
    // The read-only token's ACL user may now write: the leak of a standard token, as seen from the app.
    if ((await admin.acl('GETUSER', UPSTASH_READONLY_USER)) === null) {
      throw new FaultNotPlantableError('env.redis-url', `no ACL user ${UPSTASH_READONLY_USER}: start the Upstash REST adapter first`);
    }
    await admin.acl('SETUSER', UPSTASH_READONLY_USER, '+@write');
  },
};
