import { execFile } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { FaultNotPlantableError } from '../../../sandbox/fault.js';
import { REDIS_FAULTS } from '../../../sandbox/redis/faults.js';
import { applyRedisState } from '../../../sandbox/redis/state.js';
import { startRedis, type RedisInstance } from '../../../sandbox/services/index.js';
import { createTlsFiles } from '../../../sandbox/services/tls.js';
import { parseStackConfig, targetsSchema, type StackSpec, type Targets } from '../../../spec/index.js';
import { Redactor } from '../../../report/redact.js';
import { REDIS_CHECKS } from '../../../verify/redis/checks.js';
import { redisCollector, RedisUnreachableError, type RedisReached, type RedisSnapshot } from '../../../verify/redis/collect.js';
import type { Finding } from '../../../report/types.js';
import { startUpstashRest, type UpstashRestServer } from '../../fixtures/upstash-rest.js';

const PASSWORD = 'planted-Redis-pw-7c1e';
const execFileAsync = promisify(execFile);

function stackSpec(redis: Record<string, unknown> = {}): StackSpec {
  return parseStackConfig(
    {
      'prodcheck:app': { name: 'shop', domain: 'shop.example.com' },
      'prodcheck:redis': {
        provider: 'self-hosted',
        tls: false,
        maxmemoryMb: 16,
        keys: [
          { prefix: 'cache:', ttlSeconds: 3600, sampleSize: 50 },
          { prefix: 'session:', ttlSeconds: 600, sampleSize: 10 },
        ],
        ...redis,
      },
    },
    'inline',
  ).spec;
}

const SPEC = stackSpec();
const TLS_SPEC = stackSpec({ tls: true });

type Transport = 'tcp' | 'tls' | 'upstash' | 'upstash-https';
interface Env {
  readonly server: RedisInstance;
  readonly admin: Redis;
  readonly targets: Targets;
  readonly secrets: readonly string[];
  readonly rest?: UpstashRestServer;
  readonly caFile?: string;
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function startEnv(transport: Transport, spec: StackSpec): Promise<Env> {
  const tls = transport === 'tls' || transport === 'upstash-https' ? await createTlsFiles() : undefined;
  if (tls) cleanups.push(() => tls.remove());
  const redisTls = transport === 'tls' ? tls : undefined;
  const server = await startRedis({ password: PASSWORD, tls: redisTls });
  cleanups.push(() => server.stop());
  const admin = new Redis(server.url, { tls: redisTls ? { ca: redisTls.caCert } : undefined, maxRetriesPerRequest: 0, retryStrategy: () => null });
  admin.on('error', () => undefined);
  cleanups.push(async () => admin.disconnect());
  await applyRedisState(admin, spec);
  if (transport === 'tcp' || transport === 'tls') {
    return { server, admin, targets: targetsSchema.parse({ redis: { url: server.url, caFile: tls?.caFile, pings: PINGS } }), secrets: [PASSWORD] };
  }
  const rest = await startUpstashRest({ redisUrl: server.url, tls: tls ? { key: tls.key, cert: tls.cert } : undefined });
  cleanups.push(() => rest.stop());
  const targets = targetsSchema.parse({ redis: { upstash: { url: rest.url, token: rest.token, readOnlyToken: rest.readOnlyToken }, pings: PINGS } });
  return { server, admin, rest, targets, secrets: [PASSWORD, rest.token, rest.readOnlyToken], caFile: tls?.caFile };
}

/** The fewest timed PINGs the targets schema allows, to keep the suite short. */
const PINGS = 50;
const LATENCY_METHOD = (via: string) => `${PINGS} PINGs on a dedicated ${via} connection after 10 warm-up PINGs, 10 ms apart, with no other check running`;

/** Collect, then the measure phase the runner runs once every target is collected. */
async function collect(targets: Targets, spec: StackSpec = SPEC): Promise<RedisSnapshot> {
  const ctx = { spec, targets, active: false, redactor: new Redactor(), signal: new AbortController().signal };
  const measure = redisCollector.measure;
  if (!measure) throw new Error('the redis collector has no measure phase');
  return measure(await redisCollector.collect(ctx), ctx);
}

function reached(s: RedisSnapshot): RedisReached {
  if ('tlsRejected' in s) throw new Error(`TLS rejected: ${s.tlsRejected}`);
  return s;
}

async function verify(env: Env, spec: StackSpec = SPEC) {
  const snapshot = reached(await collect(env.targets, spec));
  const findings = new Map<string, Finding>();
  for (const check of REDIS_CHECKS) for (const f of check.evaluate(snapshot, spec)) findings.set(f.resource ? `${check.id} ${f.resource}` : check.id, f);
  const statuses = Object.fromEntries([...findings].map(([k, f]) => [k, f.status]));
  const finding = (key: string): Finding => {
    const f = findings.get(key);
    if (!f) throw new Error(`no finding ${key}`);
    return f;
  };
  return { snapshot, findings, statuses, finding };
}

async function infoFields(admin: Redis, section: string): Promise<Record<string, string>> {
  return Object.fromEntries(
    (await admin.info(section))
      .split(/\r?\n/)
      .filter((l) => l.includes(':') && !l.startsWith('#'))
      .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1)]),
  );
}

