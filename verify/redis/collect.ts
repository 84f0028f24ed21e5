import { randomUUID } from 'node:crypto';
import { TLSSocket } from 'node:tls';
import { urlSecrets, type RedisSpec, type StackSpec, type Targets } from '../../spec/index.js';
import { isTransientNetworkError, withRetry } from '../net.js';
import type { CollectContext, Collector, Probe } from '../types.js';
import { clean, isTlsRejection, probe, RedisUnreachableError, tcpClient, tcpEndpoint, upstashClient, type RedisTargets } from './connection.js';
import { measureLatency, type LatencyProbe } from './latency.js';
import { probeAnonymousRest, probeAnonymousTcp, probePlaintext, type AnonymousAnswer } from './probes.js';

export { RedisUnreachableError } from './connection.js';

/** What verify saw of one Redis it could talk to, gathered once with read commands only. */
export interface RedisReached {
  /** TCP (redis:// or rediss://) or the Upstash REST API. */
  readonly transport: 'tcp' | 'upstash-rest';
  /** Where Redis was reached, without credentials. */
  readonly endpoint: string;
  /** The answer to PING. */
  readonly ping: string;
  readonly tls: {
    readonly scheme: 'redis' | 'rediss' | 'http' | 'https';
    /** The connection verify used completed a TLS handshake. */
    readonly encrypted: boolean;
    /** Negotiated TLS version, e.g. TLSv1.3 (TCP only). */
    readonly protocol?: string;
    /**
     * Whether plaintext RESP is answered on the URL's port or on the plaintext port the server reports
     * (answeredOn). Undefined where it does not apply: plaintext URLs and the Upstash REST API.
     */
    readonly plaintext?: Probe<{ readonly answeredOn?: number }>;
  };
  /** Fields of the default INFO sections (server, clients, memory, persistence, stats, keyspace...). */
  readonly info: Probe<Readonly<Record<string, string>>>;
  /** CONFIG GET save: the RDB snapshot schedule. Managed Redis (ElastiCache, Upstash) refuses CONFIG. */
  readonly rdbSchedule: Probe<string>;
  /** What a connection that sent no credentials was told. */
  readonly anonymous: Probe<AnonymousAnswer>;
  /** Round-trip times of PINGs, taken in the runner's measure phase. */
  readonly latency: LatencyProbe;
  /** One SCAN sample per spec key prefix. */
  readonly ttl: readonly {
    readonly prefix: string;
    readonly keys: Probe<{
      readonly keys: readonly { readonly name: string; readonly ttlSeconds: number }[];
      /** The SCAN walked the whole keyspace rather than stopping at the sample size or the call cap. */
      readonly complete: boolean;
    }>;
  }[];
  /** Whether the Upstash read-only token was refused a write; undefined when none is configured. */
  readonly readOnlyToken?: Probe<{ readonly refused: boolean }>;
}

/**
 * The server's certificate was not trusted (unknown CA, wrong host, expired) or the TLS handshake failed:
 * nothing, credentials included, was sent to it. redis.tls fails with the TLS error; the other checks skip.
 */
export interface RedisTlsRejected {
  readonly transport: 'tcp' | 'upstash-rest';
  readonly endpoint: string;
  readonly tlsRejected: string;
}

export type RedisSnapshot = RedisReached | RedisTlsRejected;

/** Connection attempts: a transient failure gets two more, with backoff (DESIGN.md "Bounded"). */
const CONNECT_RETRY = { retries: 2, backoffMs: 250, isTransient: (e: unknown) => e instanceof RedisUnreachableError && e.transient };

/** Hard cap on SCAN calls per prefix, so a huge keyspace with few matches cannot stall the run. */
export const MAX_SCAN_CALLS = 50;
const SCAN_COUNT = 1000;

interface Ops {
  ping(): Promise<string>;
  info(): Promise<string>;
  configGet(name: string): Promise<string>;
  scan(cursor: string, match: string, count: number): Promise<[string, string[]]>;
  ttls(keys: readonly string[]): Promise<number[]>;
}

