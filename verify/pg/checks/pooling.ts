/** pg.connection-pooling. */
import type { PostgresSpec } from '../../../spec/index.js';
import type { Check, Finding } from '../../types.js';
import type { Endpoint, PgSnapshot } from '../snapshot.js';
import { showList, plural, hostPort, couldNotRead, skip, pgSpecOf } from './common.js';

const POOLER_ENDPOINTS: Readonly<Record<'supabase' | 'neon' | 'rds-proxy', { readonly test: (e: Endpoint) => boolean; readonly shape: string; readonly name: string }>> = {
  supabase: { test: (e) => e.port === 6543 || /\.pooler\.supabase\.com$/i.test(e.host), shape: 'port 6543 or *.pooler.supabase.com', name: 'Supabase pooler' },
  neon: { test: (e) => /^[^.]+-pooler\./i.test(e.host), shape: 'a host whose first label ends in -pooler', name: 'Neon pooled' },
  'rds-proxy': { test: (e) => /\.proxy-[^.]+\.[^.]+\.rds\.amazonaws\.com$/i.test(e.host), shape: '*.proxy-*.<region>.rds.amazonaws.com', name: 'RDS Proxy' },
};

const POOLER_NAMES: Readonly<Record<PostgresSpec['pooling']['kind'], string>> = { pgbouncer: 'pgbouncer', supabase: 'Supabase', neon: 'Neon', 'rds-proxy': 'RDS Proxy' };

export const pgConnectionPooling: Check<PgSnapshot> = {
  id: 'pg.connection-pooling',
  target: 'postgres',
  evaluate(s, spec) {
    const pooling = pgSpecOf(spec).pooling;
    if (!pooling.enabled) return skip('Pooling is disabled in the spec (postgres.pooling.enabled: false).');
    const p = s.pooling;
    if (p.admin) {
      const where = hostPort(p.admin.endpoint);
      const database = (p.pooler ?? p.database).database;
      const role = pgSpecOf(spec).appRole;
      if (!p.admin.pools.ok) return [couldNotRead(`SHOW POOLS from the pooler admin console at ${where}`, p.admin.pools, where)];
      if (!p.admin.databases.ok) return [couldNotRead(`SHOW DATABASES from the pooler admin console at ${where}`, p.admin.databases, where)];
      const label = `pgbouncer at ${where} must pool database "${database}" for role "${role}" into the database at ${hostPort(p.database)}/${p.database.database}`;
      const expected = `pool "${database}" for "${role}" → ${hostPort(p.database)}/${p.database.database}`;
      const fail = (found: string): Finding => ({ status: 'fail', message: `${label} (${found}).`, expected, actual: found.replace(/^found /, ''), resource: where });
      const entry = p.admin.databases.value.find((d) => d.name === database) ?? p.admin.databases.value.find((d) => d.name === '*');
      if (!entry) {
        const names = p.admin.databases.value.map((d) => d.name).filter((n) => n !== 'pgbouncer');
        const woken = p.admin.woken;
        const login = woken === undefined ? '' : woken.ok ? ', even after a login through poolerUrl' : `, and a login through poolerUrl failed: ${woken.error}`;
        return [fail(names.length ? `found no [databases] entry for it${login}, only ${showList(names)}` : `found no [databases] entry for it${login}`)];
      }
      // Where that name leads: an entry's host may be a name or an address, so both sides are compared as written and as 127.0.0.1 for localhost.
      const norm = (h: string): string => (h === 'localhost' || h === '' ? '127.0.0.1' : h);
      const leadsTo = { host: entry.host, port: entry.port, database: entry.database || database };
      const same = norm(leadsTo.host) === norm(p.database.host) && leadsTo.port === p.database.port && leadsTo.database === p.database.database;
      const shown = `${hostPort(leadsTo)}/${leadsTo.database}`;
      if (!same) return [fail(`found "${entry.name}" leads to ${shown}`)];
      if (entry.forceUser !== null && entry.forceUser !== role) return [fail(`found "${entry.name}" logs in to Postgres as "${entry.forceUser}", not "${role}"`)];
      const pools = p.admin.pools.value.filter((x) => x.database === database);
      const mine = pools.find((x) => x.user === role);
      const failedLogin = p.admin.woken && !p.admin.woken.ok ? `; prodcheck's login through poolerUrl failed: ${p.admin.woken.error}` : '';
      if (!mine) return [fail(pools.length ? `found pools for it only for ${showList(pools.map((x) => x.user))}${failedLogin}` : `found no pool for it: the app has not connected through pgbouncer${failedLogin}`)];
      // pgbouncer had dropped the idle `*`-routed database: the entry and this pool come from prodcheck's own login.
      const wokenNote = p.admin.woken?.ok ? ', listed once prodcheck logged in through poolerUrl: pgbouncer drops a `*`-routed database while it is idle' : '';
      const found = `found a ${mine.mode || 'pool'} pool for "${role}" leading to ${shown}${pools.length > 1 ? `, and ${plural(pools.length - 1, 'other user')}` : ''}`;
      // The note stays out of `actual`: drift compares it, and whether pgbouncer had dropped the entry is no change.
      return [{ status: 'pass', message: `${label} (${found}${wokenNote}).`, expected, actual: found.replace(/^found /, ''), resource: where }];
    }
    const label = `The app must connect through a ${POOLER_NAMES[pooling.kind]} pooler`;
    const expected = `${POOLER_NAMES[pooling.kind]} pooler endpoint`;
    const known = pooling.kind === 'pgbouncer' ? undefined : POOLER_ENDPOINTS[pooling.kind];
    const db = hostPort(p.database);
    if (p.pooler) {
      const where = hostPort(p.pooler);
      const isDatabase = p.pooler.host === p.database.host && p.pooler.port === p.database.port;
      let ok: boolean;
      let found: string;
      if (known) {
        ok = known.test(p.pooler);
        found = ok ? `found poolerUrl ${where}, a ${known.name} endpoint` : `found poolerUrl ${where}, which is not a ${known.name} endpoint (${known.shape})`;
      } else {
        ok = !isDatabase;
        found = ok ? `found poolerUrl ${where}, apart from the database at ${db}` : `found poolerUrl ${where}, which is the database itself`;
      }
      return [{ status: ok ? 'pass' : 'fail', message: `${label} (${found}).`, expected, actual: found, resource: where }];
    }
    if (known?.test(p.database)) {
      const found = `found the database URL ${db} is a ${known.name} endpoint`;
      return [{ status: 'pass', message: `${label} (${found}).`, expected, actual: found, resource: db }];
    }
    const found = `found neither poolerUrl nor poolerAdminUrl in the targets, and the database URL ${db} is not a pooler endpoint`;
    return [{ status: 'fail', message: `${label} (${found}).`, expected, actual: found, resource: db }];
  },
};
