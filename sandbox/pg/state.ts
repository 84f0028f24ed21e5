import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { chown, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import type { PostgresSpec, StackSpec, QualifiedName } from '../../spec/index.js';
import { keyOf, parseQualified } from '../../spec/index.js';

export interface Credentials {
  readonly user: string;
  readonly password: string;
}

export interface AppliedPgState {
  readonly database: string;
  /**
   * The read-only verifier's URL, without sslmode: libpq's default (prefer) takes TLS when the server
   * offers it, so a server whose TLS is turned off shows up as a pg.connectivity failure rather than as
   * an unreachable target. Pair it with `caFile` in the targets to have the chain verified.
   */
  readonly verifierUrl: string;
  readonly verifier: Credentials;
  readonly app: Credentials & { readonly url: string };
  /** Whether pg_stat_statements was created (the server preloads it). */
  readonly statStatements: boolean;
}

export interface PgStateOptions {
  /** Host for the returned URLs; defaults to the admin client's. */
  readonly host?: string;
  readonly port?: number;
}


function pgSpecOf(spec: StackSpec): PostgresSpec {
  if (!spec.postgres) throw new Error('the stack has no prodcheck:postgres section: there is no Postgres state to apply');
  return spec.postgres;
}

/** Every table the spec names, in first-mention order. */
export function specTables(p: PostgresSpec): QualifiedName[] {
  const names = [...p.tables, ...p.indexes.map((i) => i.table), ...p.rls, ...p.appendOnly, ...p.hashedColumns.map((h) => h.table)];
  return [...new Set(names.map((n) => keyOf(parseQualified(n))))].map(parseQualified);
}

export interface ImpliedForeignKey {
  readonly child: QualifiedName;
  readonly column: string;
  readonly parent: QualifiedName;
}

/**
 * Foreign keys the spec's indexes imply: an index leading with `chatId` or `chat_id` on one table, and a
 * table named chat/chats (any case) in the spec, mean Message.chatId → Chat.id. Only leading columns
 * count, so the expected index also covers the key.
 */
export function impliedForeignKeys(p: PostgresSpec): ImpliedForeignKey[] {
  const tables = specTables(p);
  const out = new Map<string, ImpliedForeignKey>();
  for (const index of p.indexes) {
    const column = index.columns[0];
    const base = column === undefined ? undefined : /^(.+?)(?:_id|Id)$/.exec(column)?.[1]?.toLowerCase();
    if (column === undefined || base === undefined) continue;
    const parent = tables.find((t) => [base, `${base}s`, `${base}es`].includes(t.name.toLowerCase()));
    const child = parseQualified(index.table);
    if (parent) out.set(`${keyOf(child)}.${column}`, { child, column, parent });
  }
  return [...out.values()];
}

/** The column the sandbox's migrations table names migrations in: the spec's, or Prisma's for its table, else "name". */
export function migrationNameColumn(m: NonNullable<PostgresSpec['migrations']>): string {
  if (m.column !== undefined) return m.column;
  return m.tool === 'prisma' || (m.tool === undefined && parseQualified(m.table).name === '_prisma_migrations') ? 'migration_name' : 'name';
}

/** A value shaped like the format, not a real hash of anything: the sandbox only needs the shape. */
export function fakeHash(format: 'bcrypt' | 'argon2' | 'sha256' | 'any'): string {
  const alphabet = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bcryptTail = [...randomBytes(53)].map((b) => alphabet[b % 64]).join('');
  switch (format) {
    case 'sha256':
      return createHash('sha256').update(randomBytes(32)).digest('hex');
    case 'argon2':
      return `$argon2id$v=19$m=65536,t=3,p=4$${randomBytes(16).toString('base64').replace(/=+$/, '')}$${randomBytes(32).toString('base64').replace(/=+$/, '')}`;
    default:
      return `$2b$12$${bcryptTail}`;
  }
}

function password(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * Applies the spec's Postgres desired state to the admin client's (empty) database: tables, implied
 * foreign keys, indexes, functions, the migrations table, RLS with policies, the app role (least
 * privilege, owns nothing) and the read-only verifier role. Roles are cluster-wide and are created
 * or updated; everything else expects a fresh database. `admin` must be a superuser.
 */
export async function applyPgState(admin: pg.Client, spec: StackSpec, opts: PgStateOptions = {}): Promise<AppliedPgState> {
  const p = pgSpecOf(spec);
  const id = (s: string): string => admin.escapeIdentifier(s);
  const rel = (n: QualifiedName): string => `${id(n.schema)}.${id(n.name)}`;
  const lit = (s: string): string => admin.escapeLiteral(s);
  const run = async (sql: string, values?: unknown[]): Promise<void> => {
    await admin.query(sql, values);
  };

  const tables = specTables(p);
  const appendOnly = new Set(p.appendOnly.map((t) => keyOf(parseQualified(t))));
  const fks = impliedForeignKeys(p);
  const migrations = p.migrations ? parseQualified(p.migrations.table) : undefined;
  const schemas = [...new Set(['public', ...tables.map((t) => t.schema), ...p.functions.map((f) => parseQualified(f).schema), ...(migrations ? [migrations.schema] : [])])];

  const app = { user: p.appRole, password: password() };
  const verifier = { user: p.verifierRole, password: password() };
  for (const role of [app, verifier]) {
    const exists = (await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role.user])).rowCount === 1;
    const attributes = `LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD ${lit(role.password)}`;
    await run(`${exists ? 'ALTER' : 'CREATE'} ROLE ${id(role.user)} ${exists ? 'WITH ' : ''}${attributes}`);
  }
  await run(`GRANT pg_read_all_stats TO ${id(verifier.user)}`);
  await run(`ALTER ROLE ${id(verifier.user)} SET default_transaction_read_only = on`);

  // Before PG 15 every role may create in public; least privilege means nobody but the owner does.
  await run('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
  for (const schema of schemas) {
    await run(`CREATE SCHEMA IF NOT EXISTS ${id(schema)}`);
    await run(`GRANT USAGE ON SCHEMA ${id(schema)} TO ${id(app.user)}, ${id(verifier.user)}`);
  }

  for (const t of tables) {
    const key = keyOf(t);
    const fkColumns = new Set(fks.filter((f) => keyOf(f.child) === key).map((f) => f.column));
    const columns = new Set<string>([
      ...p.indexes.filter((i) => keyOf(parseQualified(i.table)) === key).flatMap((i) => i.columns),
      ...p.hashedColumns.filter((h) => keyOf(parseQualified(h.table)) === key).map((h) => h.column),
    ]);
    columns.delete('id');
    const defs = ['"id" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY', ...[...columns].map((c) => `${id(c)} ${fkColumns.has(c) ? 'bigint' : 'text'}`)];
    await run(`CREATE TABLE ${rel(t)} (${defs.join(', ')})`);
    const dml = appendOnly.has(key) ? 'SELECT, INSERT' : 'SELECT, INSERT, UPDATE, DELETE';
    await run(`GRANT ${dml} ON ${rel(t)} TO ${id(app.user)}`);
    await run(`GRANT SELECT ON ${rel(t)} TO ${id(verifier.user)}`);
  }
  for (const fk of fks) {
    await run(`ALTER TABLE ${rel(fk.child)} ADD FOREIGN KEY (${id(fk.column)}) REFERENCES ${rel(fk.parent)} ("id")`);
  }
  for (const index of p.indexes) {
    // The primary key already serves a lookup by id.
    if (index.columns.length === 1 && index.columns[0] === 'id') continue;
    await run(`CREATE INDEX ON ${rel(parseQualified(index.table))} (${index.columns.map(id).join(', ')})`);
  }
  for (const f of p.functions.map(parseQualified)) {
    await run(`CREATE FUNCTION ${rel(f)}() RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT 1'`);
  }
  for (const t of p.rls.map(parseQualified)) {
    await run(`ALTER TABLE ${rel(t)} ENABLE ROW LEVEL SECURITY`);
    await run(`ALTER TABLE ${rel(t)} FORCE ROW LEVEL SECURITY`);
    // The app sees the rows of the user it set for the transaction (SET app.user_id), as a multi-tenant app would.
    const own = `"id" = nullif(current_setting('app.user_id', true), '')::bigint`;
    await run(`CREATE POLICY prodcheck_app_rows ON ${rel(t)} TO ${id(app.user)} USING (${own}) WITH CHECK (${own})`);
    // Without a policy of its own the verifier would see no rows and could not sample hashed columns.
    await run(`CREATE POLICY prodcheck_verifier_read ON ${rel(t)} FOR SELECT TO ${id(verifier.user)} USING (true)`);
  }
  if (p.migrations && migrations) {
    const column = migrationNameColumn(p.migrations);
    // Prisma's own layout when the spec says Prisma, so its finished/rolled-back markers are exercised.
    const prisma = column === 'migration_name';
    await run(
      prisma
        ? `CREATE TABLE ${rel(migrations)} ("id" varchar(36) PRIMARY KEY, "checksum" varchar(64) NOT NULL, "finished_at" timestamptz, "migration_name" varchar(255) NOT NULL,
             "logs" text, "rolled_back_at" timestamptz, "started_at" timestamptz NOT NULL DEFAULT now(), "applied_steps_count" integer NOT NULL DEFAULT 0)`
        : `CREATE TABLE ${rel(migrations)} (${id(column)} text PRIMARY KEY, "applied_at" timestamptz NOT NULL DEFAULT now())`,
    );
    for (const name of p.migrations.expected) {
      if (prisma) {
        await run(`INSERT INTO ${rel(migrations)} ("id", "checksum", "finished_at", "migration_name", "applied_steps_count") VALUES ($1, $2, now(), $3, 1)`, [
          randomUUID(),
          createHash('sha256').update(name).digest('hex'),
          name,
        ]);
      } else {
        await run(`INSERT INTO ${rel(migrations)} (${id(column)}) VALUES ($1)`, [name]);
      }
    }
    await run(`GRANT SELECT ON ${rel(migrations)} TO ${id(verifier.user)}`);
  }
  for (const h of p.hashedColumns) {
    for (let n = 0; n < 3; n++) await run(`INSERT INTO ${rel(parseQualified(h.table))} (${id(h.column)}) VALUES ($1)`, [fakeHash(h.format)]);
  }
  const preload = (await admin.query<{ v: string }>(`SELECT current_setting('shared_preload_libraries') AS v`)).rows[0]?.v ?? '';
  const statStatements = preload.split(',').map((s) => s.trim()).includes('pg_stat_statements');
  if (statStatements) await run('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');

  const database = (await admin.query<{ db: string }>('SELECT current_database() AS db')).rows[0]?.db ?? '';
  const host = opts.host ?? admin.host;
  const port = opts.port ?? admin.port;
  const url = (c: Credentials): string =>
    `postgres://${encodeURIComponent(c.user)}:${encodeURIComponent(c.password)}@${host.includes(':') ? `[${host}]` : host}:${port}/${encodeURIComponent(database)}`;
  return { database, verifierUrl: url(verifier), verifier, app: { ...app, url: url(app) }, statStatements };
}

/**
 * Runs the app's typical reads as the app role, so pg_stat_statements has the app's statements and a
 * pooler in front gets its pool. Read-only: the counters the read-only proof watches stay unchanged.
 */
export async function runAppTraffic(connection: string | pg.ClientConfig, spec: StackSpec, rounds = 3): Promise<void> {
  const p = pgSpecOf(spec);
  const client = new pg.Client(connection);
  client.on('error', () => undefined);
  await client.connect();
  try {
    for (let round = 0; round < rounds; round++) {
      for (const t of specTables(p)) {
        const table = `${client.escapeIdentifier(t.schema)}.${client.escapeIdentifier(t.name)}`;
        await client.query(`SELECT count(*) FROM ${table}`);
        await client.query(`SELECT * FROM ${table} WHERE "id" = $1`, [round + 1]);
      }
    }
  } finally {
    await client.end();
  }
}

function sameServer(admin: pg.Client, ssl: pg.ClientConfig['ssl']): pg.Client {
  return new pg.Client({ host: admin.host, port: admin.port, user: admin.user, password: admin.password, database: admin.database, ssl, connectionTimeoutMillis: 2_000 });
}

/** Polls new connections until the server does (or no longer does) TLS after a configuration reload. */
async function waitForServerTls(admin: pg.Client, on: boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // Only whether TLS is negotiated matters here; trust in the certificate is the verifier's business.
    const probe = sameServer(admin, { rejectUnauthorized: false });
    probe.on('error', () => undefined);
    let tls: boolean;
    try {
      await probe.connect();
      tls = true;
    } catch (e) {
      if (!(e instanceof Error && e.message === 'The server does not support SSL connections')) throw e;
      tls = false;
    } finally {
      await probe.end().catch(() => undefined);
    }
    if (tls === on) return;
    if (Date.now() > deadline) {
      throw new Error(`the server did not turn TLS ${on ? 'on' : 'off'} within ${timeoutMs / 1000} s of pg_reload_conf(): see its log (a certificate or key it cannot read keeps TLS off)`);
    }
    await delay(100);
  }
}

