import { describe, expect, it } from 'vitest';
import { getControl } from '../../../checklist/index.js';
import * as checks from '../../../verify/pg/checks/index.js';
import {
  PG_CHECKS,
  pgConnectionPooling,
  pgConnectivity,
  pgDataCredentialsHashed,
  pgGrantsAppendOnly,
  pgGrantsLeastPrivilege,
  pgIndexes,
  pgMigrations,
  pgQueryLatency,
  pgSchemaFunctions,
  pgSchemaTables,
} from '../../../verify/pg/checks/index.js';
import type { PgSnapshot, RoleInfo } from '../../../verify/pg/snapshot.js';
import { clean, db, role, run, snap, spec, table, withPg } from './fixture.js';
import type { Check } from '../../../verify/types.js';

const denied = { ok: false as const, error: 'permission denied for table _prisma_migrations: grant SELECT on "public"."_prisma_migrations" to "prodcheck_verifier"' };

describe('pg checks: registry', () => {
  it('exports one check per control, named the camelCase of its id, in PG_CHECKS', () => {
    const exported = Object.entries(checks).filter(([, v]) => typeof v === 'object' && v !== null && 'evaluate' in v) as [string, Check<PgSnapshot>][];
    const camel = (id: string) => id.replace(/[.-]([a-z])/g, (_m, c: string) => c.toUpperCase());
    expect(exported.map(([name, c]) => [name, camel(c.id)]).filter(([a, b]) => a !== b)).toEqual([]);
    expect(PG_CHECKS.map((c) => c.id).sort()).toEqual(exported.map(([, c]) => c.id).sort());
    expect(PG_CHECKS).toHaveLength(11);
    for (const c of PG_CHECKS) {
      expect(getControl(c.id).stages).toContain('V');
      expect(c.target).toBe('postgres');
    }
    expect(PG_CHECKS.filter((c) => c.connectivity).map((c) => c.id)).toEqual(['pg.connectivity']);
  });

  it('passes every check on the clean snapshot', () => {
    const statuses = PG_CHECKS.flatMap((c) => c.evaluate(clean, spec).map((f) => `${c.id}: ${f.status}`));
    expect(statuses.filter((s) => !s.endsWith('pass'))).toEqual([]);
    expect(statuses).toHaveLength(20);
  });
});

describe('pg.connectivity', () => {
  it('passes over verified TLS with headroom', () => {
    expect(run(pgConnectivity)).toEqual([
      ['pass', 'Postgres at 10.0.0.5:5432 must be reached over TLS (found TLSv1.3, certificate and host name verified).'],
      ['pass', 'Postgres at 10.0.0.5:5432 must refuse logins without TLS (found a plaintext login as "app" refused: no pg_hba.conf entry for host "10.0.0.9", user "app", database "app", no encryption).'],
      ['pass', 'Postgres connections in use must stay below 80% of max_connections (found 12 of 100, 12%).'],
    ]);
  });

  it('says when the certificate was not verified', () => {
    const s = snap({ sslmode: 'require', certCheck: 'none' });
    expect(run(pgConnectivity, s)[0]).toEqual(['pass', 'Postgres at 10.0.0.5:5432 must be reached over TLS (found TLSv1.3, certificate not verified: sslmode=require and no CA given).']);
    expect(run(pgConnectivity, snap({ sslmode: 'prefer', certCheck: 'chain' }))[0]?.[1]).toContain('certificate chain verified, host name not checked');
  });

  it('fails an unencrypted connection when the spec requires TLS', () => {
    const s = snap({ sslmode: 'prefer', certCheck: 'chain', tls: { ok: true, value: { inUse: false, version: null } } });
    expect(run(pgConnectivity, s)[0]).toEqual(['fail', 'Postgres at 10.0.0.5:5432 must be reached over TLS (found an unencrypted connection, sslmode=prefer).']);
    expect(run(pgConnectivity, s, withPg({ tls: false }))[0]).toEqual([
      'pass',
      'Postgres at 10.0.0.5:5432 must be reachable (found PostgreSQL 16.4 over an unencrypted connection; the spec does not require TLS).',
    ]);
  });

  it('fails when connections reach the allowed share of max_connections', () => {
    expect(run(pgConnectivity, snap({ connections: { ok: true, value: { used: 80, max: 100 } } }))[2]).toEqual([
      'fail',
      'Postgres connections in use must stay below 80% of max_connections (found 80 of 100, 80%).',
    ]);
    expect(run(pgConnectivity, snap({ connections: { ok: true, value: { used: 79, max: 100 } } }))[2]?.[0]).toBe('pass');
    expect(run(pgConnectivity, snap({ connections: { ok: true, value: { used: 2, max: 3 } } }), withPg({ maxConnectionUsePct: 50 }))[2]).toEqual([
      'fail',
      'Postgres connections in use must stay below 50% of max_connections (found 2 of 3, 66.7%).',
    ]);
  });

  it('reports probes it could not read as errors', () => {
    const s = snap({ tls: { ok: false, error: 'canceling statement due to statement timeout' }, connections: { ok: false, error: 'boom' } });
    expect(run(pgConnectivity, s)).toEqual([
      ['error', 'Could not read pg_stat_ssl for the verifier session (canceling statement due to statement timeout).'],
      ['error', 'Could not read the connection count from pg_stat_activity (boom).'],
    ]);
  });
});

