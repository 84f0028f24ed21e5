import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPgState, type AppliedPgState } from '../../../sandbox/pg/state.js';
import { stackSpecSchema } from '../../../spec/index.js';
import { Redactor } from '../../../report/redact.js';
import { pgMigrations } from '../../../verify/pg/checks/index.js';
import { pgCollector } from '../../../verify/pg/collect.js';
import { detectTool } from '../../../verify/pg/read-migrations.js';
import { PG_SERVERS, usePostgres } from '../../harness.js';

/**
 * Each tool's history table as the tool creates it on PostgreSQL, with rows that include its failure
 * markers, the names the spec expects, and what pg.migrations must say when the spec names only the table.
 */
interface ToolCase {
  readonly tool: string;
  readonly table: string;
  readonly ddl: string;
  readonly rows: string;
  readonly expected: readonly string[];
  readonly findings: readonly string[];
}

const T = (table: string) => `"${table.split('.')[0]}"."${table.split('.')[1]}"`;
const all = (table: string, n: number) => [`pass: Migrations table ${T(table)} must list every expected migration (found all ${n} applied).`];
const missing = (table: string, of: number, what: string) => [`fail: Migrations table ${T(table)} must list every expected migration (missing 1 of ${of}: ${what}).`];

const CASES: readonly ToolCase[] = [
  {
    tool: 'prisma',
    table: 'm_prisma._prisma_migrations',
    ddl: `(id varchar(36) PRIMARY KEY, checksum varchar(64) NOT NULL, finished_at timestamptz, migration_name varchar(255) NOT NULL, logs text,
           rolled_back_at timestamptz, started_at timestamptz NOT NULL DEFAULT now(), applied_steps_count integer NOT NULL DEFAULT 0)`,
    // 0002 failed; 0003 was rolled back, then applied again; 0009 failed and the spec does not know it.
    rows: `(id, checksum, finished_at, migration_name, rolled_back_at, started_at) VALUES
           ('a', 'x', now(), '0001_init', NULL, now() - interval '4 hours'), ('b', 'x', NULL, '0002_chat', NULL, now() - interval '3 hours'),
           ('c', 'x', NULL, '0003_audit', now(), now() - interval '2 hours'), ('d', 'x', now(), '0003_audit', NULL, now() - interval '1 hour'),
           ('e', 'x', NULL, '0009_hotfix', NULL, now())`,
    expected: ['0001_init', '0002_chat', '0003_audit'],
    findings: [
      ...missing('m_prisma._prisma_migrations', 3, '"0002_chat" (failed)'),
      `fail: Migrations table "m_prisma"."_prisma_migrations" must record no failed migration (found "0009_hotfix" failed in Prisma's history: repair it, then mark it resolved with the tool).`,
    ],
  },
  {
    tool: 'flyway',
    table: 'm_flyway.flyway_schema_history',
    ddl: `(installed_rank int PRIMARY KEY, version varchar(50), description varchar(200) NOT NULL, type varchar(20) NOT NULL, script varchar(1000) NOT NULL,
           checksum int, installed_by varchar(100) NOT NULL, installed_on timestamp NOT NULL DEFAULT now(), execution_time int NOT NULL, success boolean NOT NULL)`,
    rows: `(installed_rank, version, description, type, script, installed_by, execution_time, success) VALUES
           (1, '1', 'init', 'SQL', 'V1__init.sql', 'ci', 5, true), (2, '2', 'users', 'SQL', 'V2__users.sql', 'ci', 5, false)`,
    expected: ['1', '2'],
    findings: missing('m_flyway.flyway_schema_history', 2, '"2" (failed)'),
  },
  {
    tool: 'liquibase',
    table: 'm_liquibase.databasechangelog',
    ddl: `(id varchar(255) NOT NULL, author varchar(255) NOT NULL, filename varchar(255) NOT NULL, dateexecuted timestamp NOT NULL, orderexecuted int NOT NULL,
           exectype varchar(10) NOT NULL, md5sum varchar(35), description varchar(255), comments varchar(255), tag varchar(255), liquibase varchar(20),
           contexts varchar(255), labels varchar(255), deployment_id varchar(10))`,
    rows: `(id, author, filename, dateexecuted, orderexecuted, exectype) VALUES
           ('create-users', 'dev', 'db.xml', now(), 1, 'EXECUTED'), ('add-index', 'dev', 'db.xml', now(), 2, 'FAILED'), ('seed', 'dev', 'db.xml', now(), 3, 'MARK_RAN')`,
    expected: ['create-users', 'add-index', 'seed'],
    findings: missing('m_liquibase.databasechangelog', 3, '"add-index" (failed)'),
  },
  {
    tool: 'golang-migrate',
    table: 'm_golang.schema_migrations',
    ddl: '(version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)',
    rows: '(version, dirty) VALUES (3, true)',
    expected: ['000001_init', '000002_users', '000003_orders'],
    findings: missing('m_golang.schema_migrations', 3, '"000003_orders" (dirty)'),
  },
  {
    tool: 'alembic',
    table: 'm_alembic.alembic_version',
    ddl: '(version_num varchar(32) NOT NULL PRIMARY KEY)',
    rows: `(version_num) VALUES ('b2c3')`,
    expected: ['a1b2', 'b2c3', 'c3d4'],
    findings: missing('m_alembic.alembic_version', 3, '"c3d4"'),
  },
  {
    tool: 'knex',
    table: 'm_knex.knex_migrations',
    ddl: '(id serial PRIMARY KEY, name varchar(255), batch integer, migration_time timestamptz)',
    rows: `(name, batch, migration_time) VALUES ('20240101_init.js', 1, now()), ('20240202_users.js', 2, now())`,
    expected: ['20240101_init.js', '20240202_users.js'],
    findings: all('m_knex.knex_migrations', 2),
  },
  {
    tool: 'typeorm',
    table: 'm_typeorm.migrations',
    ddl: '(id serial PRIMARY KEY, "timestamp" bigint NOT NULL, name varchar NOT NULL)',
    rows: `("timestamp", name) VALUES (1700000000000, 'Init1700000000000')`,
    expected: ['Init1700000000000'],
    findings: all('m_typeorm.migrations', 1),
  },
  {
    tool: 'sequelize',
    table: 'm_sequelize.SequelizeMeta',
    ddl: '(name varchar(255) NOT NULL PRIMARY KEY)',
    rows: `(name) VALUES ('20240101-create-user.js')`,
    expected: ['20240101-create-user.js'],
    findings: all('m_sequelize.SequelizeMeta', 1),
  },
  {
    tool: 'rails',
    table: 'm_rails.schema_migrations',
    ddl: '(version varchar NOT NULL PRIMARY KEY)',
    rows: `(version) VALUES ('20240101000000'), ('20240202000000')`,
    expected: ['20240101000000', '20240202000000'],
    findings: all('m_rails.schema_migrations', 2),
  },
  {
    tool: 'node-pg-migrate',
    table: 'm_npm.pgmigrations',
    ddl: '(id serial PRIMARY KEY, name varchar(255) NOT NULL, run_on timestamp NOT NULL)',
    rows: `(name, run_on) VALUES ('1700000000000_init', now())`,
    expected: ['1700000000000_init'],
    findings: all('m_npm.pgmigrations', 1),
  },
  {
    tool: 'supabase',
    table: 'm_supabase.schema_migrations',
    ddl: '(version text NOT NULL PRIMARY KEY, statements text[], name text)',
    rows: `(version, statements, name) VALUES ('20240101000000', ARRAY['create table x ()'], 'init')`,
    expected: ['20240101000000'],
    findings: all('m_supabase.schema_migrations', 1),
  },
  {
    tool: 'drizzle',
    table: 'm_drizzle.__drizzle_migrations',
    ddl: '(id serial PRIMARY KEY, hash text NOT NULL, created_at bigint)',
    rows: `(hash, created_at) VALUES ('563f0bc57d87e284c71533a5f67e1b525de720cf6727eed140f6c384ef06c995', 1734221536864)`,
    expected: ['563f0bc57d87e284c71533a5f67e1b525de720cf6727eed140f6c384ef06c995'],
    findings: all('m_drizzle.__drizzle_migrations', 1),
  },
];