/** Turns TLS on or off through ALTER SYSTEM (`ssl` only needs a reload) and waits until new connections see it. */
export async function setServerTls(admin: pg.Client, on: boolean): Promise<void> {
  await admin.query(`ALTER SYSTEM SET ssl = ${on ? 'on' : 'off'}`);
  await admin.query('SELECT pg_reload_conf()');
  await waitForServerTls(admin, on);
}

/**
 * Installs a server certificate and key into the server's data directory and turns TLS on. The server
 * must run on this machine: the files are written here, owned by the data directory's owner with the
 * 0600 mode Postgres requires of a key (the server runs as another OS user when the sandbox runs as
 * root). Settings go through ALTER SYSTEM rather than `-c` flags, which would outrank ALTER SYSTEM
 * and keep the TLS fault from turning TLS off.
 */
export async function enableServerTls(admin: pg.Client, material: { readonly cert: string; readonly key: string }): Promise<void> {
  const dataDir = (await admin.query<{ d: string }>(`SELECT current_setting('data_directory') AS d`)).rows[0]?.d;
  if (!dataDir) throw new Error('cannot read data_directory: enableServerTls needs a superuser connection');
  let owner: { uid: number; gid: number };
  try {
    owner = await stat(dataDir);
  } catch (e) {
    throw new Error(`the server's data directory ${dataDir} is not on this machine (${(e as NodeJS.ErrnoException).code ?? String(e)}): enableServerTls only serves a local server`);
  }
  const files = { cert: join(dataDir, 'prodcheck-server.crt'), key: join(dataDir, 'prodcheck-server.key') };
  for (const [file, text] of [[files.cert, material.cert], [files.key, material.key]] as const) {
    await writeFile(file, text, { mode: 0o600 });
    if (process.getuid?.() === 0) await chown(file, owner.uid, owner.gid);
  }
  await admin.query(`ALTER SYSTEM SET ssl_cert_file = ${admin.escapeLiteral(files.cert)}`);
  await admin.query(`ALTER SYSTEM SET ssl_key_file = ${admin.escapeLiteral(files.key)}`);
  await setServerTls(admin, true);
}

