/** The typed snapshot the pg collector gathers and the pg checks judge. */
import type { Targets } from '../../spec/index.js';
import type { RegistryState } from '../litellm/registry-state.js';
import { keyOf, parseQualified } from '../../spec/index.js';
import type { Probe } from '../types.js';
import type { PostgresSpec } from '../../spec/index.js';

export type { QualifiedName } from '../../spec/index.js';

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
  readonly owner: string;
}

/** A policy expression as pg_get_expr shows it, and whether it looks at the row or at who is signed in. */
export interface PolicyExpr {
  readonly text: string;
  readonly refsRow: boolean;
  readonly refsSession: boolean;
}

export interface PolicyInfo {
  readonly schema: string;
  readonly table: string;
  readonly name: string;
  readonly permissive: boolean;
  readonly command: 'ALL' | 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';
  /** Role names the policy is for; PUBLIC for everyone. */
  readonly roles: readonly string[];
  /** For PUBLIC or a role the app role is a member of. */
  readonly appliesToApp: boolean;
  readonly using: PolicyExpr | null;
  readonly withCheck: PolicyExpr | null;
}

/** A role other than a superuser with BYPASSRLS and privileges on an RLS table. */
export interface RlsBypass {
  readonly schema: string;
  readonly table: string;
  readonly role: string;
  /** The app role is a member and can SET ROLE to it. */
  readonly appCanBecome: boolean;
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

/** The migration tools pg.migrations knows the history tables of. */
export type MigrationTool = NonNullable<NonNullable<PostgresSpec['migrations']>['tool']>;

export interface MigrationsState {
  readonly exists: boolean;
  /** The tool whose layout the table has (from the spec, or recognised by its columns). */
  readonly tool?: MigrationTool;
  /** The tool's name as people write it, e.g. "golang-migrate", "Prisma". */
  readonly toolLabel?: string;
  /** Names whose last attempt succeeded and was not rolled back, undone or deleted. */
  readonly applied: readonly string[];
  /** Names whose last attempt did not: state is failed, rolled back, undone, deleted, skipped... */
  readonly notApplied: readonly { readonly name: string; readonly state: string }[];
  /** Tools that keep only the current version (golang-migrate, Alembic): its rows, with golang-migrate's dirty flag. */
  readonly pointer?: readonly { readonly version: string; readonly dirty: boolean }[];
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
  /** Roles it can SET ROLE to (directly or transitively) that own tables in those schemas: it can alter or drop them. */
  readonly ownerRoles: readonly string[];
  /** Default privileges giving it write on future tables in the schemas of the append-only tables. */
  readonly defaultWrites?: readonly DefaultWrite[];
}

export interface TablePrivileges {
  readonly schema: string;
  readonly table: string;
  /** Table-level UPDATE or UPDATE on any column. */
  readonly update: boolean;
  readonly delete: boolean;
  readonly truncate: boolean;
  /** Roles the app role can SET ROLE to (directly or transitively) that may write the table, its owner included. */
  readonly viaRoles: readonly { readonly role: string; readonly owner: boolean; readonly privileges: readonly string[] }[];
  /** SECURITY DEFINER functions the app may execute that write the table, as name(argument types). */
  readonly definers: readonly string[];
  /** The app role may CREATE in the table's schema. */
  readonly schemaCreate?: boolean;
  /** Default privileges that give the app role write on future tables in the table's schema. */
  readonly defaultWrites?: readonly DefaultWrite[];
}

/** An ALTER DEFAULT PRIVILEGES entry granting UPDATE, DELETE or TRUNCATE on future tables to the app role, PUBLIC or a role it is a member of. */
export interface DefaultWrite {
  /** The role whose new tables get the privileges (FOR ROLE). */
  readonly grantor: string;
  /** The schema it is limited to (IN SCHEMA), or null for every schema. */
  readonly schema: string | null;
  /** The app role itself, 'PUBLIC', or a role it is a member of. */
  readonly grantee: string;
  readonly privileges: readonly string[];
}

export interface StatementStat {
  readonly queryid: string;
  /** Normalized DML text, whitespace collapsed, cut at 60 characters; null for utility statements, whose text pg_stat_statements keeps verbatim. */
  readonly query: string | null;
  /** The same text uncut, which postgres.queryBudgets and queryExclude match; absent or null as for query. */
  readonly text?: string | null;
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

/** A row of pgbouncer's SHOW DATABASES: a database name clients use, and where it leads. */
export interface PoolerDatabase {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly database: string;
  /** The user every server connection logs in as, when the entry forces one. */
  readonly forceUser: string | null;
}

export interface PoolingState {
  /** Where targets.postgres.url points. */
  readonly database: Endpoint;
  /** targets.postgres.poolerUrl, when set. */
  readonly pooler?: Endpoint;
  /** SHOW POOLS on targets.postgres.poolerAdminUrl, when set. */
  readonly admin?: {
    readonly endpoint: Endpoint;
    readonly pools: Probe<readonly PoolRow[]>;
    readonly databases: Probe<readonly PoolerDatabase[]>;
    /**
     * pgbouncer lists a database its `*` fallback routes only while clients use it (it drops the entry after
     * autodb_idle_timeout). When the pooled database was not listed, prodcheck logged in through poolerUrl
     * once and read again: undefined when it did not, else whether that login worked (and why not).
     */
    readonly woken?: Probe<true>;
  };
}

/** The first answer to a StartupMessage sent without TLS (no password follows). */
export interface PlaintextLogin {
  readonly user: string;
  /** The server asked for a password or logged the role in, rather than refusing it. */
  readonly accepted: boolean;
  /** What it answered, e.g. "a SCRAM password request" or the refusal's message. */
  readonly answer: string;
}

export interface TransportState {
  /** Whether the server answers an SSLRequest with S (offers TLS) or N. */
  readonly tlsOffered: Probe<boolean>;
  /** Read only when the spec requires TLS: whether the app role could log in unencrypted. */
  readonly plaintext?: Probe<PlaintextLogin>;
}

export interface PgSnapshot {
  readonly endpoint: Endpoint;
  readonly transport: TransportState;
  /** Set when the verifier could not log in because the server offers no TLS: only pg.connectivity is judged. */
  readonly unreached?: string;
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
  /** Policies on the postgres.rls tables. */
  readonly policies: Probe<readonly PolicyInfo[]>;
  readonly rlsBypass: Probe<readonly RlsBypass[]>;
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
  /** The LiteLLM servers table (llm.litellm.registry); undefined when the stack has no prodcheck:litellm. */
  readonly litellmRegistry?: Probe<RegistryState>;
}


export function hashedKey(table: string, column: string): string {
  return `${keyOf(parseQualified(table))}.${column}`;
}