export const redisCollector: Collector<RedisSnapshot> = {
  target: 'redis',
  applies(spec: StackSpec, targets: Targets) {
    if (!spec.redis) return 'The stack config has no prodcheck:redis section.';
    if (!targets.redis) return 'The targets file has no redis section.';
    return undefined;
  },
  async collect(ctx: CollectContext): Promise<RedisSnapshot> {
    const t = ctx.targets.redis;
    const spec = ctx.spec.redis;
    if (!t || !spec) throw new Error('redis collector called without a redis spec and target (applies() says why)');
    ctx.redactor.add(...(t.url ? urlSecrets(t.url) : []), t.upstash?.token, t.upstash?.readOnlyToken);
    const url = t.url;
    const snapshot = await withRetry(CONNECT_RETRY, () => (url !== undefined ? collectTcp(url, t, spec, ctx) : collectUpstash(t, spec, ctx)));
    if ('tlsRejected' in snapshot || t.upstash?.readOnlyToken === undefined) return snapshot;
    return { ...snapshot, readOnlyToken: await probeReadOnlyToken(t.upstash.url, t.upstash.readOnlyToken, t.timeoutMs, ctx) };
  },
  async measure(snapshot: RedisSnapshot, ctx: CollectContext): Promise<RedisSnapshot> {
    const t = ctx.targets.redis;
    // `--skip redis.latency` sends no PING and spends no second on them.
    if ('tlsRejected' in snapshot || !t || ctx.runs?.('redis.latency') === false) return snapshot;
    return { ...snapshot, latency: await measureLatency(t, ctx) };
  },
};

async function collectTcp(url: string, t: RedisTargets, spec: RedisSpec, ctx: CollectContext): Promise<RedisSnapshot> {
  const at = await tcpEndpoint(url, t);
  const { endpoint, scheme } = at;
  const client = await tcpClient(url, at, t.timeoutMs);
  // ioredis reports the cause (refused, certificate, WRONGPASS) as an event and then fails the awaited
  // call with a bare "Connection is closed." or NOAUTH: keep the cause for the error message.
  let cause: unknown;
  client.on('error', (e: unknown) => {
    cause ??= e;
  });
  const abort = () => client.disconnect();
  ctx.signal.addEventListener('abort', abort, { once: true });
  try {
    try {
      await client.connect();
      await client.ping();
    } catch (e) {
      // A certificate the run does not trust is a finding about TLS, not an outage; AUTH was never sent.
      if (isTlsRejection(cause ?? e)) return { transport: 'tcp', endpoint, tlsRejected: clean(cause ?? e, ctx.redactor) };
      throw new RedisUnreachableError(endpoint, clean(cause ?? e, ctx.redactor), isTransientNetworkError(cause ?? e));
    }
    const ops: Ops = {
      ping: () => client.ping(),
      info: () => client.info(),
      configGet: async (name) => {
        const reply = (await client.config('GET', name)) as unknown;
        return Array.isArray(reply) && typeof reply[1] === 'string' ? reply[1] : '';
      },
      scan: async (cursor, match, count) => client.scan(cursor, 'MATCH', match, 'COUNT', count),
      ttls: async (keys) => {
        const pipeline = client.pipeline();
        for (const k of keys) pipeline.ttl(k);
        const replies = (await pipeline.exec()) ?? [];
        return replies.map(([err, ttl]) => {
          if (err) throw err;
          return Number(ttl);
        });
      },
    };
    const stream = client.stream as unknown;
    const encrypted = stream instanceof TLSSocket && stream.encrypted;
    const protocol = stream instanceof TLSSocket ? (stream.getProtocol() ?? undefined) : undefined;
    const common = await gather(ops, endpoint, spec, ctx);
    const advertised = common.info.ok ? Number(common.info.value.tcp_port) : 0;
    const plaintext = scheme === 'rediss' ? await probePlaintext(at.host, at.port, advertised, ctx.redactor) : undefined;
    const anonymous = await probeAnonymousTcp(at, ctx.redactor);
    return { transport: 'tcp', endpoint, ...common, anonymous, tls: { scheme, encrypted, protocol, plaintext } };
  } finally {
    ctx.signal.removeEventListener('abort', abort);
    client.disconnect();
  }
}

