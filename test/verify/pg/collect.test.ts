import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PG_FAULTS } from '../../../sandbox/pg/faults.js';
import type { PgTargetDraft } from '../../../sandbox/pg/faults.js';
import { startPgbouncer, type PgbouncerInstance } from '../../../sandbox/pg/pgbouncer.js';
import { applyPgState, enableServerTls, fakeHash, requireTlsLogins, runAppTraffic, type AppliedPgState } from '../../../sandbox/pg/state.js';
import { freePort } from '../../../sandbox/services/index.js';
import { createTlsFiles, type TlsFiles } from '../../../sandbox/services/tls.js';
import type { PostgresSpec, StackSpec, Targets } from '../../../spec/index.js';
import { stackSpecSchema } from '../../../spec/index.js';
import { pgFamily } from '../../../verify/pg/index.js';
import { pgCollector } from '../../../verify/pg/collect.js';
import { connectPg, PgConfigError, PgConnectError, pgConnection } from '../../../verify/pg/connection.js';
import { hashPattern } from '../../../verify/pg/read-stats.js';
import type { PgSnapshot } from '../../../verify/pg/snapshot.js';
import { PG_CHECKS } from '../../../verify/pg/checks/index.js';
import { llmLitellmRegistry } from '../../../verify/litellm/registry.js';
import { Redactor } from '../../../report/redact.js';
import type { TargetFamily } from '../../../verify/types.js';
import { runVerify } from '../../../verify/runner.js';
import { PG_SERVERS, usePostgres } from '../../harness.js';

const MAX_CONNECTIONS = 30;

function caseSpec(name: string, over: Partial<PostgresSpec> = {}): StackSpec {
  return stackSpecSchema.parse({
    app: { name: 'chat', domain: 'chat.example.com' },
    postgres: {
      migrations: { table: '_prisma_migrations', column: 'migration_name', expected: ['0001_init', '0002_chat', '0003_audit'] },
      tables: ['User', 'Chat', 'Message', 'Document', 'audit.events'],
      functions: ['match_documents', 'audit.record'],
      indexes: [
        { table: 'Chat', columns: ['userId'] },
        { table: 'Message', columns: ['chatId', 'createdAt'] },
      ],
      rls: ['Chat', 'Message'],
      appendOnly: ['audit.events'],
      hashedColumns: [{ table: 'User', column: 'password', format: 'bcrypt' }],
      appRole: `app_${name}`,
      verifierRole: `verifier_${name}`,
      ...over,
    },
  });
}

function collect(spec: StackSpec, target: PgTargetDraft, signal = new AbortController().signal): Promise<PgSnapshot> {
  const targets: Targets = { postgres: target };
  return pgCollector.collect({ spec, targets, active: false, redactor: new Redactor(), signal });
}

/** Each control's finding statuses, e.g. { 'pg.rls': ['pass', 'pass'] }. */
function statuses(snapshot: PgSnapshot, spec: StackSpec): Record<string, string[]> {
  return Object.fromEntries(PG_CHECKS.map((c) => [c.id, c.evaluate(snapshot, spec).map((f) => f.status)]));
}

function failures(snapshot: PgSnapshot, spec: StackSpec, id: string): string[] {
  const check = PG_CHECKS.find((c) => c.id === id);
  if (!check) throw new Error(`no check ${id}`);
  return check.evaluate(snapshot, spec).filter((f) => f.status !== 'pass').map((f) => `${f.status}: ${f.message}`);
}