/** Rewrites pg_hba.conf (on this machine) and reloads: the caller's own role, TCP with any client, then the given rules. */
async function writeHba(admin: pg.Client, rules: readonly string[]): Promise<void> {
  const file = (await admin.query<{ f: string }>(`SELECT current_setting('hba_file') AS f`)).rows[0]?.f;
  if (!file) throw new Error('cannot read hba_file: writing pg_hba.conf needs a superuser connection');
  const owner = await stat(file);
  const superuser = admin.escapeIdentifier(admin.user ?? 'postgres');
  // The superuser (setup, faults) may connect without TLS; which rules the other roles meet is the point.
  const lines = [`host all ${superuser} 127.0.0.1/32 scram-sha-256`, ...rules.map((r) => `${r} all all 127.0.0.1/32 scram-sha-256`)];
  await writeFile(file, `# written by prodcheck's sandbox\n${lines.join('\n')}\n`, { mode: 0o600 });
  if (process.getuid?.() === 0) await chown(file, owner.uid, owner.gid);
  const reloaded = await admin.query<{ ok: boolean }>('SELECT pg_reload_conf() AS ok');
  if (reloaded.rows[0]?.ok !== true) throw new Error(`the server did not reload ${file}`);
  // pg_reload_conf() only signals the postmaster: wait until the rules it loaded are the ones written.
  for (let n = 0; n < 100; n++) {
    const { rows } = await admin.query<{ types: string[] }>(`SELECT array_agg(type ORDER BY line_number) AS types FROM pg_hba_file_rules WHERE error IS NULL`);
    if ((rows[0]?.types ?? []).join(',') === ['host', ...rules].join(',')) return;
    await delay(50);
  }
}

/** Every role but the superuser must log in over TLS (hostssl): the state a spec with postgres.tls asks for. */
export function requireTlsLogins(admin: pg.Client): Promise<void> {
  return writeHba(admin, ['hostssl']);
}

/** A "host" rule beside "hostssl": TLS is offered, yet every role may also log in unencrypted. */
export function allowPlaintextLogins(admin: pg.Client): Promise<void> {
  return writeHba(admin, ['host', 'hostssl']);
}
