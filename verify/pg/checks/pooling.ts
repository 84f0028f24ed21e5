/** pg.connection-pooling. */
import type { PostgresSpec } from '../../../spec/index.js';
import type { Check } from '../../types.js';
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
      if (!p.admin.pools.ok) return [couldNotRead(`SHOW POOLS from the pooler admin console at ${where}`, p.admin.pools, where)];
      const pools = p.admin.pools.value.filter((x) => x.database === database);
      const label = `pgbouncer at ${where} must pool database "${database}"`;
      if (pools.length > 0) {
        const found = `found pools for ${plural(pools.length, 'user')}: ${showList(pools.map((x) => x.user))}`;
        return [{ status: 'pass', message: `${label} (${found}).`, expected: `pool for "${database}"`, actual: found, resource: where }];
      }
      const others = [...new Set(p.admin.pools.value.map((x) => x.database))];
      const found = others.length ? `found pools only for ${showList(others)}` : 'found no pools';
      return [{ status: 'fail', message: `${label} (${found}).`, expected: `pool for "${database}"`, actual: found, resource: where }];
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
