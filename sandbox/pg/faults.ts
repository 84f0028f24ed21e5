import pg from 'pg';
import type { PostgresSpec, StackSpec, Targets, QualifiedName } from '../../spec/index.js';
import { keyOf, parseQualified } from '../../spec/index.js';
import { allowPlaintextLogins, migrationNameColumn, specTables } from './state.js';
import { FaultNotPlantableError } from '../fault.js';

/** The targets.postgres section a sandbox run will use; a fault about where the app connects edits it. */
export type PgTargetDraft = NonNullable<Targets['postgres']>;

/**
 * Plants one control's fault into a database set up by applyPgState. `admin` is a superuser connected
 * to that database. Each fault breaks exactly its control: the other pg.* checks keep their status.
 */
export type PgFault = (admin: pg.Client, spec: StackSpec, target: PgTargetDraft) => Promise<void>;


function pgSpecOf(control: string, spec: StackSpec): PostgresSpec {
  if (!spec.postgres) throw new FaultNotPlantableError(control, 'the stack has no prodcheck:postgres section');
  return spec.postgres;
}

function rel(admin: pg.Client, n: QualifiedName): string {
  return `${admin.escapeIdentifier(n.schema)}.${admin.escapeIdentifier(n.name)}`;
}

/** Connections the faults hold open; they close when the admin connection that planted them ends. */
async function holdConnections(admin: pg.Client, count: number): Promise<void> {
  const held: pg.Client[] = [];
  const release = (): void => {
    for (const c of held) void c.end().catch(() => undefined);
  };
  admin.once('end', release);
  try {
    for (let n = 0; n < count; n++) {
      const c = new pg.Client({ host: admin.host, port: admin.port, user: admin.user, password: admin.password, database: admin.database, ssl: false });
      c.on('error', () => undefined);
      held.push(c);
      await c.connect();
    }
  } catch (e) {
    release();
    throw e;
  }
}

/**
 * Fills connections until the share in use reaches postgres.maxConnectionUsePct once the verifier has
 * connected too. They are opened as the (superuser) admin, which may use the reserved slots, so the
 * verifier still finds one free; they stay open until the admin connection ends.
 */
export async function exhaustConnectionHeadroom(admin: pg.Client, spec: StackSpec): Promise<number> {
  const p = pgSpecOf('pg.connectivity', spec);
  const row = (
    await admin.query<{ used: number; max: number; reserved: number }>(
      `SELECT (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')::int AS used,
              current_setting('max_connections')::int AS max, current_setting('superuser_reserved_connections')::int AS reserved`,
    )
  ).rows[0];
  if (!row) throw new Error('pg_stat_activity returned no row');
  const target = Math.ceil((row.max * p.maxConnectionUsePct) / 100) - 1;
  const open = Math.max(0, target - row.used);
  if (row.used + open + 1 > row.max) {
    throw new FaultNotPlantableError('pg.connectivity', `max_connections=${row.max} leaves no slot for the verifier at ${p.maxConnectionUsePct}%`);
  }
  await holdConnections(admin, open);
  return open;
}

