import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { Redis } from 'ioredis';
import pg from 'pg';

/** One metric as the Datadog Agent would submit it: a gauge or a count, with its tags and [seconds, value] points. */
export interface Measured {
  readonly metric: string;
  readonly type: 'gauge' | 'count';
  readonly tags: readonly string[];
  readonly points: readonly (readonly [timestamp: number, value: number])[];
}

const nowS = () => Math.floor(Date.now() / 1000);
const SAMPLES = 5;

/** What the Agent's Postgres integration reports: the backends connected to the database (pg_stat_database). */
export async function measurePostgres(adminUrl: string, database: string, tags: readonly string[]): Promise<Measured[]> {
  const client = new pg.Client({ connectionString: adminUrl, ssl: false, connectionTimeoutMillis: 5_000, query_timeout: 5_000 });
  await client.connect();
  try {
    const points: [number, number][] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const r = await client.query<{ n: number }>('SELECT numbackends::int AS n FROM pg_stat_database WHERE datname = $1', [database]);
      const n = r.rows[0]?.n;
      if (n === undefined) throw new Error(`the sandbox Postgres has no database "${database}"`);
      points.push([nowS(), n]);
    }
    return [{ metric: 'postgresql.connections', type: 'gauge', tags: [`db:${database}`, ...tags], points }];
  } finally {
    await client.end();
  }
}

/** What the Agent's Redis integration reports: connected clients (INFO clients) and the PING round trip. */
export async function measureRedis(url: string, ca: string | undefined, tags: readonly string[]): Promise<Measured[]> {
  const client = new Redis(url, { tls: url.startsWith('rediss:') ? { ca } : undefined, maxRetriesPerRequest: 1, connectTimeout: 5_000, lazyConnect: true });
  await client.connect();
  try {
    const clients: [number, number][] = [];
    const latency: [number, number][] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const t0 = performance.now();
      await client.ping();
      latency.push([nowS(), performance.now() - t0]);
      const n = Number(/connected_clients:(\d+)/.exec(await client.info('clients'))?.[1]);
      if (!Number.isFinite(n)) throw new Error('the sandbox Redis answered INFO clients without connected_clients');
      clients.push([nowS(), n]);
    }
    return [
      { metric: 'redis.net.clients', type: 'gauge', tags, points: clients },
      { metric: 'redis.info.latency_ms', type: 'gauge', tags, points: latency },
    ];
  } finally {
    client.disconnect();
  }
}

interface Answer {
  readonly status: number;
  readonly seconds: number;
  /** The certificate chains to the CA and names the host (what an HTTP check verifies). */
  readonly trusted: boolean;
}

/** One GET of `url`, connected to `resolve` (host:port) with the URL's host name for SNI and Host. */
async function get(url: URL, resolve: string, ca: string, timeoutMs: number): Promise<Answer | undefined> {
  const [host, port] = [resolve.slice(0, resolve.lastIndexOf(':')), Number(resolve.slice(resolve.lastIndexOf(':') + 1))];
  const t0 = performance.now();
  return new Promise((done) => {
    // Certificate trouble is recorded, not fatal: the app still answers, and its tracer still times it.
    const req = request({ host, port, path: url.pathname, method: 'GET', servername: url.hostname, headers: { host: url.host }, ca, rejectUnauthorized: false, timeout: timeoutMs }, (res) => {
      // Read now: the socket is detached from the response by the time its body ends.
      const trusted = (res.socket as TLSSocket | null)?.authorized === true;
      res.resume();
      res.on('end', () => done({ status: res.statusCode ?? 0, seconds: (performance.now() - t0) / 1000, trusted }));
      res.on('error', () => done(undefined));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => done(undefined));
    req.end();
  });
}

/**
 * Requests to the app's health route, reported two ways: as the APM tracer sees them in the app
 * (trace.http.request duration, hits by status class) and as the Agent's HTTP check sees them from outside
 * (network.http.can_connect: a trusted certificate and a status below 400; network.http.response_time).
 */
export async function measureHttp(opts: { readonly url: string; readonly resolve: string; readonly caFile: string; readonly service: string; readonly tags: readonly string[]; readonly requests?: number }): Promise<Measured[]> {
  const ca = await readFile(opts.caFile, 'utf8');
  const url = new URL(opts.url);
  const trace = [`service:${opts.service}`, `http.path_group:${url.pathname}`, ...opts.tags];
  const check = [`url:${opts.url}`, ...opts.tags];
  const out: Measured[] = [];
  const duration: [number, number][] = [];
  const canConnect: [number, number][] = [];
  const responseTime: [number, number][] = [];
  const hits = new Map<string, number>();
  for (let i = 0; i < (opts.requests ?? 10); i++) {
    const a = await get(url, opts.resolve, ca, 5_000);
    const at = nowS();
    canConnect.push([at, a && a.trusted && a.status < 400 ? 1 : 0]);
    if (!a) continue;
    duration.push([at, a.seconds]);
    responseTime.push([at, a.seconds]);
    const cls = `${Math.floor(a.status / 100)}xx`;
    hits.set(cls, (hits.get(cls) ?? 0) + 1);
  }
  const at = nowS();
  out.push({ metric: 'network.http.can_connect', type: 'gauge', tags: check, points: canConnect });
  if (responseTime.length > 0) out.push({ metric: 'network.http.response_time', type: 'gauge', tags: check, points: responseTime }, { metric: 'trace.http.request', type: 'gauge', tags: trace, points: duration });
  for (const [cls, n] of hits) out.push({ metric: 'trace.http.request.hits', type: 'count', tags: [...trace, `http.status_class:${cls}`], points: [[at, n]] });
  // Errors as a count of their own, zero included: an error-rate series that is silent when all is well looks like a broken pipeline.
  out.push({ metric: 'trace.http.request.errors', type: 'count', tags: trace, points: [[at, hits.get('5xx') ?? 0]] });
  return out;
}

/** The POST /api/v2/series body (MetricPayload) for what was measured: type 1 is a count, 3 a gauge. */
export function seriesPayload(measured: readonly Measured[]): { series: { metric: string; type: number; points: { timestamp: number; value: number }[]; tags: string[] }[] } {
  return { series: measured.map((m) => ({ metric: m.metric, type: m.type === 'count' ? 1 : 3, points: m.points.map(([timestamp, value]) => ({ timestamp, value })), tags: [...m.tags] })) };
}