const CLEAN: Record<string, string> = {
  'redis.connectivity': 'pass',
  'redis.connectivity authentication': 'pass',
  'redis.tls': 'skip',
  'redis.eviction-policy': 'pass',
  'redis.persistence': 'pass',
  'redis.maxmemory': 'pass',
  'redis.latency': 'pass',
  'redis.evictions': 'pass',
  'redis.cache-hit-rate': 'pass',
  'redis.usage': 'pass',
  'redis.ttl cache:': 'pass',
  'redis.ttl session:': 'pass',
  'env.redis-url Upstash read-only token': 'skip',
};

describe.each(['tcp', 'upstash'] as const)('redis collector over %s against a real redis-server', (transport) => {
  // REST round trips cross the adapter in this busy test process: a budget a loaded CI machine can honour.
  const spec = transport === 'upstash' ? stackSpec({ latencyP95Ms: 150 }) : SPEC;
  const limit = transport === 'upstash' ? '150 ms' : '50 ms';
  const clean = transport === 'upstash' ? { ...CLEAN, 'env.redis-url Upstash read-only token': 'pass' } : CLEAN;

  it('passes every check on a server in the spec’s state', async () => {
    const env = await startEnv(transport, spec);
    const endpoint = transport === 'upstash' ? (env.rest?.url ?? '') : `redis://127.0.0.1:${env.server.port}`;
    const { statuses, finding, snapshot } = await verify(env, spec);
    expect(statuses).toEqual(clean);
    expect(snapshot.transport).toBe(transport === 'upstash' ? 'upstash-rest' : 'tcp');
    expect(finding('redis.connectivity').message).toBe(`Redis 7.0.15 answered PING at ${endpoint}.`);
    expect(finding('redis.eviction-policy').message).toBe('Redis maxmemory-policy is allkeys-lru.');
    // Upstash has no CONFIG, so the RDB schedule is unknown there and only AOF is reported.
    expect(finding('redis.persistence').message).toBe(transport === 'upstash' ? 'Redis persistence is aof (AOF on).' : 'Redis persistence is aof (AOF on, RDB snapshots off).');
    expect(finding('redis.maxmemory').message).toBe('Redis maxmemory is 16 MB.');
    expect(finding('redis.evictions').message).toBe('Redis evicted 0 keys since its stats were last reset (at most 0 allowed).');
    expect(finding('redis.cache-hit-rate').message).toBe('Redis cache hit rate is 100% from 200 hits and 0 misses (at least 80% required).');
    expect(finding('redis.ttl cache:').message).toBe('Keys under "cache:" expire within 3600 s (25 sampled).');
    expect(finding('redis.ttl session:').message).toBe('Keys under "session:" expire within 600 s (10 sampled).');
    const via = transport === 'upstash' ? 'REST' : 'TCP';
    expect(finding('redis.latency').message).toMatch(new RegExp(`^Redis p95 latency is \\d+(\\.\\d)? ms \\(limit ${limit}\\), measured with ${LATENCY_METHOD(via)}\\.$`));
    expect(finding('redis.connectivity authentication').message).toBe(
      transport === 'upstash'
        ? `Redis at ${endpoint} refuses clients that send no credentials (a request without a token answered HTTP 401).`
        : `Redis at ${endpoint} refuses clients that send no credentials (PING without AUTH answered -NOAUTH Authentication required.).`,
    );
    expect(finding('redis.usage').message).toMatch(/^Redis uses \d+(\.\d)? MB of 16 MB \(\d+(\.\d)?%, at most 80% allowed\)\.$/);
    if (transport === 'upstash') {
      expect(finding('env.redis-url Upstash read-only token').message).toBe('The Upstash read-only token is refused writes (SET answered NOPERM).');
      expect(snapshot.rdbSchedule).toEqual({ ok: false, error: "NOPERM this user has no permissions to run the 'config|get' command or its subcommand (HTTP 400)" });
    }
  });

  type Expect = (a: { pre: Record<string, string>; snapshot: RedisReached; admin: Redis; port: number }) => Promise<string | RegExp> | string | RegExp;
  const faults: [control: string, key: string, message: Expect][] = [
    ['redis.eviction-policy', 'redis.eviction-policy', () => 'Redis maxmemory-policy must be allkeys-lru (found noeviction).'],
    [
      'redis.persistence',
      'redis.persistence',
      () => (transport === 'upstash' ? 'Redis persistence must be aof (found AOF off).' : 'Redis persistence must be aof (found AOF off, RDB snapshots off).'),
    ],
    ['redis.maxmemory', 'redis.maxmemory', () => 'Redis maxmemory must be 16 MB (found 0, no limit).'],
    [
      'redis.ttl',
      'redis.ttl cache:',
      async ({ snapshot, admin }) => {
        const sample = snapshot.ttl[0]?.keys;
        if (!sample?.ok) throw new Error('no cache: sample');
        const names = sample.value.keys.map((k) => k.name);
        expect(names).toHaveLength(25);
        for (const n of names) {
          expect(n).toMatch(/^cache:sandbox-\d+$/);
          expect(await admin.ttl(n)).toBe(-1);
        }
        return `Keys under "cache:" must expire within 3600 s (found 25 without a TTL among 25 sampled: ${names.slice(0, 3).join(', ')}, …).`;
      },
    ],
    [
      'redis.evictions',
      'redis.evictions',
      ({ pre }) => {
        expect(Number(pre.evicted_keys)).toBeGreaterThan(0);
        return `Redis must evict at most 0 keys (found ${pre.evicted_keys} evicted since its stats were last reset).`;
      },
    ],
    [
      'redis.cache-hit-rate',
      'redis.cache-hit-rate',
      ({ pre }) => {
        const hits = Number(pre.keyspace_hits);
        const misses = Number(pre.keyspace_misses);
        return `Redis cache hit rate must be at least 80% (found ${Number(((hits / (hits + misses)) * 100).toFixed(1))}% from ${hits} hits and ${misses} misses).`;
      },
    ],
    [
      'redis.latency',
      'redis.latency',
      // A server kept busy may not fit every PING into the measuring budget: the message then says how many did.
      () =>
        new RegExp(
          `^Redis p95 latency must be at most ${limit} \\(found \\d+(\\.\\d)? ms, measured with ${LATENCY_METHOD(transport === 'upstash' ? 'REST' : 'TCP').replace(`${PINGS} PINGs`, `(${PINGS} PINGs|\\d+ PINGs \\(of ${PINGS}: the 5 s budget ran out\\))`)}\\)\\.$`,
        ),
    ],
    ['redis.usage', 'redis.usage', () => /^Redis memory usage must be at most 80% of 16 MB \(found 1[3-5](\.\d)? MB, (8[1-9]|9\d)(\.\d)?%\)\.$/],
    ...(transport === 'tcp'
      ? [
          [
            'redis.connectivity',
            'redis.connectivity authentication',
            ({ port }) => `Redis at redis://127.0.0.1:${port} must refuse clients that send no credentials (found PING without AUTH answered +PONG).`,
          ] satisfies [string, string, Expect],
        ]
      : []),
    ...(transport === 'upstash'
      ? [['env.redis-url', 'env.redis-url Upstash read-only token', () => 'The Upstash read-only token must be refused writes (found SET accepted).'] satisfies [string, string, Expect]]
      : []),
  ];

  it.each(faults)('the %s fault fails exactly that control', async (control, key, message) => {
    const env = await startEnv(transport, spec);
    const before = await verify(env, spec);
    expect(before.statuses).toEqual(clean);
    const plant = REDIS_FAULTS[control];
    if (!plant) throw new Error(`no fault for ${control}`);
    await plant(env.admin, spec);
    const pre = { ...(await infoFields(env.admin, 'stats')), ...(await infoFields(env.admin, 'memory')) };
    const after = await verify(env, spec);
    expect(after.statuses, after.finding(key).message).toEqual({ ...clean, [key]: 'fail' });
    const expected = await message({ pre, snapshot: after.snapshot, admin: env.admin, port: env.server.port });
    if (typeof expected === 'string') expect(after.finding(key).message).toBe(expected);
    else expect(after.finding(key).message).toMatch(expected);
  });

  it('writes nothing: write-command call counts, dirty keys and key count are unchanged by a run', async () => {
    const env = await startEnv(transport, spec);
    const writes = await writeCommands(env.admin);
    const state = async () => {
      const stats = await commandStats(env.admin);
      return {
        writeCalls: Object.fromEntries(writes.map((w) => [w, stats[w]?.calls ?? 0])),
        dirty: (await infoFields(env.admin, 'persistence')).rdb_changes_since_last_save,
        keys: await env.admin.dbsize(),
        setRejected: stats.set?.rejected ?? 0,
      };
    };
    const before = await state();
    await collect(env.targets);
    const after = await state();
    expect(writes).toContain('set');
    expect(after.writeCalls).toEqual(before.writeCalls);
    expect(after.dirty).toBe(before.dirty);
    expect(after.keys).toBe(before.keys);
    // The read-only token's SET reached Redis and was refused there, so it ran nothing.
    expect(after.setRejected - before.setRejected).toBe(transport === 'upstash' ? 1 : 0);
  });

  it('sends no timed PING when redis.latency does not run (--skip redis.latency)', async () => {
    const env = await startEnv(transport, spec);
    const pings = async () => (await commandStats(env.admin)).ping?.calls ?? 0;
    const ctx = { spec, targets: env.targets, active: false, redactor: new Redactor(), signal: new AbortController().signal, runs: (id: string) => id !== 'redis.latency' };
    const collected = await redisCollector.collect(ctx);
    const before = await pings();
    const snapshot = reached(await redisCollector.measure!(collected, ctx));
    expect(await pings()).toBe(before);
    expect(snapshot.latency).toEqual({ ok: false, error: 'not measured: the measure phase did not run' });
  });

  it('puts no password or token in the snapshot or any finding', async () => {
    const env = await startEnv(transport, TLS_SPEC);
    const { snapshot, findings } = await verify(env, TLS_SPEC);
    const text = JSON.stringify({ snapshot, findings: [...findings.values()] });
    for (const secret of env.secrets) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(encodeURIComponent(secret));
    }
    expect(findings.get('redis.tls')?.message).toBe(`Redis must be reached over TLS (found a plaintext ${transport === 'upstash' ? 'http' : 'redis'}:// URL).`);
  });
});