async function collectUpstash(t: RedisTargets, spec: RedisSpec, ctx: CollectContext): Promise<RedisSnapshot> {
  const upstash = t.upstash;
  if (!upstash) throw new Error('redis target has neither url nor upstash');
  const u = new URL(upstash.url);
  const scheme = u.protocol === 'https:' ? 'https' : 'http';
  const endpoint = `${scheme}://${u.host}`;
  const client = await upstashClient(upstash.url, upstash.token, t.timeoutMs, ctx.signal);
  try {
    await client.ping();
  } catch (e) {
    // The handshake failed before any request, so the token never left this process.
    if (isTlsRejection((e as { cause?: unknown }).cause)) return { transport: 'upstash-rest', endpoint, tlsRejected: clean(e, ctx.redactor) };
    throw new RedisUnreachableError(endpoint, clean(e, ctx.redactor));
  }
  const exec = (args: [string, ...string[]]) => client.exec(args);
  const ops: Ops = {
    ping: async () => String(await client.ping()),
    info: async () => String(await exec(['INFO'])),
    configGet: async (name) => {
      const reply = await exec(['CONFIG', 'GET', name]);
      return Array.isArray(reply) && typeof reply[1] === 'string' ? reply[1] : '';
    },
    scan: async (cursor, match, count) => {
      const reply = await exec(['SCAN', cursor, 'MATCH', match, 'COUNT', String(count)]);
      if (!Array.isArray(reply) || !Array.isArray(reply[1])) throw new Error(`unexpected SCAN reply ${JSON.stringify(reply).slice(0, 80)}`);
      return [String(reply[0]), reply[1].map(String)];
    },
    ttls: async (keys) => {
      if (keys.length === 0) return [];
      const pipeline = client.pipeline();
      for (const k of keys) pipeline.ttl(k);
      return ((await pipeline.exec()) as unknown[]).map(Number);
    },
  };
  const common = await gather(ops, endpoint, spec, ctx);
  const anonymous = await probeAnonymousRest(upstash.url, t.timeoutMs, ctx.signal, ctx.redactor);
  // fetch speaks TLS for https:// and nothing else; a failed handshake would have failed the PING above.
  return { transport: 'upstash-rest', endpoint, ...common, anonymous, tls: { scheme, encrypted: scheme === 'https' } };
}

/** Everything both transports read the same way. INFO is read before the TTL sample, whose lookups count as keyspace hits. */
async function gather(ops: Ops, endpoint: string, spec: RedisSpec, ctx: CollectContext) {
  let ping: string;
  try {
    ping = await ops.ping();
  } catch (e) {
    throw new RedisUnreachableError(endpoint, clean(e, ctx.redactor));
  }
  const info = await probe(async () => parseInfo(await ops.info()), ctx.redactor);
  const rdbSchedule = await probe(() => ops.configGet('save'), ctx.redactor);
  const latency: LatencyProbe = { ok: false, error: 'not measured: the measure phase did not run' };
  const ttl = [];
  for (const k of spec.keys) ttl.push({ prefix: k.prefix, keys: await probe(() => sampleTtls(ops, k.prefix, k.sampleSize), ctx.redactor) });
  return { ping, info, rdbSchedule, latency, ttl };
}

async function sampleTtls(ops: Ops, prefix: string, sampleSize: number) {
  const match = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
  const names = new Set<string>();
  let cursor = '0';
  let calls = 0;
  do {
    const [next, batch] = await ops.scan(cursor, match, SCAN_COUNT);
    calls++;
    cursor = next;
    for (const name of batch) if (names.size < sampleSize) names.add(name);
  } while (cursor !== '0' && names.size < sampleSize && calls < MAX_SCAN_CALLS);
  const sampled = [...names];
  const ttls = await ops.ttls(sampled);
  // -2: the key expired between SCAN and TTL, so it is no longer part of the sample.
  const keys = sampled.map((name, i) => ({ name, ttlSeconds: ttls[i] ?? -2 })).filter((k) => k.ttlSeconds !== -2);
  return { keys, complete: cursor === '0' };
}

/**
 * SET on a random key with XX writes nothing even if the token could write (XX only replaces an existing
 * key), so the refusal is established without ever writing, whichever way the token turns out.
 */
async function probeReadOnlyToken(url: string, token: string, timeoutMs: number, ctx: CollectContext): Promise<Probe<{ refused: boolean }>> {
  const client = await upstashClient(url, token, timeoutMs, ctx.signal);
  try {
    await client.exec(['SET', `prodcheck:probe:${randomUUID()}`, 'prodcheck', 'XX']);
    return { ok: true, value: { refused: false } };
  } catch (e) {
    const text = clean(e, ctx.redactor);
    if (/^NOPERM\b/.test(text)) return { ok: true, value: { refused: true } };
    return { ok: false, error: `SET answered "${text}" instead of NOPERM` };
  }
}

/** INFO's `field:value` lines; section headers and blank lines are dropped. */
export function parseInfo(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (line.startsWith('#') || at <= 0) continue;
    fields[line.slice(0, at)] = line.slice(at + 1);
  }
  return fields;
}