/** One fault per pg.* control that a local Postgres can carry. */
export const PG_FAULTS: Readonly<Record<string, PgFault>> = {
  /** When the spec requires TLS: TLS stays offered, but pg_hba.conf also admits logins without it. Else the connection headroom used up. */
  'pg.connectivity': async (admin, spec) => {
    const p = pgSpecOf('pg.connectivity', spec);
    if (p.tls) await allowPlaintextLogins(admin);
    else await exhaustConnectionHeadroom(admin, spec);
  },

  /** The last expected migration is not recorded as applied. */
  'pg.migrations': async (admin, spec) => {
    const m = pgSpecOf('pg.migrations', spec).migrations;
    const last = m?.expected[m.expected.length - 1];
    if (!m || last === undefined) throw new FaultNotPlantableError('pg.migrations', 'postgres.migrations.expected is empty');
    const result = await admin.query(`DELETE FROM ${rel(admin, parseQualified(m.table))} WHERE ${admin.escapeIdentifier(migrationNameColumn(m))} = $1`, [last]);
    if (result.rowCount !== 1) throw new Error(`migration "${last}" was not in ${m.table}: was the state applied?`);
  },

  /** A table only postgres.tables names is dropped, so no other check depends on it. */
  'pg.schema.tables': async (admin, spec) => {
    const p = pgSpecOf('pg.schema.tables', spec);
    const elsewhere = new Set(specTables({ ...p, tables: [] }).map(keyOf));
    if (p.migrations) elsewhere.add(keyOf(parseQualified(p.migrations.table)));
    const lone = p.tables.map(parseQualified).filter((t) => !elsewhere.has(keyOf(t)));
    const victim = lone[lone.length - 1];
    if (!victim) throw new FaultNotPlantableError('pg.schema.tables', 'every table in postgres.tables is also named by indexes, rls, appendOnly or hashedColumns, so dropping one would fail those checks too');
    await admin.query(`DROP TABLE ${rel(admin, victim)} CASCADE`);
  },

  /** The last expected function is dropped. */
  'pg.schema.functions': async (admin, spec) => {
    const fns = pgSpecOf('pg.schema.functions', spec).functions;
    const last = fns[fns.length - 1];
    if (last === undefined) throw new FaultNotPlantableError('pg.schema.functions', 'postgres.functions is empty');
    await admin.query(`DROP FUNCTION ${rel(admin, parseQualified(last))}`);
  },

  /** Every index serving the first expected index (that the primary key does not serve) is dropped. */
  'pg.indexes': async (admin, spec) => {
    const want = pgSpecOf('pg.indexes', spec).indexes.find((i) => !(i.columns.length === 1 && i.columns[0] === 'id'));
    if (!want) throw new FaultNotPlantableError('pg.indexes', 'postgres.indexes has no index other than on "id"');
    const table = parseQualified(want.table);
    const { rows } = await admin.query<{ schema: string; name: string }>(
      `SELECT n.nspname AS schema, ic.relname AS name
         FROM pg_index i
         JOIN pg_class t ON t.oid = i.indrelid
         JOIN pg_class ic ON ic.oid = i.indexrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = $1 AND t.relname = $2 AND NOT i.indisprimary
          AND (SELECT array_agg(a.attname::text ORDER BY k.ord)
                 FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                WHERE k.ord <= $4) = $3::text[]`,
      [table.schema, table.name, want.columns, want.columns.length],
    );
    if (rows.length === 0) throw new Error(`no index on ${want.table}(${want.columns.join(', ')}) to drop: was the state applied?`);
    for (const r of rows) await admin.query(`DROP INDEX ${rel(admin, r)}`);
  },

  /** RLS stays enabled and forced, but the first RLS table gets a policy that lets the app read every row. */
  'pg.rls': async (admin, spec) => {
    const p = pgSpecOf('pg.rls', spec);
    const first = p.rls[0];
    if (first === undefined) throw new FaultNotPlantableError('pg.rls', 'postgres.rls is empty');
    await admin.query(`CREATE POLICY read_all ON ${rel(admin, parseQualified(first))} FOR SELECT TO ${admin.escapeIdentifier(p.appRole)} USING (true)`);
  },

  /** The app role may create databases. */
  'pg.grants.least-privilege': async (admin, spec) => {
    await admin.query(`ALTER ROLE ${admin.escapeIdentifier(pgSpecOf('pg.grants.least-privilege', spec).appRole)} CREATEDB`);
  },

  /** The app role may UPDATE the first append-only table. */
  'pg.grants.append-only': async (admin, spec) => {
    const p = pgSpecOf('pg.grants.append-only', spec);
    const first = p.appendOnly[0];
    if (first === undefined) throw new FaultNotPlantableError('pg.grants.append-only', 'postgres.appendOnly is empty');
    await admin.query(`GRANT UPDATE ON ${rel(admin, parseQualified(first))} TO ${admin.escapeIdentifier(p.appRole)}`);
  },

  /** The app's connection string points straight at Postgres: no pooler in between. */
  'pg.connection-pooling': async (_admin, spec, target) => {
    const p = pgSpecOf('pg.connection-pooling', spec);
    if (!p.pooling.enabled) throw new FaultNotPlantableError('pg.connection-pooling', 'postgres.pooling.enabled is false');
    const direct = new URL(target.url);
    direct.password = '';
    direct.username = p.appRole;
    target.poolerUrl = direct.toString();
    delete target.poolerAdminUrl;
  },

  /**
   * A statement of the app role that takes 1.5 times the latency budget, run once more often than the
   * app's most called statement so it is among the statements pg.query-latency judges.
   */
  'pg.query-latency': async (admin, spec) => {
    const p = pgSpecOf('pg.query-latency', spec);
    const ext = await admin.query<{ schema: string }>(`SELECT n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_stat_statements'`);
    const schema = ext.rows[0]?.schema;
    if (schema === undefined) throw new FaultNotPlantableError('pg.query-latency', 'pg_stat_statements is not installed');
    const top = await admin.query<{ calls: number }>(
      `SELECT coalesce(max(calls), 0)::int AS calls FROM ${admin.escapeIdentifier(schema)}.pg_stat_statements
        WHERE userid = (SELECT oid FROM pg_roles WHERE rolname = $1) AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [p.appRole],
    );
    const calls = Math.min(50, (top.rows[0]?.calls ?? 0) + 1);
    const seconds = (p.queryLatencyMs * 1.5) / 1000;
    // pg_stat_statements files a statement under the current user, which SET ROLE changes.
    await admin.query(`SET ROLE ${admin.escapeIdentifier(p.appRole)}`);
    try {
      for (let n = 0; n < calls; n++) await admin.query(`SELECT pg_sleep(${seconds})`);
    } finally {
      await admin.query('RESET ROLE');
    }
  },

  /** A plaintext password lands in the first hashed column. */
  'pg.data.credentials-hashed': async (admin, spec) => {
    const first = pgSpecOf('pg.data.credentials-hashed', spec).hashedColumns[0];
    if (first === undefined) throw new FaultNotPlantableError('pg.data.credentials-hashed', 'postgres.hashedColumns is empty');
    await admin.query(`INSERT INTO ${rel(admin, parseQualified(first.table))} (${admin.escapeIdentifier(first.column)}) VALUES ($1)`, ['correct horse battery staple']);
  },
};