describe('redis collector over TLS', () => {
  it('passes TLS when the URL is rediss://, the socket is encrypted and plaintext is refused', async () => {
    const env = await startEnv('tls', TLS_SPEC);
    const { statuses, finding, snapshot } = await verify(env, TLS_SPEC);
    expect(statuses).toEqual({ ...CLEAN, 'redis.tls': 'pass' });
    expect(finding('redis.tls').message).toBe('Redis is reached over TLS (TLSv1.3) and refuses plaintext.');
    expect(finding('redis.connectivity').message).toBe(`Redis 7.0.15 answered PING at rediss://127.0.0.1:${env.server.port}.`);
    expect(snapshot.tls).toEqual({ scheme: 'rediss', encrypted: true, protocol: 'TLSv1.3', plaintext: { ok: true, value: {} } });
  });

  it('the redis.tls fault (a plaintext listener beside TLS) fails exactly that control', async () => {
    const env = await startEnv('tls', TLS_SPEC);
    expect((await verify(env, TLS_SPEC)).statuses).toEqual({ ...CLEAN, 'redis.tls': 'pass' });
    await REDIS_FAULTS['redis.tls']?.(env.admin, TLS_SPEC);
    const plaintextPort = ((await env.admin.config('GET', 'port')) as string[])[1];
    expect(Number(plaintextPort)).toBeGreaterThan(0);
    const after = await verify(env, TLS_SPEC);
    expect(after.statuses).toEqual({ ...CLEAN, 'redis.tls': 'fail' });
    expect(after.finding('redis.tls').message).toBe(`Redis must refuse plaintext connections (found a plaintext PING answered on port ${plaintextPort}).`);
  });

  it.each([
    ['an untrusted CA', {}, 'self-signed certificate in certificate chain (SELF_SIGNED_CERT_IN_CHAIN)'],
    ['a certificate for another host', { wrongHost: true }, "Hostname/IP does not match certificate's altnames: IP: 127.0.0.1 is not in the cert's list:  (ERR_TLS_CERT_ALTNAME_INVALID)"],
  ] as const)('fails redis.tls with the TLS error for %s, skips the rest and never sends the password', async (_, tlsOpts, error) => {
    const tls = await createTlsFiles(tlsOpts);
    cleanups.push(() => tls.remove());
    const server = await startRedis({ password: PASSWORD, tls });
    cleanups.push(() => server.stop());
    // Trusting the CA makes only the host name wrong; without it the chain itself is untrusted.
    const targets = targetsSchema.parse({ redis: { url: server.url, caFile: 'wrongHost' in tlsOpts ? tls.caFile : undefined, pings: PINGS } });
    const authCalls = async () => {
      const admin = new Redis(server.url, { tls: { ca: tls.caCert, checkServerIdentity: () => undefined }, maxRetriesPerRequest: 0, retryStrategy: () => null });
      try {
        return Number(/calls=(\d+)/.exec((await admin.info('commandstats')).split('\n').find((l) => l.startsWith('cmdstat_auth:')) ?? '')?.[1] ?? 0);
      } finally {
        admin.disconnect();
      }
    };
    const before = await authCalls();
    const snapshot = await collect(targets, TLS_SPEC);
    const endpoint = `rediss://127.0.0.1:${server.port}`;
    expect(snapshot).toEqual({ transport: 'tcp', endpoint, tlsRejected: error });
    // The admin connection that counts authenticates once itself.
    expect(await authCalls()).toBe(before + 1);
    const findings = REDIS_CHECKS.flatMap((c) => c.evaluate(snapshot, TLS_SPEC).map((f) => [c.id, f.status, f.message]));
    expect(findings).toEqual(
      REDIS_CHECKS.map((c) =>
        c.id === 'redis.tls'
          ? [c.id, 'fail', `Redis at ${endpoint} must present a certificate that verifies for its host (found ${error}); no command or credential was sent.`]
          : [c.id, 'skip', `${c.id === 'redis.connectivity' ? '' : 'skipped: '}Redis at ${endpoint} failed TLS verification, so nothing was sent to it (see redis.tls).`],
      ),
    );
  });
});