describe('pg.migrations', () => {
  it('passes when every expected migration is applied', () => {
    expect(run(pgMigrations)).toEqual([['pass', 'Migrations table "_prisma_migrations" must list every expected migration (found all 3 applied).']]);
  });

  it('fails on a missing migration and on one the repo does not know', () => {
    const s = snap({ migrations: { ok: true, value: { exists: true, applied: ['0001_init', '0002_chat', '0009_hotfix'], notApplied: [] } } });
    expect(run(pgMigrations, s)).toEqual([
      ['fail', 'Migrations table "_prisma_migrations" must list every expected migration (missing 1 of 3: "0003_audit").'],
      ['fail', 'Migrations table "_prisma_migrations" must list only expected migrations (found 1 not in postgres.migrations.expected: "0009_hotfix").'],
    ]);
  });

  it('lists at most five missing names', () => {
    const expected = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const s = snap({ migrations: { ok: true, value: { exists: true, applied: [], notApplied: [] } } });
    expect(run(pgMigrations, s, withPg({ migrations: { table: 'migrations', column: 'name', expected } }))).toEqual([
      ['fail', 'Migrations table "migrations" must list every expected migration (missing 7 of 7: "a", "b", "c", "d", "e" and 2 more).'],
    ]);
  });

  it('fails a missing table, errors on refused access, skips without a migrations section', () => {
    expect(run(pgMigrations, snap({ migrations: { ok: true, value: { exists: false, applied: [], notApplied: [] } } }))).toEqual([
      ['fail', 'Migrations table "_prisma_migrations" must exist (found no such table).'],
    ]);
    expect(run(pgMigrations, snap({ migrations: denied }))).toEqual([
      [
        'error',
        'Could not read the migrations table "_prisma_migrations" (permission denied for table _prisma_migrations: grant SELECT on "public"."_prisma_migrations" to "prodcheck_verifier").',
      ],
    ]);
    expect(run(pgMigrations, snap({ migrations: undefined }), withPg({ migrations: undefined }))).toEqual([
      ['skip', 'No migrations to check: the spec has no postgres.migrations section.'],
    ]);
  });
});

