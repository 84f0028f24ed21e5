import { readFileSync } from 'node:fs';
import pg from 'pg';
import type { PostgresSpec, QualifiedName, StackSpec, Targets } from '../../spec/index.js';
import { keyOf, parseQualified } from '../../spec/index.js';

export type { QualifiedName } from '../../spec/index.js';
import type { CollectContext, Collector, Probe } from '../types.js';
import { isTransientNetworkError, withRetry } from '../net.js';

export type PgTarget = NonNullable<Targets['postgres']>;

/** A relation or function as Postgres names it: schema and name, case kept. */

export interface Endpoint {
  readonly host: string;
  readonly port: number;
  readonly database: string;
}

export type SslMode = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
/** What the client verified of the server certificate: chain and host name, chain only, or nothing. */
export type CertCheck = 'full' | 'chain' | 'none';

export interface RelationInfo {
  readonly schema: string;
  readonly name: string;
  readonly kind: 'table' | 'partitioned table' | 'view' | 'materialized view' | 'foreign table';
  readonly rls: boolean;
  readonly forceRls: boolean;
  readonly policies: number;
}

export interface IndexInfo {
  readonly schema: string;
  readonly table: string;
  readonly name: string;
  /** Key columns in order; null for an expression. INCLUDE columns are not key columns and are left out. */
  readonly columns: readonly (string | null)[];
  readonly valid: boolean;
  readonly partial: boolean;
}

export interface ForeignKeyInfo {
  readonly schema: string;
  readonly table: string;
  readonly name: string;
  readonly columns: readonly string[];
}

export interface MigrationsState {
  readonly exists: boolean;
  /** Applied migration names; for Prisma's table only finished, not rolled back ones. */
  readonly applied: readonly string[];
}

export interface RoleInfo {
  readonly name: string;
  readonly superuser: boolean;
  readonly createRole: boolean;
  readonly createDb: boolean;
  readonly bypassRls: boolean;
  /** Relations the role owns, as schema.name. */
  readonly owns: readonly string[];
  /** Roles it is a member of that hold SUPERUSER, CREATEROLE, CREATEDB, BYPASSRLS or server file access. */
  readonly privilegedMemberOf: readonly string[];
  /** Schemas (of the spec's tables, and public) in which it may CREATE. */
  readonly createOn: readonly string[];
}

export interface TablePrivileges {
  readonly schema: string;
  readonly table: string;
  /** Table-level UPDATE or UPDATE on any column. */
  readonly update: boolean;
  readonly delete: boolean;
  readonly truncate: boolean;
}

export interface StatementStat {
  readonly queryid: string;
  /** Normalized DML text, whitespace collapsed, cut at 60 characters; null for utility statements, whose text pg_stat_statements keeps verbatim. */
  readonly query: string | null;
  readonly calls: number;
  readonly meanMs: number;
}

export type StatementsState =
  | { readonly installed: false }
  | { readonly installed: true; readonly role: string; readonly roleExists: boolean; readonly database: string; readonly statements: readonly StatementStat[] };

export interface HashedSample {
  readonly table: 'ok' | 'missing';
  readonly column: 'ok' | 'missing';
  /** Non-null values examined. */
  readonly sampled: number;
  /** How many of them do not match the expected hash format. The values themselves never leave the server. */
  readonly notHashed: number;
  /** No row was visible and row level security applies to the verifier: the sample may be empty because of RLS. */
  readonly rlsHidden: boolean;
}

export interface PoolRow {
  readonly database: string;
  readonly user: string;
  readonly clientsActive: number;
  readonly clientsWaiting: number;
  readonly serversActive: number;
  readonly serversIdle: number;
  readonly mode: string;
}

export interface PoolingState {
  /** Where targets.postgres.url points. */
  readonly database: Endpoint;
  /** targets.postgres.poolerUrl, when set. */
  readonly pooler?: Endpoint;
  /** SHOW POOLS on targets.postgres.poolerAdminUrl, when set. */
  readonly admin?: { readonly endpoint: Endpoint; readonly pools: Probe<readonly PoolRow[]> };
}