// fetch, which @upstash/redis uses, trusts extra CAs only from NODE_EXTRA_CA_CERTS, read at process start.
const CHILD_COLLECT = `
const { redisCollector } = await import(${JSON.stringify(new URL('../../../verify/redis/collect.ts', import.meta.url).href)});
const { REDIS_CHECKS } = await import(${JSON.stringify(new URL('../../../verify/redis/checks.ts', import.meta.url).href)});
const { Redactor } = await import(${JSON.stringify(new URL('../../../report/redact.ts', import.meta.url).href)});
const spec = JSON.parse(process.env.PRODCHECK_TEST_SPEC);
const ctx = { spec, targets: JSON.parse(process.env.PRODCHECK_TEST_TARGETS), active: false, redactor: new Redactor(), signal: new AbortController().signal };
const snapshot = await redisCollector.measure(await redisCollector.collect(ctx), ctx);
if ("tlsRejected" in snapshot) throw new Error(snapshot.tlsRejected);
const findings = REDIS_CHECKS.flatMap((c) => c.evaluate(snapshot, spec).map((f) => [f.resource ? c.id + ' ' + f.resource : c.id, f]));
process.stdout.write(JSON.stringify({ tls: snapshot.tls, findings: Object.fromEntries(findings) }));
`;

describe('redis collector over Upstash REST on https', () => {
  it('passes TLS when the https certificate is trusted, and fails redis.tls when it is not', async () => {
    const env = await startEnv('upstash-https', TLS_SPEC);
    const url = env.rest?.url ?? '';
    expect(url).toMatch(/^https:/);
    expect(await collect(env.targets, TLS_SPEC)).toEqual({ transport: 'upstash-rest', endpoint: url, tlsRejected: expect.stringMatching(/^fetch failed: unable to verify the first certificate(; if the root CA is installed locally, try running Node\.js with --use-system-ca)? \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)$/) });
    const { stdout } = await execFileAsync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD_COLLECT], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: env.caFile, PRODCHECK_TEST_SPEC: JSON.stringify(TLS_SPEC), PRODCHECK_TEST_TARGETS: JSON.stringify(env.targets) },
      timeout: 30_000,
    });
    const child = JSON.parse(stdout) as { tls: RedisReached['tls']; findings: Record<string, Finding> };
    expect(child.tls).toEqual({ scheme: 'https', encrypted: true });
    expect(Object.fromEntries(Object.entries(child.findings).map(([k, f]) => [k, f.status]))).toEqual({
      ...CLEAN,
      'redis.tls': 'pass',
      'env.redis-url Upstash read-only token': 'pass',
      'redis.connectivity authentication': 'pass',
    });
    expect(child.findings['redis.tls']?.message).toBe('Redis is reached over TLS (Upstash REST over https).');
    expect(child.findings['redis.connectivity']?.message).toBe(`Redis 7.0.15 answered PING at ${url}.`);
  });
});