describe('pg.schema.tables', () => {
  it('passes each existing table, schema-qualified ones included', () => {
    expect(run(pgSchemaTables)).toEqual([
      ['pass', 'Table "User" must exist (found it).'],
      ['pass', 'Table "Chat" must exist (found it).'],
      ['pass', 'Table "Message" must exist (found it).'],
      ['pass', 'Table "audit"."events" must exist (found it).'],
    ]);
    expect(pgSchemaTables.evaluate(clean, spec).map((f) => f.resource)).toEqual(['public.User', 'public.Chat', 'public.Message', 'audit.events']);
  });

  it('fails a missing table, a case mismatch and a view', () => {
    const relations = [table('audit', 'events'), table('public', 'Chat', true, 1), table('public', 'user'), { ...table('public', 'Message'), kind: 'view' as const }];
    expect(run(pgSchemaTables, snap({ relations: { ok: true, value: relations } }))).toEqual([
      ['fail', 'Table "User" must exist (found none; "user" differs only in case).'],
      ['pass', 'Table "Chat" must exist (found it).'],
      ['fail', 'Table "Message" must exist (found a view, not a table).'],
      ['pass', 'Table "audit"."events" must exist (found it).'],
    ]);
    expect(run(pgSchemaTables, snap({ relations: { ok: true, value: [] } }), withPg({ tables: ['audit.events'] }))).toEqual([
      ['fail', 'Table "audit"."events" must exist (found none in schema "audit").'],
    ]);
  });

  it('skips an empty list and errors on an unreadable catalog', () => {
    expect(run(pgSchemaTables, clean, withPg({ tables: [] }))).toEqual([['skip', 'No tables to check: postgres.tables is empty.']]);
    expect(run(pgSchemaTables, snap({ relations: { ok: false, error: 'timeout' } }))).toEqual([['error', 'Could not read the tables from pg_class (timeout).']]);
  });
});

describe('pg.schema.functions', () => {
  it('passes each existing function', () => {
    expect(run(pgSchemaFunctions)).toEqual([
      ['pass', 'Function "match_documents" must exist (found 1 definition).'],
      ['pass', 'Function "audit"."record" must exist (found 2 definitions).'],
    ]);
  });

  it('fails a missing function and skips an empty list', () => {
    expect(run(pgSchemaFunctions, snap({ functions: { ok: true, value: { 'audit.record': 1 } } }))).toEqual([
      ['fail', 'Function "match_documents" must exist (found none in schema "public").'],
      ['pass', 'Function "audit"."record" must exist (found 1 definition).'],
    ]);
    expect(run(pgSchemaFunctions, clean, withPg({ functions: [] }))).toEqual([['skip', 'No functions to check: postgres.functions is empty.']]);
  });
});

describe('pg.indexes', () => {
  it('passes expected indexes and covered foreign keys', () => {
    expect(run(pgIndexes)).toEqual([
      ['pass', 'Index on "Chat"("userId") must exist (found "Chat_userId_idx").'],
      ['pass', 'Index on "Message"("chatId", "createdAt") must exist (found "Message_chatId_createdAt_idx").'],
      ['pass', 'Foreign keys must each have a covering index (found all 1 covered).'],
    ]);
  });

  it('fails a missing index and the foreign key it covered, listing what the table has', () => {
    if (!clean.indexes.ok) throw new Error('fixture');
    const indexes = clean.indexes.value.indexes.filter((i) => i.name !== 'Message_chatId_createdAt_idx' && i.name !== 'Chat_userId_idx');
    const s = snap({ indexes: { ok: true, value: { ...clean.indexes.value, indexes } } });
    expect(run(pgIndexes, s)).toEqual([
      ['fail', 'Index on "Chat"("userId") must exist (found none; "Chat" has indexes on ("id")).'],
      ['fail', 'Index on "Message"("chatId", "createdAt") must exist (found none; "Message" has indexes on ("id")).'],
      ['fail', 'Foreign key "Message_chatId_fkey" on "Message"("chatId") must have an index whose leading columns cover it (found none).'],
    ]);
  });

  it('does not count invalid, partial or wrongly ordered indexes', () => {
    const indexes = [
      { schema: 'public', table: 'Chat', name: 'Chat_userId_idx', columns: ['userId'], valid: false, partial: false },
      { schema: 'public', table: 'Message', name: 'm1', columns: ['createdAt', 'chatId'], valid: true, partial: false },
      { schema: 'public', table: 'Message', name: 'm2', columns: ['chatId', 'createdAt'], valid: true, partial: true },
      { schema: 'public', table: 'Message', name: 'm3', columns: [null], valid: true, partial: false },
    ];
    const s = snap({ indexes: { ok: true, value: { indexes, foreignKeys: [] } } });
    expect(run(pgIndexes, s)).toEqual([
      ['fail', 'Index on "Chat"("userId") must exist (found none; "Chat" has indexes on ("userId") (invalid)).'],
      ['fail', 'Index on "Message"("chatId", "createdAt") must exist (found none; "Message" has indexes on ("createdAt", "chatId"), ("chatId", "createdAt") (partial), (expression)).'],
      ['pass', 'Foreign keys must each have a covering index (found no foreign keys).'],
    ]);
  });

  it('accepts a composite foreign key covered in any order, and names a missing table', () => {
    const indexes = [{ schema: 'public', table: 'Chat', name: 'c', columns: ['b', 'a', 'userId'], valid: true, partial: false }];
    const foreignKeys = [{ schema: 'public', table: 'Chat', name: 'Chat_a_b_fkey', columns: ['a', 'b'] }];
    const relations = [table('public', 'Chat')];
    const s = snap({ indexes: { ok: true, value: { indexes, foreignKeys } }, relations: { ok: true, value: relations } });
    expect(run(pgIndexes, s)).toEqual([
      ['fail', 'Index on "Chat"("userId") must exist (found none; "Chat" has indexes on ("b", "a", "userId")).'],
      ['fail', 'Index on "Message"("chatId", "createdAt") must exist (found no table "Message").'],
      ['pass', 'Foreign keys must each have a covering index (found all 1 covered).'],
    ]);
  });
});

