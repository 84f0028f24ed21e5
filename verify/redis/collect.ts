import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { connect as tcpConnect, isIP } from 'node:net';
import { TLSSocket } from 'node:tls';
import type { Redis as UpstashClient } from '@upstash/redis';
import type { Redis as IORedis } from 'ioredis';
import { urlSecrets, type RedisSpec, type StackSpec, type Targets } from '../../spec/index.js';
import { describeError, isTransientNetworkError, withRetry } from '../net.js';
import type { Redactor } from '../../report/redact.js';
import type { CollectContext, Collector, Probe } from '../types.js';

type RedisTargets = NonNullable<Targets['redis']>;

/** What verify saw of one Redis, gathered once with read commands only. */
export interface RedisSnapshot {
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
  /** Round-trip times of sequential PINGs. */
  readonly latency: Probe<{ readonly samplesMs: readonly number[] }>;
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

/** The whole target is unreachable (refused, timed out, bad credentials): every check but connectivity skips. */
export class RedisUnreachableError extends Error {
  override readonly name = 'RedisUnreachableError';
  constructor(
    readonly endpoint: string,
    reason: string,
    /** A network hiccup (reset, timeout) worth another try, as opposed to refused, bad TLS or bad password. */
    readonly transient = false,
  ) {
    super(`${endpoint}: ${reason}`);
  }
}

/** Connection attempts: a transient failure gets two more, with backoff (DESIGN.md "Bounded"). */
const CONNECT_RETRY = { retries: 2, backoffMs: 250, isTransient: (e: unknown) => e instanceof RedisUnreachableError && e.transient };

/** Hard cap on SCAN calls per prefix, so a huge keyspace with few matches cannot stall the run. */
export const MAX_SCAN_CALLS = 50;
const SCAN_COUNT = 1000;
/** How long a plaintext PING may take to be answered before the port counts as refusing plaintext. */
const PLAINTEXT_PROBE_MS = 1_000;

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
    if (t.upstash?.readOnlyToken === undefined) return snapshot;
    return { ...snapshot, readOnlyToken: await probeReadOnlyToken(t.upstash.url, t.upstash.readOnlyToken, t.timeoutMs, ctx) };
  },
};

async function collectTcp(url: string, t: RedisTargets, spec: RedisSpec, ctx: CollectContext): Promise<RedisSnapshot> {
  const u = new URL(url);
  const scheme = u.protocol === 'rediss:' ? 'rediss' : 'redis';
  const port = Number(u.port || 6379);
  // WHATWG URLs keep IPv6 hosts bracketed, which is the form an endpoint is written in.
  const endpoint = `${scheme}://${u.hostname}:${port}`;
  let ca: Buffer | undefined;
  if (scheme === 'rediss' && t.caFile !== undefined) {
    try {
      ca = await readFile(t.caFile);
    } catch (e) {
      throw new RedisUnreachableError(endpoint, `cannot read targets redis.caFile ${t.caFile} (${(e as NodeJS.ErrnoException).code ?? describeError(e)})`);
    }
  }
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const { Redis } = await import('ioredis');
  const client: IORedis = new Redis(url, {
    // SNI must carry a DNS name, never an IP address (RFC 6066).
    tls: scheme === 'rediss' ? { ca, servername: isIP(host) ? undefined : host } : undefined,
    lazyConnect: true,
    connectTimeout: t.timeoutMs,
    commandTimeout: t.timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    enableReadyCheck: false,
    // Verify sends read commands only: no CLIENT SETINFO / SETNAME on connect.
    disableClientInfo: true,
    autoResendUnfulfilledCommands: false,
    retryStrategy: () => null,
  });
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
    const common = await gather(ops, endpoint, spec, t, ctx);
    const plaintext = scheme === 'rediss' ? await probePlaintext(host, port, common.info, ctx.redactor) : undefined;
    return { transport: 'tcp', endpoint, ...common, tls: { scheme, encrypted, protocol, plaintext } };
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
  const common = await gather(ops, endpoint, spec, t, ctx);
  // fetch speaks TLS for https:// and nothing else; a failed handshake would have failed the PING above.
  return { transport: 'upstash-rest', endpoint, ...common, tls: { scheme, encrypted: scheme === 'https' } };
}

async function upstashClient(url: string, token: string, timeoutMs: number, signal: AbortSignal): Promise<UpstashClient> {
  const { Redis } = await import('@upstash/redis');
  return new Redis({
    url,
    token,
    // Retries are explicit (DESIGN.md "Bounded"); a run that cannot reach Upstash says so at once.
    retry: { retries: 0, backoff: () => 0 },
    // Raw replies: the client would otherwise JSON.parse key names and INFO text.
    automaticDeserialization: false,
    enableTelemetry: false,
    readYourWrites: false,
    // A function, so that an abort throws: given a plain signal the client turns an abort into a fake 200 reply.
    signal: () => AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
  });
}

/** Everything both transports read the same way. INFO is read before the TTL sample, whose lookups count as keyspace hits. */
async function gather(ops: Ops, endpoint: string, spec: RedisSpec, t: RedisTargets, ctx: CollectContext) {
  let ping: string;
  try {
    ping = await ops.ping();
  } catch (e) {
    throw new RedisUnreachableError(endpoint, clean(e, ctx.redactor));
  }
  const info = await probe(async () => parseInfo(await ops.info()), ctx.redactor);
  const rdbSchedule = await probe(() => ops.configGet('save'), ctx.redactor);
  const latency = await probe(async () => {
    const samplesMs: number[] = [];
    for (let i = 0; i < t.pings; i++) {
      const t0 = performance.now();
      await ops.ping();
      samplesMs.push(performance.now() - t0);
    }
    return { samplesMs };
  }, ctx.redactor);
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
 * A TLS port must not speak plaintext RESP, and the server must not also listen in plaintext
 * (INFO tcp_port, when it differs from the TLS port). Only a RESP reply counts as "answered".
 */
async function probePlaintext(host: string, tlsPort: number, info: RedisSnapshot['info'], redactor: Redactor): Promise<Probe<{ answeredOn?: number }>> {
  return probe(async () => {
    const ports = [tlsPort];
    const advertised = info.ok ? Number(info.value.tcp_port) : 0;
    if (advertised > 0 && advertised !== tlsPort) ports.push(advertised);
    for (const port of ports) if (await answersPlaintext(host, port)) return { answeredOn: port };
    return {};
  }, redactor);
}

function answersPlaintext(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host, port });
    const done = (answered: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answered);
    };
    const timer = setTimeout(() => done(false), PLAINTEXT_PROBE_MS);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (chunk: Buffer) => done(chunk[0] === 0x2b || chunk[0] === 0x2d));
    socket.once('error', () => done(false));
    socket.once('close', () => done(false));
  });
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

async function probe<T>(run: () => Promise<T>, redactor: Redactor): Promise<Probe<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (e) {
    return { ok: false, error: clean(e, redactor) };
  }
}

/** One line, the secrets of this run masked, and the Upstash client's echo of the command body cut off. */
function clean(e: unknown, redactor: Redactor): string {
  const cause = (e as { cause?: unknown })?.cause;
  const text = describeError(e).replace(/, command was: .*$/, '');
  const withCause = cause !== undefined && text === 'fetch failed' ? `${text}: ${describeError(cause)}` : text;
  return redactor.redact(withCause);
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