describe('pgConnection: libpq sslmode semantics', () => {
  let dir: string;
  let caFile: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'prodcheck-pgconn-'));
    caFile = join(dir, 'ca.crt');
    writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const ssl = (url: string, caFile?: string) => {
    const c = pgConnection(url, { caFile, timeoutMs: 3_000 });
    const s = c.config.ssl;
    const shape = typeof s === 'object' && s !== null ? { reject: s.rejectUnauthorized, ca: s.ca !== undefined, hostCheck: s.checkServerIdentity === undefined } : s;
    return { mode: c.sslmode, check: c.certCheck, fallback: c.plainFallback, ssl: shape };
  };

  it('maps each sslmode as libpq does, not as node-pg does', () => {
    expect(ssl('postgres://u:p@db:5432/app')).toEqual({ mode: 'prefer', check: 'none', fallback: true, ssl: { reject: false, ca: false, hostCheck: false } });
    expect(ssl('postgres://u:p@db/app?sslmode=disable')).toEqual({ mode: 'disable', check: 'none', fallback: false, ssl: false });
    expect(ssl('postgres://u:p@db/app?sslmode=allow')).toEqual({ mode: 'allow', check: 'none', fallback: true, ssl: { reject: false, ca: false, hostCheck: false } });
    expect(ssl('postgres://u:p@db/app?sslmode=require')).toEqual({ mode: 'require', check: 'none', fallback: false, ssl: { reject: false, ca: false, hostCheck: false } });
    expect(ssl('postgres://u:p@db/app?sslmode=verify-ca')).toEqual({ mode: 'verify-ca', check: 'chain', fallback: false, ssl: { reject: true, ca: false, hostCheck: false } });
    expect(ssl('postgres://u:p@db/app?sslmode=verify-full')).toEqual({ mode: 'verify-full', check: 'full', fallback: false, ssl: { reject: true, ca: false, hostCheck: true } });
    expect(ssl('postgres://u:p@db/app?sslrootcert=system')).toEqual({ mode: 'verify-full', check: 'full', fallback: false, ssl: { reject: true, ca: false, hostCheck: true } });
  });

  it('verifies the chain whenever a CA is given, from caFile or sslrootcert', () => {
    expect(ssl('postgres://u:p@db/app', caFile)).toEqual({ mode: 'prefer', check: 'chain', fallback: true, ssl: { reject: true, ca: true, hostCheck: false } });
    expect(ssl(`postgres://u:p@db/app?sslmode=require&sslrootcert=${encodeURIComponent(caFile)}`)).toEqual({
      mode: 'require',
      check: 'chain',
      fallback: false,
      ssl: { reject: true, ca: true, hostCheck: false },
    });
    expect(ssl('postgres://u:p@db/app?sslmode=verify-full', caFile)).toEqual({ mode: 'verify-full', check: 'full', fallback: false, ssl: { reject: true, ca: true, hostCheck: true } });
  });

  it('takes host, port, user, password and database from the URL and sets the timeouts', () => {
    const c = pgConnection('postgresql://prodcheck%40ro:s%3Acr%40t@[::1]:6543/my%20db', { timeoutMs: 1_500 });
    expect(c.config).toMatchObject({ host: '::1', port: 6543, user: 'prodcheck@ro', password: 's:cr@t', database: 'my db', application_name: 'prodcheck', connectionTimeoutMillis: 1_500, query_timeout: 3_500 });
    expect(c.endpoint).toEqual({ host: '::1', port: 6543, database: 'my db' });
    expect(pgConnection('postgres://reader@db', { timeoutMs: 1 }).endpoint).toEqual({ host: 'db', port: 5432, database: 'reader' });
  });

  it('rejects an unknown sslmode, a URL without user and an unreadable CA file', () => {
    expect(() => pgConnection('postgres://u@db/app?sslmode=verify', { timeoutMs: 1 })).toThrow(new PgConfigError('sslmode=verify is not one of disable, allow, prefer, require, verify-ca, verify-full'));
    expect(() => pgConnection('postgres://db/app', { timeoutMs: 1 })).toThrow(new PgConfigError('the postgres URL names no user'));
    expect(() => pgConnection('postgres://u@db/app', { caFile: join(dir, 'missing.crt'), timeoutMs: 1 })).toThrow(
      new PgConfigError(`cannot read the CA file ${join(dir, 'missing.crt')} (ENOENT)`),
    );
  });
});

describe('pgCollector.applies', () => {
  it('names what is missing', () => {
    const spec = caseSpec('x');
    expect(pgCollector.applies({ ...spec, postgres: undefined }, { postgres: { url: 'postgres://u@h/db', timeoutMs: 1 } })).toBe('the stack has no prodcheck:postgres section');
    expect(pgCollector.applies(spec, {})).toBe('no postgres target: add postgres.url to the targets file');
    expect(pgCollector.applies(spec, { postgres: { url: 'postgres://u@h/db', timeoutMs: 1 } })).toBeUndefined();
    expect(pgFamily.collector).toBe(pgCollector);
    expect(pgFamily.checks).toEqual([...PG_CHECKS, llmLitellmRegistry]);
  });
});