describe('pg.grants.least-privilege', () => {
  const label = 'Role "app" must have no SUPERUSER, CREATEROLE, CREATEDB or BYPASSRLS, own no tables and not create in schemas';

  it('passes a plain login role', () => {
    expect(run(pgGrantsLeastPrivilege)).toEqual([['pass', `${label} (found none of these).`]]);
  });

  it('fails each kind of excess privilege, and a missing role', () => {
    expect(run(pgGrantsLeastPrivilege, snap({ appRole: { ok: true, value: { ...role, createDb: true } } }))).toEqual([['fail', `${label} (found CREATEDB).`]]);
    const everything: RoleInfo = {
      ...role,
      superuser: true,
      createRole: true,
      createDb: true,
      bypassRls: true,
      privilegedMemberOf: ['postgres'],
      owns: ['public.Chat', 'audit.events'],
      createOn: ['public'],
    };
    expect(run(pgGrantsLeastPrivilege, snap({ appRole: { ok: true, value: everything } }))).toEqual([
      ['fail', `${label} (found SUPERUSER; CREATEROLE; CREATEDB; BYPASSRLS; member of "postgres"; owns "Chat", "audit.events"; CREATE on schema "public").`],
    ]);
    expect(run(pgGrantsLeastPrivilege, snap({ appRole: { ok: true, value: null } }))).toEqual([['fail', `${label} (found no such role).`]]);
    expect(run(pgGrantsLeastPrivilege, snap({ appRole: { ok: false, error: 'timeout' } }))).toEqual([['error', 'Could not read the attributes of role "app" from pg_roles (timeout).']]);
  });
});

describe('pg.grants.append-only', () => {
  it('passes when the app role may only SELECT and INSERT', () => {
    expect(run(pgGrantsAppendOnly)).toEqual([['pass', 'Role "app" must not UPDATE, DELETE or TRUNCATE "audit"."events" (found none of these).']]);
  });

  it('fails each granted write, a missing table and a missing role', () => {
    const s = snap({ appendOnly: { ok: true, value: [{ schema: 'audit', table: 'events', update: true, delete: true, truncate: true, viaRoles: [], definers: [] }] } });
    expect(run(pgGrantsAppendOnly, s)).toEqual([['fail', 'Role "app" must not UPDATE, DELETE or TRUNCATE "audit"."events" (found UPDATE, DELETE, TRUNCATE).']]);
    expect(run(pgGrantsAppendOnly, snap({ appendOnly: { ok: true, value: [] } }))).toEqual([
      ['fail', 'Role "app" must not UPDATE, DELETE or TRUNCATE "audit"."events" (found no such table).'],
    ]);
    expect(run(pgGrantsAppendOnly, snap({ appRole: { ok: true, value: null }, appendOnly: { ok: true, value: [] } }))).toEqual([
      ['fail', 'Role "app" must not UPDATE, DELETE or TRUNCATE "audit"."events" (found no such role).'],
    ]);
    expect(run(pgGrantsAppendOnly, clean, withPg({ appendOnly: [] }))).toEqual([['skip', 'No tables to check: postgres.appendOnly is empty.']]);
  });
});