describe('detectTool', () => {
  it('tells golang-migrate from Rails and Supabase, and needs the table name for one-column layouts', () => {
    const t = (name: string) => ({ schema: 'public', name });
    expect(detectTool(t('schema_migrations'), new Set(['version', 'dirty']))).toBe('golang-migrate');
    expect(detectTool(t('schema_migrations'), new Set(['version']))).toBe('rails');
    expect(detectTool(t('schema_migrations'), new Set(['version', 'statements', 'name']))).toBe('supabase');
    expect(detectTool(t('versions'), new Set(['version']))).toBeUndefined();
    expect(detectTool(t('migrations'), new Set(['id', 'name', 'applied_at']))).toBeUndefined();
  });
});

describe.each(PG_SERVERS)('pg.migrations against a real Postgres (%s)', (server) => {
  const postgres = usePostgres({ server });
  let admin: pg.Client;
  let state: AppliedPgState;
  beforeAll(async () => {
    admin = new pg.Client({ connectionString: postgres().url, ssl: false });
    await admin.connect();
    state = await applyPgState(admin, stackSpecSchema.parse({ app: { name: 'x', domain: 'x.example.com' }, postgres: { appRole: 'app_m', verifierRole: 'verifier_m' } }));
    for (const c of [...CASES, { table: 'm_plain.migrations', ddl: '(id serial PRIMARY KEY, name text, applied_at timestamptz)', rows: `(name) VALUES ('0001')` }]) {
      const [schema] = c.table.split('.');
      await admin.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      await admin.query(`CREATE TABLE ${T(c.table)} ${c.ddl}`);
      await admin.query(`INSERT INTO ${T(c.table)} ${c.rows}`);
      await admin.query(`GRANT USAGE ON SCHEMA "${schema}" TO verifier_m`);
      await admin.query(`GRANT SELECT ON ${T(c.table)} TO verifier_m`);
    }
  });
  afterAll(() => admin?.end());

  const judge = async (migrations: object): Promise<string[]> => {
    const spec = stackSpecSchema.parse({ app: { name: 'x', domain: 'x.example.com' }, postgres: { appRole: 'app_m', verifierRole: 'verifier_m', tls: false, migrations } });
    const s = await pgCollector.collect({ spec, targets: { postgres: { url: state.verifierUrl, timeoutMs: 5_000 } }, active: false, redactor: new Redactor(), signal: new AbortController().signal });
    return pgMigrations.evaluate(s, spec).map((f) => `${f.status}: ${f.message}`);
  };

  it.each(CASES.map((c) => [c.tool, c] as const))('reads %s history from the table name alone, never counting failed or dirty as applied', async (_tool, c) => {
    expect(await judge({ table: c.table, expected: c.expected })).toEqual(c.findings);
  });

  it('uses the tool the spec names, and says when it cannot tell the tool', async () => {
    expect(await judge({ table: 'm_plain.migrations', expected: ['0001'] })).toEqual([
      'error: Could not read the migrations table "m_plain"."migrations" (cannot tell which tool wrote m_plain.migrations (columns applied_at, id, name): set postgres.migrations.tool or column).',
    ]);
    expect(await judge({ table: 'm_plain.migrations', column: 'name', expected: ['0001'] })).toEqual(all('m_plain.migrations', 1));
    expect(await judge({ table: 'm_plain.migrations', tool: 'flyway', expected: ['0001'] })).toEqual([
      'error: Could not read the migrations table "m_plain"."migrations" (m_plain.migrations is not a Flyway table: it has no column installed_rank, version, script, success, type).',
    ]);
  });
});