describe.each(PG_SERVERS)('against a real Postgres (%s) and pgbouncer', (server) => {
  const postgres = usePostgres({
    server,
    // autovacuum off: its ANALYZE takes transaction ids, which would muddy the read-only proof.
    settings: { shared_preload_libraries: 'pg_stat_statements', autovacuum: 'off', max_connections: String(MAX_CONNECTIONS) },
  });
  let tls: TlsFiles;
  let admin: pg.Client;
  let bouncer: PgbouncerInstance | undefined;
  const pooler = (): PgbouncerInstance => {
    if (bouncer === undefined) throw new Error('pgbouncer is not running');
    return bouncer;
  };
  const clients: pg.Client[] = [];

  interface Case {
    readonly name: string;
    readonly spec: StackSpec;
    readonly state: AppliedPgState;
    readonly admin: pg.Client;
    readonly target: PgTargetDraft;
  }

  async function adminFor(database: string): Promise<pg.Client> {
    const p = postgres();
    const client = new pg.Client({ host: p.host, port: p.port, user: p.user, password: p.password, database, ssl: false });
    client.on('error', () => undefined);
    await client.connect();
    clients.push(client);
    return client;
  }

  /** A fresh database with the spec's state applied, app traffic recorded, and targets as the sandbox writes them. */
  async function freshCase(name: string, over: Partial<PostgresSpec> = {}): Promise<Case> {
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
    const caseAdmin = await adminFor(name);
    const spec = caseSpec(name, over);
    const state = await applyPgState(caseAdmin, spec);
    await runAppTraffic({ connectionString: state.app.url, ssl: { rejectUnauthorized: false } }, spec);
    // The app reaches Postgres through the file's pgbouncer (SHOW POOLS is exercised by the clean case only).
    const target: PgTargetDraft = { url: state.verifierUrl, caFile: tls.caFile, timeoutMs: 5_000 };
    if (bouncer !== undefined) target.poolerUrl = `postgres://${spec.postgres?.appRole}@127.0.0.1:${bouncer.port}/${name}`;
    return { name, spec, state, admin: caseAdmin, target };
  }

  let clean: Case;

  beforeAll(async () => {
    tls = await createTlsFiles();
    admin = await adminFor(postgres().database);
    await enableServerTls(admin, tls);
    await requireTlsLogins(admin);
    clean = await freshCase('clean');
    // pgbouncer logs in to Postgres as the clean case's roles, and the app's traffic goes through it.
    bouncer = await startPgbouncer({
      backend: { host: '127.0.0.1', port: postgres().port },
      users: { [clean.state.app.user]: clean.state.app.password, [clean.state.verifier.user]: clean.state.verifier.password },
      statsUsers: [clean.state.verifier.user],
    });
    clean.target.poolerUrl = bouncer.url(clean.state.app.user, 'clean');
    clean.target.poolerAdminUrl = bouncer.adminUrl(clean.state.verifier.user);
    await runAppTraffic({ connectionString: clean.target.poolerUrl, ssl: false }, clean.spec, 1);
  });

  afterAll(async () => {
    for (const c of clients) await c.end().catch(() => undefined);
    await bouncer?.stop();
    await tls?.remove();
  });

  it('passes every check on the state applied from the spec', async () => {
    const p = postgres();
    const s = await collect(clean.spec, clean.target);
    const findings = PG_CHECKS.flatMap((c) => c.evaluate(s, clean.spec).map((f) => `${c.id} ${f.status}: ${f.message}`));
    const variable = (line: string) => line.replace(/found \d+ of 30, [\d.]+%/, 'found N of 30, P%').replace(/slowest at [\d.]+ ms/, 'slowest at T ms');
    expect(findings.map(variable)).toEqual([
      `pg.connectivity pass: Postgres at 127.0.0.1:${p.port} must be reached over TLS (found TLSv1.3, certificate chain verified, host name not checked).`,
      `pg.connectivity pass: Postgres at 127.0.0.1:${p.port} must refuse logins without TLS (found a plaintext login as "app_clean" refused: no pg_hba.conf entry for host "127.0.0.1", user "app_clean", database "clean", no encryption).`,
      'pg.connectivity pass: Postgres connections in use must stay below 80% of max_connections (found N of 30, P%).',
      'pg.migrations pass: Migrations table "_prisma_migrations" must list every expected migration (found all 3 applied).',
      'pg.schema.tables pass: Table "User" must exist (found it).',
      'pg.schema.tables pass: Table "Chat" must exist (found it).',
      'pg.schema.tables pass: Table "Message" must exist (found it).',
      'pg.schema.tables pass: Table "Document" must exist (found it).',
      'pg.schema.tables pass: Table "audit"."events" must exist (found it).',
      'pg.schema.functions pass: Function "match_documents" must exist (found 1 definition).',
      'pg.schema.functions pass: Function "audit"."record" must exist (found 1 definition).',
      'pg.indexes pass: Index on "Chat"("userId") must exist (found "Chat_userId_idx").',
      'pg.indexes pass: Index on "Message"("chatId", "createdAt") must exist (found "Message_chatId_createdAt_idx").',
      'pg.indexes pass: Foreign keys must each have a covering index (found all 2 covered).',
      'pg.rls pass: Table "Chat" must enforce row level security on role "app_clean" (found RLS enabled and forced, 1 policy for "app_clean" checking the row or session, no role bypassing it).',
      'pg.rls pass: Table "Message" must enforce row level security on role "app_clean" (found RLS enabled and forced, 1 policy for "app_clean" checking the row or session, no role bypassing it).',
      'pg.grants.least-privilege pass: Role "app_clean" must have no SUPERUSER, CREATEROLE, CREATEDB or BYPASSRLS, own no tables and not create in schemas (found none of these).',
      'pg.grants.append-only pass: Role "app_clean" must not UPDATE, DELETE or TRUNCATE "audit"."events" (found none of these).',
      `pg.connection-pooling pass: pgbouncer at 127.0.0.1:${pooler().port} must pool database "clean" for role "app_clean" into the database at 127.0.0.1:${p.port}/clean (found a transaction pool for "app_clean" leading to 127.0.0.1:${p.port}/clean).`,
      'pg.query-latency pass: The 10 most called statements of role "app_clean" must average under 100 ms (found the slowest at T ms).',
      'pg.data.credentials-hashed pass: Column "User"."password" must hold only bcrypt hashes (found all 3 sampled values hashed).',
    ]);
    expect(s.user).toBe('verifier_clean');
    // Normalized DML only: the verifier learns statement shapes, never literal values.
    if (!s.statements.ok || !s.statements.value.installed) throw new Error('pg_stat_statements should be readable');
    expect(s.statements.value.statements.map((x) => x.query)).toContain('SELECT * FROM "public"."User" WHERE "id" = $1');
  });

  it('verifies the certificate as the sslmode says and never falls back to plaintext after a failed check', async () => {
    const url = (mode: string) => `${clean.state.verifierUrl}?sslmode=${mode}`;
    const tryConnect = async (u: string, caFile?: string) => {
      try {
        const { client, tls: encrypted } = await connectPg(pgConnection(u, { caFile, timeoutMs: 3_000 }));
        await client.end();
        return encrypted ? 'tls' : 'plain';
      } catch (e) {
        return e instanceof PgConnectError ? `error: ${e.message.replace(/^cannot connect to [^ ]+ as "[^"]+" /, '')}` : `other: ${String(e)}`;
      }
    };
    expect(await tryConnect(url('verify-full'), tls.caFile)).toBe('tls');
    expect(await tryConnect(url('require'))).toBe('tls');
    expect(await tryConnect(url('verify-full'))).toMatch(/^error: \(sslmode=verify-full\): unable to verify the first certificate(; if the root CA is installed locally, try running Node\.js with --use-system-ca)? \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)$/);
    const wrong = await createTlsFiles({ wrongHost: true });
    const stranger = await createTlsFiles();
    try {
      await enableServerTls(admin, wrong);
      expect(await tryConnect(url('verify-ca'), wrong.caFile)).toBe('tls');
      expect(await tryConnect(url('verify-full'), wrong.caFile)).toMatch(/^error: \(sslmode=verify-full\): Hostname\/IP does not match certificate's altnames: .* \(ERR_TLS_CERT_ALTNAME_INVALID\)$/);
      // A CA that did not sign the server's certificate: prefer must fail rather than go plaintext.
      expect(await tryConnect(url('prefer'), stranger.caFile)).toMatch(/^error: \(sslmode=prefer\): unable to verify the first certificate(; if the root CA is installed locally, try running Node\.js with --use-system-ca)? \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)$/);
    } finally {
      await enableServerTls(admin, tls);
    await requireTlsLogins(admin);
      await wrong.remove();
      await stranger.remove();
    }
  });

  it('reads SHOW POOLS on the pgbouncer admin console and fails a database it routes elsewhere (listed once prodcheck logged in through poolerUrl)', async () => {
    const target = { ...clean.target, poolerUrl: pooler().url(clean.state.app.user, 'elsewhere') };
    const s = await collect(clean.spec, target);
    const found = failures(s, clean.spec, 'pg.connection-pooling');
    // The `*` fallback routes "elsewhere" to a database that does not exist: pgbouncer lists it after the login,
    // or has already dropped it again because the server refused it; both are named.
    const head = `fail: pgbouncer at 127.0.0.1:${pooler().port} must pool database "elsewhere" for role "app_clean" into the database at 127.0.0.1:${postgres().port}/clean `;
    expect(found).toHaveLength(1);
    expect([
      `${head}(found "elsewhere" leads to 127.0.0.1:${postgres().port}/elsewhere).`,
      `${head}(found no [databases] entry for it, and a login through poolerUrl failed: cannot connect to 127.0.0.1:${pooler().port} as "app_clean" (sslmode=prefer): database "elsewhere" does not exist, only "clean").`,
    ]).toContain(found[0]);
    const refused = await collect(clean.spec, { ...clean.target, poolerAdminUrl: `postgres://nobody:x@127.0.0.1:${pooler().port}/pgbouncer` });
    expect(failures(refused, clean.spec, 'pg.connection-pooling')).toEqual([
      `error: Could not read SHOW POOLS from the pooler admin console at 127.0.0.1:${pooler().port} (cannot connect to 127.0.0.1:${pooler().port} as "nobody" (sslmode=prefer): SASL authentication failed).`,
    ]);
  });

  const expectedFailures: Record<string, (c: Case) => (string | RegExp)[]> = {
    'pg.migrations': () => ['fail: Migrations table "_prisma_migrations" must list every expected migration (missing 1 of 3: "0003_audit").'],
    'pg.schema.tables': () => ['fail: Table "Document" must exist (found none in schema "public").'],
    'pg.schema.functions': () => ['fail: Function "audit"."record" must exist (found none in schema "audit").'],
    'pg.indexes': () => [
      'fail: Index on "Chat"("userId") must exist (found none; "Chat" has indexes on ("id")).',
      'fail: Foreign key "Chat_userId_fkey" on "Chat"("userId") must have an index whose leading columns cover it (found none).',
    ],
    'pg.rls': (c) => [
      `fail: Table "Chat" must enforce row level security on role "app_${c.name}" (found policy "read_all" for SELECT to role "app_${c.name}" with USING (true), which checks neither the row nor the session, so it admits every row).`,
    ],
    'pg.grants.least-privilege': (c) => [
      `fail: Role "app_${c.name}" must have no SUPERUSER, CREATEROLE, CREATEDB or BYPASSRLS, own no tables and not create in schemas (found CREATEDB).`,
    ],
    'pg.grants.append-only': (c) => [`fail: Role "app_${c.name}" must not UPDATE, DELETE or TRUNCATE "audit"."events" (found UPDATE).`],
    'pg.connection-pooling': () => [
      `fail: The app must connect through a pgbouncer pooler (found poolerUrl 127.0.0.1:${postgres().port}, which is the database itself).`,
    ],
    // pg_sleep(0.15) run once more than the app's three rounds; only the measured time (>= 150 ms) varies.
    'pg.query-latency': (c) => [new RegExp(`^fail: Statement -?\\d+ of role "app_${c.name}" must average under 100 ms \\(found (1[5-9]\\d|[2-9]\\d\\d|\\d{4,}) ms over 4 calls: "SELECT pg_sleep\\(\\$1\\)"\\)\\.$`)],
    'pg.data.credentials-hashed': () => ['fail: Column "User"."password" must hold only bcrypt hashes (found 1 of 4 sampled values not in that format).'],
  };

  it('has a planted fault for every pg check', () => {
    expect(Object.keys(PG_FAULTS).sort()).toEqual(PG_CHECKS.map((c) => c.id).sort());
  });

  it.each(Object.keys(expectedFailures))('plants %s: exactly that control fails, the others keep their status', async (control) => {
    const c = await freshCase(control.replace(/[.-]/g, '_'));
    const before = await collect(c.spec, c.target);
    const baseline = statuses(before, c.spec);
    expect(Object.entries(baseline).filter(([, s]) => s.some((x) => x !== 'pass'))).toEqual([]);
    const fault = PG_FAULTS[control];
    if (!fault) throw new Error(`no fault for ${control}`);
    try {
      await fault(c.admin, c.spec, c.target);
      const after = await collect(c.spec, c.target);
      const got = failures(after, c.spec, control);
      const want = expectedFailures[control]?.(c) ?? [];
      expect(got).toHaveLength(want.length);
      want.forEach((w, i) => (typeof w === 'string' ? expect(got[i]).toBe(w) : expect(got[i]).toMatch(w)));
      const others = (s: Record<string, string[]>) => Object.fromEntries(Object.entries(s).filter(([id]) => id !== control));
      expect(others(statuses(after, c.spec))).toEqual(others(baseline));
    } finally {
      await c.admin.end();
    }
  });

  it('plants pg.connectivity without TLS in the spec: connection headroom used up', async () => {
    const c = await freshCase('headroom', { tls: false });
    const baseline = statuses(await collect(c.spec, c.target), c.spec);
    expect(Object.values(baseline).flat().filter((x) => x !== 'pass')).toEqual([]);
    const fault = PG_FAULTS['pg.connectivity'];
    if (!fault) throw new Error('no connectivity fault');
    const inUse = async () => (await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'client backend'`)).rows[0]?.n;
    // Backends of connections closed by earlier tests may still be exiting: wait for a steady count.
    let beforeFault = await inUse();
    for (let settled = false; !settled; ) {
      await delay(100);
      const now = await inUse();
      settled = now === beforeFault;
      beforeFault = now;
    }
    await fault(c.admin, c.spec, c.target);
    try {
      const after = await collect(c.spec, c.target);
      expect(failures(after, c.spec, 'pg.connectivity')).toEqual(['fail: Postgres connections in use must stay below 80% of max_connections (found 24 of 30, 80%).']);
      const others = (s: Record<string, string[]>) => Object.fromEntries(Object.entries(s).filter(([id]) => id !== 'pg.connectivity'));
      expect(others(statuses(after, c.spec))).toEqual(others(baseline));
    } finally {
      // The held connections close with the admin connection that opened them.
      await c.admin.end();
    }
    await expect.poll(inUse).toBe((beforeFault ?? 0) - 1);
  });

  it('writes nothing: tuple counters and the next transaction id are unchanged by a collect run', async () => {
    const watcher = await adminFor('clean');
    const counters = async () => {
      await watcher.query('SELECT pg_stat_clear_snapshot()');
      const { rows } = await watcher.query<{ tuples: string; xmax: string }>(
        `SELECT (SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_all_tables)::text AS tuples,
                pg_snapshot_xmax(pg_current_snapshot())::text AS xmax`,
      );
      return rows[0];
    };
    const verifierGone = async () =>
      (await watcher.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'prodcheck'`)).rows[0]?.n;
    // Backends flush their statistics lazily (at most once a second, and an idle one up to 10 s later), so
    // writes made before this test by connections still open (each case's CREATE ROLE and GRANTs touch the
    // shared catalogs, counted in every database's pg_stat_all_tables) could land between the two readings.
    // pg_stat_force_next_flush() (Postgres 15+) makes each flush before its ReadyForQuery, so all are in `before`.
    for (const c of [admin, ...clients]) await c.query('SELECT pg_stat_force_next_flush()').catch(() => undefined);
    const before = await counters();
    await collect(clean.spec, clean.target);
    // A backend flushes its statistics as it exits: wait for the verifier's to be gone.
    await expect.poll(verifierGone).toBe(0);
    expect(await counters()).toEqual(before);

    // The same measurement does see a write, so the equality above can fail.
    const writer = new pg.Client({ connectionString: clean.state.app.url, ssl: { rejectUnauthorized: false } });
    await writer.connect();
    await writer.query('INSERT INTO "audit"."events" DEFAULT VALUES');
    await writer.end();
    await expect.poll(async () => (await counters())?.tuples, { timeout: 5_000 }).not.toBe(before?.tuples);
    expect((await counters())?.xmax).not.toBe(before?.xmax);
  });

  it('reports a refused grant as an error naming the grant the verifier needs', async () => {
    await clean.admin.query(`REVOKE SELECT ON "public"."_prisma_migrations" FROM "verifier_clean"`);
    try {
      const s = await collect(clean.spec, clean.target);
      expect(failures(s, clean.spec, 'pg.migrations')).toEqual([
        'error: Could not read the migrations table "_prisma_migrations" (permission denied for table _prisma_migrations: grant SELECT on "public"."_prisma_migrations" to "verifier_clean").',
      ]);
      // The probe after the refused one still ran in the same read-only transaction.
      expect(statuses(s, clean.spec)['pg.schema.tables']).toEqual(['pass', 'pass', 'pass', 'pass', 'pass']);
    } finally {
      await clean.admin.query(`GRANT SELECT ON "public"."_prisma_migrations" TO "verifier_clean"`);
    }
  });

  it('counts a rolled-back Prisma migration as not applied', async () => {
    await clean.admin.query(`UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = '0002_chat'`);
    try {
      const s = await collect(clean.spec, clean.target);
      expect(failures(s, clean.spec, 'pg.migrations')).toEqual(['fail: Migrations table "_prisma_migrations" must list every expected migration (missing 1 of 3: "0002_chat" (rolled back)).']);
    } finally {
      await clean.admin.query(`UPDATE "_prisma_migrations" SET rolled_back_at = NULL`);
    }
  });

  it('matches hash formats on the server as Postgres regular expressions', async () => {
    const samples: [string, string][] = [
      ['bcrypt', '$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy'],
      ['bcrypt', fakeHash('bcrypt')],
      ['argon2', '$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG'],
      ['argon2', fakeHash('argon2')],
      ['sha256', fakeHash('sha256')],
      ['sha256', 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855'],
    ];
    const plaintext = ['correct horse battery staple', 'sk_live_abcdefghijklmnop', '$2b$10$short', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85'];
    const matches = async (value: string, format: 'bcrypt' | 'argon2' | 'sha256' | 'any') =>
      (await admin.query<{ m: boolean }>('SELECT $1::text ~ $2 AS m', [value, hashPattern(format)])).rows[0]?.m;
    for (const [format, value] of samples) {
      expect([format, await matches(value, format as 'bcrypt'), await matches(value, 'any')]).toEqual([format, true, true]);
      for (const other of ['bcrypt', 'argon2', 'sha256'] as const) if (other !== format) expect(await matches(value, other)).toBe(false);
    }
    for (const value of plaintext) expect([value, await matches(value, 'any')]).toEqual([value, false]);
  });

  it('throws within the timeout when the server does not answer', async () => {
    const port = await freePort();
    const sockets = new Set<Socket>();
    const silent: Server = createServer((s) => {
      sockets.add(s);
    });
    await new Promise<void>((resolve) => silent.listen(port, '127.0.0.1', resolve));
    try {
      const started = performance.now();
      await expect(collect(clean.spec, { url: `postgres://v:x@127.0.0.1:${port}/app`, timeoutMs: 800 })).rejects.toThrow(
        new PgConnectError(`127.0.0.1:${port}`, 'v', 'prefer', new Error('timeout expired')),
      );
      expect(performance.now() - started).toBeLessThan(2_000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('throws when Postgres is stopped, and the runner turns that into a connectivity error', async () => {
    for (const c of clients) await c.end().catch(() => undefined);
    await pooler().stop();
    await postgres().stop();
    const started = performance.now();
    await expect(collect(clean.spec, clean.target)).rejects.toThrow(/^cannot connect to 127\.0\.0\.1:\d+ as "verifier_clean" \(sslmode=prefer\): connect ECONNREFUSED/);
    expect(performance.now() - started).toBeLessThan(clean.target.timeoutMs);
    const report = await runVerify({
      stack: 'test',
      spec: clean.spec,
      targets: { postgres: clean.target },
      families: [pgFamily as TargetFamily<unknown>],
      redactor: new Redactor().add(clean.state.verifier.password),
      select: () => true,
      active: false,
    });
    expect(report.summary).toMatchObject({ pass: 0, fail: 0, error: 1, skip: 11 });
    expect(report.results.find((r) => r.control === 'pg.connectivity')?.message).toMatch(
      /^postgres could not be reached: cannot connect to 127\.0\.0\.1:\d+ as "verifier_clean" \(sslmode=prefer\): connect ECONNREFUSED 127\.0\.0\.1:\d+\.$/,
    );
  });
});
