/** The pooler's view: what pg.connection-pooling judges. */
import type { Probe } from '../types.js';
import { connectPg, firstLine, pgConnection, type PgConnection } from './connection.js';
import { marked } from './session.js';
import type { Endpoint, PgTarget, PoolerDatabase, PoolingState, PoolRow } from './snapshot.js';

export async function readPools(admin: PgConnection, signal: AbortSignal): Promise<{ pools: PoolRow[]; databases: PoolerDatabase[] }> {
  const { client } = await connectPg(admin, signal);
  try {
    // pgbouncer's admin console answers simple queries only and rejects BEGIN; it has nothing to write.
    const result = await client.query<Record<string, string | null>>('SHOW POOLS');
    const pools = result.rows.map((r) => ({
      database: r.database ?? '',
      user: r.user ?? '',
      clientsActive: Number(r.cl_active ?? 0),
      clientsWaiting: Number(r.cl_waiting ?? 0),
      serversActive: Number(r.sv_active ?? 0),
      serversIdle: Number(r.sv_idle ?? 0),
      mode: r.pool_mode ?? '',
    }));
    // Where each pooled database name leads: the server and database pgbouncer logs in to.
    const dbs = await client.query<Record<string, string | null>>('SHOW DATABASES');
    const databases = dbs.rows.map((r) => ({
      name: r.name ?? '',
      host: r.host ?? '',
      port: Number(r.port ?? 0),
      database: r.database ?? '',
      forceUser: r.force_user ?? null,
    }));
    return { pools, databases };
  } finally {
    await client.end().catch(() => undefined);
  }
}

function endpointOf(url: string): Endpoint {
  const u = new URL(url);
  const host = decodeURIComponent(u.searchParams.get('host') ?? u.hostname.replace(/^\[(.*)\]$/, '$1')) || 'localhost';
  const user = decodeURIComponent(u.username);
  return { host, port: Number(u.searchParams.get('port') ?? (u.port || 5432)), database: decodeURIComponent(u.searchParams.get('dbname') ?? u.pathname.slice(1)) || user };
}

export async function collectPooling(target: PgTarget, signal: AbortSignal): Promise<PoolingState> {
  const base = { database: endpointOf(target.url), ...(target.poolerUrl ? { pooler: endpointOf(target.poolerUrl) } : {}) };
  if (!target.poolerAdminUrl) return base;
  let admin: PgConnection;
  try {
    admin = pgConnection(target.poolerAdminUrl, { caFile: target.caFile, timeoutMs: target.timeoutMs });
  } catch (e) {
    return { ...base, admin: { endpoint: endpointOf(target.poolerAdminUrl), pools: { ok: false, error: firstLine(e) }, databases: { ok: false, error: firstLine(e) } } };
  }
  const read = async (): Promise<{ pools: Probe<readonly PoolRow[]>; databases: Probe<readonly PoolerDatabase[]> }> => {
    try {
      const r = await readPools(admin, signal);
      return { pools: { ok: true, value: r.pools }, databases: { ok: true, value: r.databases } };
    } catch (e) {
      const failed = { ok: false as const, error: firstLine(e) };
      return { pools: failed, databases: failed };
    }
  };
  const first = await read();
  const wanted = (base.pooler ?? base.database).database;
  const listed = first.databases.ok && first.databases.value.some((d) => d.name === wanted || d.name === '*');
  if (!first.databases.ok || listed || !target.poolerUrl) return { ...base, admin: { endpoint: admin.endpoint, ...first } };
  // A `*`-routed database shows only while clients use it: one login through the pooler, as the app makes, then read again.
  const woken = await loginThrough(target.poolerUrl, target, signal);
  return { ...base, admin: { endpoint: admin.endpoint, ...(await read()), woken } };
}

async function loginThrough(url: string, target: PgTarget, signal: AbortSignal): Promise<Probe<true>> {
  try {
    const { client } = await connectPg(pgConnection(url, { caFile: target.caFile, timeoutMs: target.timeoutMs }), signal);
    try {
      await client.query(marked('SELECT 1'));
    } finally {
      await client.end().catch(() => undefined);
    }
    return { ok: true, value: true };
  } catch (e) {
    return { ok: false, error: firstLine(e) };
  }
}