describe('pg.connection-pooling', () => {
  const pgb = { host: '10.0.0.6', port: 6432, database: 'pgbouncer' };
  const pool = (database: string, user: string) => ({ database, user, clientsActive: 1, clientsWaiting: 0, serversActive: 1, serversIdle: 2, mode: 'transaction' });

  const entry = (over: object = {}) => ({ name: 'app', host: '10.0.0.5', port: 5432, database: 'app', forceUser: null, ...over });
  const admin = (pools: ReturnType<typeof pool>[], databases = [entry()]) => snap({ pooling: { database: db, admin: { endpoint: pgb, pools: { ok: true, value: pools }, databases: { ok: true, value: databases } } } });
  const label = 'pgbouncer at 10.0.0.6:6432 must pool database "app" for role "app" into the database at 10.0.0.5:5432/app';

  it('passes when the database entry leads to the spec database and the app role has a pool', () => {
    expect(run(pgConnectionPooling, admin([pool('app', 'app'), pool('app', 'worker'), pool('pgbouncer', 'pgbouncer')]))).toEqual([
      ['pass', `${label} (found a transaction pool for "app" leading to 10.0.0.5:5432/app, and 1 other user).`],
    ]);
    expect(run(pgConnectionPooling, admin([pool('app', 'app')], [entry({ name: '*', database: '' })]))[0]?.[0]).toBe('pass');
  });

  it('fails a pool leading elsewhere, a forced other user, a missing entry or pool; errors when the console cannot be read', () => {
    expect(run(pgConnectionPooling, admin([pool('app', 'app')], [entry({ host: '10.0.0.9', database: 'staging' })]))).toEqual([
      ['fail', `${label} (found "app" leads to 10.0.0.9:5432/staging).`],
    ]);
    expect(run(pgConnectionPooling, admin([pool('app', 'app')], [entry({ forceUser: 'postgres' })]))).toEqual([
      ['fail', `${label} (found "app" logs in to Postgres as "postgres", not "app").`],
    ]);
    expect(run(pgConnectionPooling, admin([pool('app', 'worker')]))).toEqual([['fail', `${label} (found pools for it only for "worker").`]]);
    expect(run(pgConnectionPooling, admin([], [entry({ name: 'other' })]))).toEqual([['fail', `${label} (found no [databases] entry for it, only "other").`]]);
    const down = snap({ pooling: { database: db, admin: { endpoint: pgb, pools: { ok: false, error: 'connect ECONNREFUSED 10.0.0.6:6432' }, databases: { ok: false, error: 'connect ECONNREFUSED 10.0.0.6:6432' } } } });
    expect(run(pgConnectionPooling, down)).toEqual([['error', 'Could not read SHOW POOLS from the pooler admin console at 10.0.0.6:6432 (connect ECONNREFUSED 10.0.0.6:6432).']]);
  });

  it('judges a poolerUrl by its address', () => {
    expect(run(pgConnectionPooling)).toEqual([['pass', 'The app must connect through a pgbouncer pooler (found poolerUrl 10.0.0.6:6432, apart from the database at 10.0.0.5:5432).']]);
    expect(run(pgConnectionPooling, snap({ pooling: { database: db, pooler: db } }))).toEqual([
      ['fail', 'The app must connect through a pgbouncer pooler (found poolerUrl 10.0.0.5:5432, which is the database itself).'],
    ]);
    const supabase = withPg({ pooling: { enabled: true, kind: 'supabase' } });
    const direct = { host: 'db.abcd.supabase.co', port: 5432, database: 'postgres' };
    expect(run(pgConnectionPooling, snap({ pooling: { database: direct, pooler: direct } }), supabase)).toEqual([
      ['fail', 'The app must connect through a Supabase pooler (found poolerUrl db.abcd.supabase.co:5432, which is not a Supabase pooler endpoint (port 6543 or *.pooler.supabase.com)).'],
    ]);
    const pooled = { host: 'aws-0-eu-west-1.pooler.supabase.com', port: 6543, database: 'postgres' };
    expect(run(pgConnectionPooling, snap({ pooling: { database: direct, pooler: pooled } }), supabase)[0]?.[0]).toBe('pass');
  });

  it('falls back on the database URL shape, and fails with no pooler at all', () => {
    const neon = withPg({ pooling: { enabled: true, kind: 'neon' } });
    const neonPooled = { host: 'ep-cool-123-pooler.us-east-2.aws.neon.tech', port: 5432, database: 'app' };
    expect(run(pgConnectionPooling, snap({ pooling: { database: neonPooled } }), neon)).toEqual([
      ['pass', 'The app must connect through a Neon pooler (found the database URL ep-cool-123-pooler.us-east-2.aws.neon.tech:5432 is a Neon pooled endpoint).'],
    ]);
    expect(run(pgConnectionPooling, snap({ pooling: { database: db } }))).toEqual([
      ['fail', 'The app must connect through a pgbouncer pooler (found neither poolerUrl nor poolerAdminUrl in the targets, and the database URL 10.0.0.5:5432 is not a pooler endpoint).'],
    ]);
    const rds = withPg({ pooling: { enabled: true, kind: 'rds-proxy' } });
    const proxy = { host: 'app.proxy-abc123.us-east-1.rds.amazonaws.com', port: 5432, database: 'app' };
    expect(run(pgConnectionPooling, snap({ pooling: { database: db, pooler: proxy } }), rds)[0]?.[0]).toBe('pass');
    expect(run(pgConnectionPooling, clean, withPg({ pooling: { enabled: false, kind: 'pgbouncer' } }))).toEqual([
      ['skip', 'Pooling is disabled in the spec (postgres.pooling.enabled: false).'],
    ]);
  });
});