describe('faults that cannot be planted say so', () => {
  it('refuses the TLS fault on a plaintext server and the read-only-token fault without the Upstash adapter', async () => {
    const env = await startEnv('tcp', SPEC);
    await expect(REDIS_FAULTS['redis.tls']?.(env.admin, SPEC)).rejects.toThrow(FaultNotPlantableError);
    await expect(REDIS_FAULTS['env.redis-url']?.(env.admin, SPEC)).rejects.toThrow('env.redis-url: cannot plant a fault: no ACL user upstash-readonly: start the Upstash REST adapter first');
    await expect(REDIS_FAULTS['redis.persistence']?.(env.admin, stackSpec({ persistence: 'none' }))).rejects.toThrow(
      'redis.persistence: cannot plant a fault: spec redis.persistence is none, so persistence is never judged',
    );
  });
});

describe('redis collector failures', () => {
  it('throws within the timeout when redis-server is stopped', async () => {
    const server = await startRedis({ password: PASSWORD });
    await server.stop();
    const t0 = performance.now();
    await expect(collect(targetsSchema.parse({ redis: { url: server.url, timeoutMs: 1_000 } }))).rejects.toThrow(
      new RedisUnreachableError(`redis://127.0.0.1:${server.port}`, `connect ECONNREFUSED 127.0.0.1:${server.port}`),
    );
    expect(performance.now() - t0).toBeLessThan(1_000);
  });

  it('throws within the timeout when the server accepts but never answers', async () => {
    const sockets = new Set<Socket>();
    const silent: Server = createServer((s) => sockets.add(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanups.push(async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    });
    const port = (silent.address() as { port: number }).port;
    const t0 = performance.now();
    await expect(collect(targetsSchema.parse({ redis: { url: `redis://:${PASSWORD}@127.0.0.1:${port}`, timeoutMs: 500 } }))).rejects.toThrow(
      new RedisUnreachableError(`redis://127.0.0.1:${port}`, 'Command timed out'),
    );
    expect(performance.now() - t0).toBeLessThan(1_500);
    await expect(collect(targetsSchema.parse({ redis: { upstash: { url: `http://127.0.0.1:${port}`, token: 'tok-planted-secret' }, timeoutMs: 500 } }))).rejects.toThrow(
      new RedisUnreachableError(`http://127.0.0.1:${port}`, 'the Upstash REST API did not answer within 500 ms'),
    );
  });

  it('throws when the Upstash adapter is gone, and never names the token', async () => {
    const env = await startEnv('upstash', SPEC);
    const rest = env.rest;
    if (!rest) throw new Error('no adapter');
    await rest.stop();
    const port = new URL(rest.url).port;
    const error = await collect(env.targets).catch((e: unknown) => e);
    expect(error).toEqual(new RedisUnreachableError(`http://127.0.0.1:${port}`, `fetch failed: connect ECONNREFUSED 127.0.0.1:${port}`));
    expect(String((error as Error).message)).not.toContain(rest.token);
  });

  it('reports bad credentials without the password or token', async () => {
    const env = await startEnv('upstash', SPEC);
    const rest = env.rest;
    if (!rest) throw new Error('no adapter');
    const wrongPassword = 'wrong-planted-pw-1234';
    const tcpError = await collect(targetsSchema.parse({ redis: { url: `redis://:${wrongPassword}@127.0.0.1:${env.server.port}` } })).catch((e: unknown) => e);
    expect(tcpError).toEqual(new RedisUnreachableError(`redis://127.0.0.1:${env.server.port}`, 'WRONGPASS invalid username-password pair or user is disabled.'));

    const badToken = 'AbadPlantedToken0123456789';
    const restError = await collect(targetsSchema.parse({ redis: { upstash: { url: rest.url, token: badToken } } })).catch((e: unknown) => e);
    expect(restError).toEqual(
      new RedisUnreachableError(rest.url, 'WRONGPASS invalid or missing auth token. See https://docs.upstash.com/redis/troubleshooting/http_unauthorized for details. (HTTP 401)'),
    );

    const { finding } = await verify({ ...env, targets: targetsSchema.parse({ redis: { upstash: { url: rest.url, token: rest.token, readOnlyToken: badToken } } }) });
    expect(finding('env.redis-url Upstash read-only token')).toEqual({
      status: 'error',
      resource: 'Upstash read-only token',
      message:
        'Could not check the Upstash read-only token: SET answered "WRONGPASS invalid or missing auth token. See https://docs.upstash.com/redis/troubleshooting/http_unauthorized for details. (HTTP 401)" instead of NOPERM.',
    });
    const text = JSON.stringify([tcpError, (tcpError as Error).message, (restError as Error).message, finding('env.redis-url Upstash read-only token')]);
    for (const secret of [PASSWORD, wrongPassword, badToken, rest.token, rest.readOnlyToken]) expect(text).not.toContain(secret);
  });
});

/** Commands the server itself flags as writes, subcommands included (e.g. "set", "xgroup|create"). */
async function writeCommands(admin: Redis): Promise<string[]> {
  type Entry = [string, number, string[], ...unknown[]];
  const out: string[] = [];
  const visit = (entries: Entry[]) => {
    for (const e of entries) {
      if (e[2].includes('write')) out.push(e[0].toLowerCase());
      const subs = e[9];
      if (Array.isArray(subs)) visit(subs as Entry[]);
    }
  };
  visit((await admin.call('COMMAND')) as Entry[]);
  return out.sort();
}

async function commandStats(admin: Redis): Promise<Record<string, { calls: number; rejected: number }>> {
  const out: Record<string, { calls: number; rejected: number }> = {};
  for (const [k, v] of Object.entries(await infoFields(admin, 'commandstats'))) {
    out[k.replace(/^cmdstat_/, '')] = { calls: Number(/calls=(\d+)/.exec(v)?.[1]), rejected: Number(/rejected_calls=(\d+)/.exec(v)?.[1]) };
  }
  return out;
}