export interface PgSnapshot {
  readonly endpoint: Endpoint;
  /** The role the verifier connected as. */
  readonly user: string;
  readonly serverVersion: string;
  readonly sslmode: SslMode;
  readonly certCheck: CertCheck;
  /** pg_stat_ssl for this session's backend. */
  readonly tls: Probe<{ readonly inUse: boolean; readonly version: string | null }>;
  /** Client backends in pg_stat_activity against max_connections. */
  readonly connections: Probe<{ readonly used: number; readonly max: number }>;
  /** Undefined when the spec has no postgres.migrations. */
  readonly migrations?: Probe<MigrationsState>;
  /** Relations named by the spec, matched exactly or ignoring case (so the checks can point at "user" vs "User"). */
  readonly relations: Probe<readonly RelationInfo[]>;
  /** Expected functions found, as schema.name → number of overloads. */
  readonly functions: Probe<Readonly<Record<string, number>>>;
  /** Indexes and foreign keys of every table in the schemas the spec names (and public). */
  readonly indexes: Probe<{ readonly indexes: readonly IndexInfo[]; readonly foreignKeys: readonly ForeignKeyInfo[] }>;
  /** Null when the app role does not exist. */
  readonly appRole: Probe<RoleInfo | null>;
  /** The app role's privileges on each append-only table that exists. */
  readonly appendOnly: Probe<readonly TablePrivileges[]>;
  readonly statements: Probe<StatementsState>;
  /** Keyed by schema.table.column. */
  readonly hashed: Readonly<Record<string, Probe<HashedSample>>>;
  readonly pooling: PoolingState;
}


export function hashedKey(table: string, column: string): string {
  return `${keyOf(parseQualified(table))}.${column}`;
}

/** Raised when targets.postgres cannot be turned into a connection (bad sslmode, unreadable CA file). */
export class PgConfigError extends Error {
  override readonly name = 'PgConfigError';
}

/** Raised when the server cannot be reached or refuses the login; carries the endpoint, never the password. */
export class PgConnectError extends Error {
  override readonly name = 'PgConnectError';
  constructor(
    readonly endpoint: string,
    readonly user: string,
    readonly sslmode: SslMode,
    cause: unknown,
  ) {
    super(`cannot connect to ${endpoint} as "${user}" (sslmode=${sslmode}): ${firstLine(cause)}`, { cause });
  }
}