describe('pg.query-latency', () => {
  it('passes when the most called statements are within budget', () => {
    expect(run(pgQueryLatency)).toEqual([['pass', 'The 2 most called statements of role "app" must average under 100 ms (found the slowest at 13 ms).']]);
  });

  it('fails each slow statement, showing no text for utility statements', () => {
    // Every statement judged, however few its calls (queryLatencyMinCalls has its own tests in latency-check.test.ts).
    const everyCall = withPg({ queryLatencyMinCalls: 1 });
    const statements = [
      { queryid: '101', query: 'SELECT pg_sleep($1)', calls: 4, meanMs: 151.2 },
      { queryid: '-77', query: null, calls: 2, meanMs: 100 },
      { queryid: '102', query: 'SELECT 1', calls: 2, meanMs: 0.004 },
    ];
    const s = snap({ statements: { ok: true, value: { installed: true, role: 'app', roleExists: true, database: 'app', statements } } });
    expect(run(pgQueryLatency, s, everyCall)).toEqual([
      ['fail', 'Statement 101 of role "app" must average under 100 ms (found 151 ms over 4 calls: "SELECT pg_sleep($1)").'],
      ['fail', 'Statement -77 of role "app" must average under 100 ms (found 100 ms over 2 calls).'],
    ]);
    expect(run(pgQueryLatency, snap({ statements: { ok: true, value: { installed: true, role: 'app', roleExists: true, database: 'app', statements: [statements[2]!] } } }), everyCall)).toEqual([
      ['pass', 'The 1 most called statement of role "app" must average under 100 ms (found the slowest at 0.00 ms).'],
    ]);
  });

  it('skips without pg_stat_statements, the role or its statements, errors when unreadable', () => {
    expect(run(pgQueryLatency, snap({ statements: { ok: true, value: { installed: false } } }))).toEqual([
      ['skip', 'Query latency cannot be measured: pg_stat_statements is not installed (add it to shared_preload_libraries and CREATE EXTENSION pg_stat_statements).'],
    ]);
    expect(run(pgQueryLatency, snap({ statements: { ok: true, value: { installed: true, role: 'app', roleExists: false, database: 'app', statements: [] } } }))).toEqual([
      ['skip', 'Query latency cannot be measured: role "app" does not exist.'],
    ]);
    expect(run(pgQueryLatency, snap({ statements: { ok: true, value: { installed: true, role: 'app', roleExists: true, database: 'app', statements: [] } } }))).toEqual([
      ['skip', 'Query latency cannot be measured: pg_stat_statements holds no statements of role "app" in database "app" yet.'],
    ]);
    const unloaded = { ok: false as const, error: 'pg_stat_statements must be loaded via "shared_preload_libraries"' };
    expect(run(pgQueryLatency, snap({ statements: unloaded }))).toEqual([
      ['error', 'Could not read pg_stat_statements (pg_stat_statements must be loaded via "shared_preload_libraries").'],
    ]);
  });
});