const SSLMODES: readonly SslMode[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

export interface PgConnection {
  readonly config: pg.ClientConfig;
  readonly endpoint: Endpoint;
  readonly user: string;
  readonly sslmode: SslMode;
  readonly certCheck: CertCheck;
  /** prefer/allow: connect without TLS when the server says it has none (not when a certificate fails to verify). */
  readonly plainFallback: boolean;
}

/**
 * Connection settings for a postgres:// URL, with libpq's sslmode meanings rather than node-pg's.
 *
 * node-pg (pg-connection-string 2.x) reads `sslmode=require` as verify-full and cannot fall back from
 * TLS to plaintext, so the URL is parsed here and sslmode applied as libpq does:
 * - disable: no TLS.
 * - allow, prefer (and no sslmode: libpq's default): TLS, or plaintext when the server answers that it
 *   has no TLS. allow is treated as prefer (node-pg cannot start in plaintext and upgrade).
 * - require: TLS or fail.
 * - verify-ca: TLS with the certificate chain verified; the host name is not checked.
 * - verify-full: TLS with chain and host name verified.
 * For allow/prefer/require the chain is verified only when a CA is given (targets caFile, else
 * `sslrootcert`), as libpq does when a root certificate is present; the host name is not checked then.
 * A certificate that fails verification is an error in every mode: prodcheck never falls back to
 * plaintext after a failed handshake. `sslrootcert=system` uses Node's CA store and implies
 * verify-full (libpq 16). `sslcert`/`sslkey` give a client certificate.
 */
export function pgConnection(url: string, opts: { readonly caFile?: string; readonly timeoutMs: number }): PgConnection {
  const u = new URL(url);
  const params = u.searchParams;
  const rawMode = (params.get('sslmode') ?? 'prefer').toLowerCase();
  if (!SSLMODES.includes(rawMode as SslMode)) throw new PgConfigError(`sslmode=${rawMode} is not one of ${SSLMODES.join(', ')}`);
  const rootcert = opts.caFile ?? params.get('sslrootcert') ?? undefined;
  const systemRoots = rootcert === 'system';
  const sslmode: SslMode = systemRoots && rawMode !== 'disable' ? 'verify-full' : (rawMode as SslMode);
  const host = decodeURIComponent(params.get('host') ?? u.hostname.replace(/^\[(.*)\]$/, '$1')) || 'localhost';
  const port = Number(params.get('port') ?? (u.port || 5432));
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new PgConfigError(`port ${params.get('port') ?? u.port} is not a TCP port`);
  const user = decodeURIComponent(params.get('user') ?? u.username);
  if (!user) throw new PgConfigError('the postgres URL names no user');
  const database = decodeURIComponent(params.get('dbname') ?? u.pathname.slice(1)) || user;
  const read = (file: string, what: string): string => {
    try {
      return readFileSync(file, 'utf8');
    } catch (e) {
      throw new PgConfigError(`cannot read the ${what} ${file} (${(e as NodeJS.ErrnoException).code ?? firstLine(e)})`);
    }
  };
  const ca = rootcert !== undefined && !systemRoots ? read(rootcert, 'CA file') : undefined;
  const clientCert = params.get('sslcert');
  const clientKey = params.get('sslkey');
  let ssl: pg.ClientConfig['ssl'] = false;
  let certCheck: CertCheck = 'none';
  if (sslmode !== 'disable') {
    const verifyChain = sslmode === 'verify-ca' || sslmode === 'verify-full' || ca !== undefined;
    certCheck = sslmode === 'verify-full' ? 'full' : verifyChain ? 'chain' : 'none';
    ssl = {
      rejectUnauthorized: verifyChain,
      ...(ca !== undefined ? { ca } : {}),
      ...(clientCert ? { cert: read(clientCert, 'client certificate') } : {}),
      ...(clientKey ? { key: read(clientKey, 'client key') } : {}),
      ...(certCheck === 'full' ? {} : { checkServerIdentity: () => undefined }),
    };
  }
  const password = u.password ? decodeURIComponent(u.password) : (params.get('password') ?? undefined);
  const options = params.get('options');
  return {
    config: {
      host,
      port,
      user,
      database,
      ...(password !== undefined ? { password } : {}),
      ...(options ? { options } : {}),
      ssl,
      application_name: 'prodcheck',
      connectionTimeoutMillis: opts.timeoutMs,
      // Client-side backstop; the server-side statement_timeout (set per transaction) fires first.
      query_timeout: opts.timeoutMs + 2_000,
    },
    endpoint: { host, port, database },
    user,
    sslmode,
    certCheck,
    plainFallback: sslmode === 'allow' || sslmode === 'prefer',
  };
}

/** Connects, falling back to plaintext only where sslmode allows it and only when the server has no TLS. */
export async function connectPg(conn: PgConnection, signal?: AbortSignal): Promise<{ client: pg.Client; tls: boolean }> {
  const attempt = async (ssl: pg.ClientConfig['ssl']): Promise<pg.Client> => {
    const client = new pg.Client({ ...conn.config, ssl });
    const abort = (): void => void client.end().catch(() => undefined);
    signal?.addEventListener('abort', abort, { once: true });
    // A dropped connection also arrives as an 'error' event, which would crash the process unheard;
    // the pending query rejects all the same, and that is where it is handled.
    client.on('error', () => undefined);
    try {
      await client.connect();
      return client;
    } catch (e) {
      signal?.removeEventListener('abort', abort);
      await client.end().catch(() => undefined);
      throw e;
    }
  };
  const where = `${conn.endpoint.host}:${conn.endpoint.port}`;
  try {
    // A reset or timed-out connect gets two more tries; refused, TLS and auth failures do not (DESIGN.md "Bounded").
    const client = await withRetry({ retries: 2, backoffMs: 250, isTransient: isTransientNetworkError }, () => attempt(conn.config.ssl));
    return { client, tls: conn.config.ssl !== false };
  } catch (e) {
    if (!(conn.plainFallback && isNoTlsAnswer(e))) throw new PgConnectError(where, conn.user, conn.sslmode, e);
  }
  try {
    return { client: await attempt(false), tls: false };
  } catch (e) {
    throw new PgConnectError(where, conn.user, conn.sslmode, e);
  }
}

function isNoTlsAnswer(e: unknown): boolean {
  return e instanceof Error && e.message === 'The server does not support SSL connections';
}

function firstLine(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const code = (e as { code?: unknown })?.code;
  const line = message.split('\n')[0] ?? message;
  // Node's socket and TLS codes help (ECONNREFUSED, CERT_HAS_EXPIRED); SQLSTATEs (28P01) only add noise.
  return typeof code === 'string' && /^[A-Z][A-Z_]{4,}$/.test(code) && !line.includes(code) ? `${line} (${code})` : line;
}

/** Hash formats as Postgres regular expressions (ARE); matching runs on the server so values never reach prodcheck. */
export const HASH_PATTERNS: Readonly<Record<'bcrypt' | 'argon2' | 'sha256', string>> = {
  bcrypt: '^\\$2[abxy]?\\$[0-9]{2}\\$[./A-Za-z0-9]{53}$',
  argon2: '^\\$argon2(id|i|d)\\$(v=[0-9]+\\$)?m=[0-9]+,t=[0-9]+,p=[0-9]+\\$[A-Za-z0-9+/]+\\$[A-Za-z0-9+/]+$',
  sha256: '^[0-9a-fA-F]{64}$',
};

export function hashPattern(format: 'bcrypt' | 'argon2' | 'sha256' | 'any'): string {
  return format === 'any' ? `(${Object.values(HASH_PATTERNS).join(')|(')})` : HASH_PATTERNS[format];
}

/** Rows of a table examined per hashed column: a bounded sample (first rows in physical order). */
export const HASH_SAMPLE_ROWS = 10_000;
/** Statements judged by pg.query-latency: the app role's most called ones, as the catalogue says. */
export const TOP_STATEMENTS = 20;

const RELKINDS: Readonly<Record<string, RelationInfo['kind']>> = { r: 'table', p: 'partitioned table', v: 'view', m: 'materialized view', f: 'foreign table' };

const PRIVILEGED_BUILTIN_ROLES = ['pg_read_server_files', 'pg_write_server_files', 'pg_execute_server_program'];

/** Runs each probe in a savepoint so one refused or failing query does not abort the read-only transaction. */
class Session {
  private lost: string | undefined;
  constructor(
    readonly client: pg.Client,
    readonly verifier: string,
  ) {}

  ident(name: string): string {
    return this.client.escapeIdentifier(name);
  }

  table(q: QualifiedName): string {
    return `${this.ident(q.schema)}.${this.ident(q.name)}`;
  }

  async rows<R>(sql: string, values: readonly unknown[] = []): Promise<R[]> {
    const result = await this.client.query(sql, values as unknown[]);
    return result.rows as R[];
  }

  /** `grant` names what the verifier role needs when Postgres answers "permission denied". */
  async probe<T>(grant: string | undefined, run: () => Promise<T>): Promise<Probe<T>> {
    if (this.lost !== undefined) return { ok: false, error: `not read: the connection was lost earlier (${this.lost})` };
    await this.client.query('SAVEPOINT prodcheck_probe');
    try {
      const value = await run();
      await this.client.query('RELEASE SAVEPOINT prodcheck_probe');
      return { ok: true, value };
    } catch (e) {
      const denied = (e as { code?: unknown }).code === '42501';
      const error = `${firstLine(e)}${denied && grant ? `: ${grant} to "${this.verifier}"` : ''}`;
      try {
        await this.client.query('ROLLBACK TO SAVEPOINT prodcheck_probe');
      } catch (again) {
        this.lost = firstLine(again);
      }
      return { ok: false, error };
    }
  }
}

/** The schemas the spec's relations live in, and public. */
function specSchemas(pgSpec: PostgresSpec): string[] {
  const names = [...pgSpec.tables, ...pgSpec.rls, ...pgSpec.appendOnly, ...pgSpec.indexes.map((i) => i.table), ...pgSpec.hashedColumns.map((h) => h.table)];
  return [...new Set(['public', ...names.map((n) => parseQualified(n).schema)])].sort();
}

function specRelations(pgSpec: PostgresSpec): QualifiedName[] {
  const names = [...pgSpec.tables, ...pgSpec.rls, ...pgSpec.appendOnly, ...pgSpec.indexes.map((i) => i.table), ...pgSpec.hashedColumns.map((h) => h.table)];
  return [...new Set(names.map((n) => keyOf(parseQualified(n))))].map((k) => parseQualified(k));
}

async function readRelations(s: Session, wanted: readonly QualifiedName[]): Promise<RelationInfo[]> {
  const rows = await s.rows<{ schema: string; name: string; relkind: string; rls: boolean; force: boolean; policies: number }>(
    `SELECT n.nspname AS schema, c.relname AS name, c.relkind::text AS relkind, c.relrowsecurity AS rls, c.relforcerowsecurity AS force,
            (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid)::int AS policies
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN unnest($1::text[], $2::text[]) AS w(schema, name) ON n.nspname = w.schema AND lower(c.relname) = lower(w.name)
      WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
      ORDER BY 1, 2`,
    [wanted.map((w) => w.schema), wanted.map((w) => w.name)],
  );
  return rows.map((r) => ({ schema: r.schema, name: r.name, kind: RELKINDS[r.relkind] ?? 'table', rls: r.rls, forceRls: r.force, policies: r.policies }));
}

async function readFunctions(s: Session, wanted: readonly QualifiedName[]): Promise<Record<string, number>> {
  const rows = await s.rows<{ schema: string; name: string; overloads: number }>(
    `SELECT n.nspname AS schema, p.proname AS name, count(*)::int AS overloads
       FROM pg_proc p
       JOIN pg_namespace n ON n.oid = p.pronamespace
       JOIN unnest($1::text[], $2::text[]) AS w(schema, name) ON n.nspname = w.schema AND p.proname = w.name
      GROUP BY 1, 2`,
    [wanted.map((w) => w.schema), wanted.map((w) => w.name)],
  );
  return Object.fromEntries(rows.map((r) => [keyOf(r), r.overloads]));
}

async function readIndexes(s: Session, schemas: readonly string[]): Promise<{ indexes: IndexInfo[]; foreignKeys: ForeignKeyInfo[] }> {
  const indexes = await s.rows<IndexInfo>(
    `SELECT n.nspname AS schema, t.relname AS "table", ic.relname AS name, i.indisvalid AS valid, i.indpred IS NOT NULL AS partial,
            array(SELECT a.attname::text
                    FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                    LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum AND k.attnum > 0
                   WHERE k.ord <= i.indnkeyatts
                   ORDER BY k.ord) AS columns
       FROM pg_index i
       JOIN pg_class t ON t.oid = i.indrelid
       JOIN pg_class ic ON ic.oid = i.indexrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = ANY($1) AND t.relkind IN ('r', 'p')
      ORDER BY 1, 2, 3`,
    [schemas],
  );
  const foreignKeys = await s.rows<ForeignKeyInfo>(
    `SELECT n.nspname AS schema, t.relname AS "table", c.conname AS name,
            array(SELECT a.attname::text
                    FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
                   ORDER BY k.ord) AS columns
       FROM pg_constraint c
       JOIN pg_class t ON t.oid = c.conrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE c.contype = 'f' AND n.nspname = ANY($1) AND t.relkind IN ('r', 'p')
      ORDER BY 1, 2, 3`,
    [schemas],
  );
  return { indexes, foreignKeys };
}

async function readMigrations(s: Session, table: QualifiedName, column: string): Promise<MigrationsState> {
  const cols = await s.rows<{ name: string }>(
    `SELECT a.attname AS name
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped`,
    [table.schema, table.name],
  );
  if (cols.length === 0) return { exists: false, applied: [] };
  const have = new Set(cols.map((c) => c.name));
  // Prisma records failed and rolled-back attempts in the same table; only finished, kept ones are applied.
  const where = [
    ...(have.has('finished_at') ? ['finished_at IS NOT NULL'] : []),
    ...(have.has('rolled_back_at') ? ['rolled_back_at IS NULL'] : []),
  ];
  const rows = await s.rows<{ name: string }>(
    `SELECT ${s.ident(column)}::text AS name FROM ${s.table(table)}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY 1 LIMIT 100000`,
  );
  return { exists: true, applied: rows.map((r) => r.name) };
}

async function readRole(s: Session, role: string, schemas: readonly string[]): Promise<RoleInfo | null> {
  const rows = await s.rows<{
    name: string;
    superuser: boolean;
    createrole: boolean;
    createdb: boolean;
    bypassrls: boolean;
    owns: string[];
    privileged: string[];
    create_on: string[];
  }>(
    `SELECT r.rolname AS name, r.rolsuper AS superuser, r.rolcreaterole AS createrole, r.rolcreatedb AS createdb, r.rolbypassrls AS bypassrls,
            array(SELECT n.nspname || '.' || c.relname
                    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                   WHERE c.relowner = r.oid AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
                     AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
                   ORDER BY 1) AS owns,
            array(SELECT m.rolname::text FROM pg_roles m
                   WHERE m.oid <> r.oid AND pg_has_role(r.oid, m.oid, 'MEMBER')
                     AND (m.rolsuper OR m.rolcreaterole OR m.rolcreatedb OR m.rolbypassrls OR m.rolname = ANY($3))
                   ORDER BY 1) AS privileged,
            array(SELECT n.nspname::text FROM pg_namespace n
                   WHERE n.nspname = ANY($2) AND has_schema_privilege(r.oid, n.oid, 'CREATE')
                   ORDER BY 1) AS create_on
       FROM pg_roles r
      WHERE r.rolname = $1`,
    [role, schemas, PRIVILEGED_BUILTIN_ROLES],
  );
  const r = rows[0];
  if (r === undefined) return null;
  return {
    name: r.name,
    superuser: r.superuser,
    createRole: r.createrole,
    createDb: r.createdb,
    bypassRls: r.bypassrls,
    owns: r.owns,
    privilegedMemberOf: r.privileged,
    createOn: r.create_on,
  };
}

async function readAppendOnly(s: Session, role: string, tables: readonly QualifiedName[]): Promise<TablePrivileges[]> {
  // Compared by oid: the text forms of has_table_privilege parse names and would fold "AuditEvent" to lower case.
  return s.rows<TablePrivileges>(
    `SELECT n.nspname AS schema, c.relname AS "table",
            has_any_column_privilege(r.oid, c.oid, 'UPDATE') AS update,
            has_table_privilege(r.oid, c.oid, 'DELETE') AS delete,
            has_table_privilege(r.oid, c.oid, 'TRUNCATE') AS truncate
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN unnest($2::text[], $3::text[]) AS w(schema, name) ON n.nspname = w.schema AND c.relname = w.name
       JOIN pg_roles r ON r.rolname = $1
      WHERE c.relkind IN ('r', 'p')
      ORDER BY 1, 2`,
    [role, tables.map((t) => t.schema), tables.map((t) => t.name)],
  );
}

const DML = /^\s*(select|insert|update|delete|with|merge|values|table)\b/i;

async function readStatements(s: Session, role: string, versionNum: number): Promise<StatementsState> {
  const ext = await s.rows<{ schema: string }>(
    `SELECT n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_stat_statements'`,
  );
  const schema = ext[0]?.schema;
  if (schema === undefined) return { installed: false };
  const meanColumn = versionNum >= 130000 ? 'mean_exec_time' : 'mean_time';
  const who = await s.rows<{ exists: boolean; database: string }>(
    `SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS exists, current_database() AS database`,
    [role],
  );
  const rows = await s.rows<{ queryid: string | null; query: string | null; calls: string; mean: number }>(
    `SELECT s.queryid::text AS queryid, s.query, s.calls::text AS calls, s.${meanColumn}::float8 AS mean
       FROM ${s.ident(schema)}.pg_stat_statements s
      WHERE s.userid = (SELECT oid FROM pg_roles WHERE rolname = $1)
        AND s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
      ORDER BY s.calls DESC, s.${meanColumn} DESC
      LIMIT ${TOP_STATEMENTS}`,
    [role],
  );
  return {
    installed: true,
    role,
    roleExists: who[0]?.exists ?? false,
    database: who[0]?.database ?? '',
    statements: rows.map((r) => ({
      queryid: r.queryid ?? 'unknown',
      query: r.query !== null && DML.test(r.query) ? shorten(r.query.replace(/\s+/g, ' ').trim(), 60) : null,
      calls: Number(r.calls),
      meanMs: r.mean,
    })),
  };
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

async function readHashed(s: Session, table: QualifiedName, column: string, format: 'bcrypt' | 'argon2' | 'sha256' | 'any', bypassRls: boolean): Promise<HashedSample> {
  const meta = await s.rows<{ rls: boolean; type: string | null }>(
    `SELECT c.relrowsecurity AS rls,
            (SELECT format_type(a.atttypid, NULL) FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = $3 AND a.attnum > 0 AND NOT a.attisdropped) AS type
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p')`,
    [table.schema, table.name, column],
  );
  const m = meta[0];
  if (m === undefined) return { table: 'missing', column: 'missing', sampled: 0, notHashed: 0, rlsHidden: false };
  if (m.type === null) return { table: 'ok', column: 'missing', sampled: 0, notHashed: 0, rlsHidden: false };
  const value = m.type === 'bytea' ? `encode(${s.ident(column)}, 'hex')` : `${s.ident(column)}::text`;
  // Only the counts come back: the values are matched on the server and never cross the wire.
  const rows = await s.rows<{ rows: number; sampled: number; bad: number }>(
    `SELECT count(*)::int AS rows, count(v)::int AS sampled, (count(*) FILTER (WHERE v !~ $1))::int AS bad
       FROM (SELECT ${value} AS v FROM ${s.table(table)} LIMIT ${HASH_SAMPLE_ROWS}) AS sample`,
    [hashPattern(format)],
  );
  const r = rows[0] ?? { rows: 0, sampled: 0, bad: 0 };
  return { table: 'ok', column: 'ok', sampled: r.sampled, notHashed: r.bad, rlsHidden: r.rows === 0 && m.rls && !bypassRls };
}

async function readPools(admin: PgConnection, signal: AbortSignal): Promise<PoolRow[]> {
  const { client } = await connectPg(admin, signal);
  try {
    // pgbouncer's admin console answers simple queries only and rejects BEGIN; it has nothing to write.
    const result = await client.query<Record<string, string | null>>('SHOW POOLS');
    return result.rows.map((r) => ({
      database: r.database ?? '',
      user: r.user ?? '',
      clientsActive: Number(r.cl_active ?? 0),
      clientsWaiting: Number(r.cl_waiting ?? 0),
      serversActive: Number(r.sv_active ?? 0),
      serversIdle: Number(r.sv_idle ?? 0),
      mode: r.pool_mode ?? '',
    }));
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

async function collectPooling(target: PgTarget, signal: AbortSignal): Promise<PoolingState> {
  const base = { database: endpointOf(target.url), ...(target.poolerUrl ? { pooler: endpointOf(target.poolerUrl) } : {}) };
  if (!target.poolerAdminUrl) return base;
  let admin: PgConnection;
  try {
    admin = pgConnection(target.poolerAdminUrl, { caFile: target.caFile, timeoutMs: target.timeoutMs });
  } catch (e) {
    return { ...base, admin: { endpoint: endpointOf(target.poolerAdminUrl), pools: { ok: false, error: firstLine(e) } } };
  }
  let pools: Probe<readonly PoolRow[]>;
  try {
    pools = { ok: true, value: await readPools(admin, signal) };
  } catch (e) {
    pools = { ok: false, error: firstLine(e) };
  }
  return { ...base, admin: { endpoint: admin.endpoint, pools } };
}

async function collectDatabase(ctx: CollectContext, target: PgTarget, pgSpec: PostgresSpec): Promise<Omit<PgSnapshot, 'pooling'>> {
  const conn = pgConnection(target.url, { caFile: target.caFile, timeoutMs: target.timeoutMs });
  const { client } = await connectPg(conn, ctx.signal);
  try {
    // REPEATABLE READ: every probe sees one snapshot. READ ONLY: the server refuses any write.
    await client.query('BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
    // Set here rather than as startup parameters, which poolers such as pgbouncer reject.
    await client.query(`SET LOCAL statement_timeout = ${Math.trunc(target.timeoutMs)}`);
    const who = (
      await client.query<{ user: string; version: string; num: number; bypass: boolean }>(
        `SELECT current_user AS user, current_setting('server_version') AS version, current_setting('server_version_num')::int AS num,
                coalesce((SELECT rolbypassrls OR rolsuper FROM pg_roles WHERE rolname = current_user), false) AS bypass`,
      )
    ).rows[0];
    if (who === undefined) throw new Error('the server returned no row for current_user');
    const s = new Session(client, who.user);
    const schemas = specSchemas(pgSpec);
    const tls = await s.probe(undefined, async () => {
      const rows = await s.rows<{ ssl: boolean; version: string | null }>('SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
      return { inUse: rows[0]?.ssl ?? false, version: rows[0]?.version ?? null };
    });
    const connections = await s.probe(undefined, async () => {
      const rows = await s.rows<{ used: number; max: number }>(
        `SELECT (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')::int AS used, current_setting('max_connections')::int AS max`,
      );
      return rows[0] ?? { used: 0, max: 0 };
    });
    const migrationsSpec = pgSpec.migrations;
    const migrations = migrationsSpec
      ? await s.probe(`grant SELECT on ${s.table(parseQualified(migrationsSpec.table))}`, () =>
          readMigrations(s, parseQualified(migrationsSpec.table), migrationsSpec.column),
        )
      : undefined;
    const relations = await s.probe(undefined, () => readRelations(s, specRelations(pgSpec)));
    const functions = await s.probe(undefined, () => readFunctions(s, pgSpec.functions.map(parseQualified)));
    const indexes = await s.probe(undefined, () => readIndexes(s, schemas));
    const appRole = await s.probe(undefined, () => readRole(s, pgSpec.appRole, schemas));
    const appendOnly = await s.probe(undefined, () => readAppendOnly(s, pgSpec.appRole, pgSpec.appendOnly.map(parseQualified)));
    const statements = await s.probe('grant pg_read_all_stats', () => readStatements(s, pgSpec.appRole, who.num));
    const hashed: Record<string, Probe<HashedSample>> = {};
    for (const h of pgSpec.hashedColumns) {
      const table = parseQualified(h.table);
      hashed[hashedKey(h.table, h.column)] = await s.probe(`grant SELECT on ${s.table(table)}`, () => readHashed(s, table, h.column, h.format, who.bypass));
    }
    await client.query('ROLLBACK');
    return {
      endpoint: conn.endpoint,
      user: who.user,
      serverVersion: who.version,
      sslmode: conn.sslmode,
      certCheck: conn.certCheck,
      tls,
      connections,
      ...(migrations !== undefined ? { migrations } : {}),
      relations,
      functions,
      indexes,
      appRole,
      appendOnly,
      statements,
      hashed,
    };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Gathers everything the pg.* checks judge, over one read-only connection as the verifier role. */
export const pgCollector: Collector<PgSnapshot> = {
  target: 'postgres',
  applies(spec: StackSpec, targets: Targets): string | undefined {
    if (!spec.postgres) return 'the stack has no prodcheck:postgres section';
    if (!targets.postgres) return 'no postgres target: add postgres.url to the targets file';
    return undefined;
  },
  async collect(ctx: CollectContext): Promise<PgSnapshot> {
    const target = ctx.targets.postgres;
    const pgSpec = ctx.spec.postgres;
    if (!target || !pgSpec) throw new PgConfigError(pgCollector.applies(ctx.spec, ctx.targets) ?? 'postgres is not configured');
    const [database, pooling] = await Promise.all([collectDatabase(ctx, target, pgSpec), collectPooling(target, ctx.signal)]);
    return { ...database, pooling };
  },
};