describe('pg.data.credentials-hashed', () => {
  const sample = (over: object) => snap({ hashed: { 'public.User.password': { ok: true, value: { table: 'ok', column: 'ok', sampled: 40, notHashed: 0, rlsHidden: false, ...over } } } });

  it('passes when every sampled value is a hash, or there is nothing to sample', () => {
    expect(run(pgDataCredentialsHashed)).toEqual([['pass', 'Column "User"."password" must hold only bcrypt hashes (found all 40 sampled values hashed).']]);
    expect(run(pgDataCredentialsHashed, sample({ sampled: 0 }))).toEqual([['pass', 'Column "User"."password" must hold only bcrypt hashes (found no values to sample).']]);
  });

  it('fails plaintext values, reporting counts only', () => {
    const findings = pgDataCredentialsHashed.evaluate(sample({ notHashed: 2 }), spec);
    expect(findings.map((f) => [f.status, f.message])).toEqual([['fail', 'Column "User"."password" must hold only bcrypt hashes (found 2 of 40 sampled values not in that format).']]);
    expect(findings[0]?.actual).toBe('2 of 40 sampled values not in that format');
    const any = withPg({ hashedColumns: [{ table: 'User', column: 'password', format: 'any' }] });
    expect(run(pgDataCredentialsHashed, sample({ notHashed: 1 }), any)).toEqual([
      ['fail', 'Column "User"."password" must hold only password hashes (bcrypt, argon2 or SHA-256 hex) (found 1 of 40 sampled values not in that format).'],
    ]);
  });

  it('fails a missing table or column, errors when RLS hides every row or access is refused', () => {
    expect(run(pgDataCredentialsHashed, sample({ table: 'missing', column: 'missing' }))).toEqual([['fail', 'Column "User"."password" must hold only bcrypt hashes (found no table "User").']]);
    expect(run(pgDataCredentialsHashed, sample({ column: 'missing' }))).toEqual([['fail', 'Column "User"."password" must hold only bcrypt hashes (found no such column).']]);
    expect(run(pgDataCredentialsHashed, sample({ sampled: 0, rlsHidden: true }))).toEqual([
      ['error', 'Could not sample column "User"."password" (row level security hides every row from role "prodcheck_verifier": add a SELECT policy for it or grant it BYPASSRLS).'],
    ]);
    const refused = snap({ hashed: { 'public.User.password': { ok: false, error: 'permission denied for table User: grant SELECT on "public"."User" to "prodcheck_verifier"' } } });
    expect(run(pgDataCredentialsHashed, refused)).toEqual([
      ['error', 'Could not read column "User"."password" (permission denied for table User: grant SELECT on "public"."User" to "prodcheck_verifier").'],
    ]);
    expect(run(pgDataCredentialsHashed, clean, withPg({ hashedColumns: [] }))).toEqual([['skip', 'No columns to check: postgres.hashedColumns is empty.']]);
  });
});
