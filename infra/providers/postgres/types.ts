/** How the provider reaches the database: an owner/admin login (the RDS master user, Supabase's `postgres`). */
export interface AdminConnection {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly adminUser: string;
  readonly adminPassword: string;
  /** libpq meanings: `require` encrypts without checking the certificate, `verify-full` checks it against `ca`. */
  readonly sslmode: 'disable' | 'require' | 'verify-full';
  /** PEM bundle for verify-full (e.g. the RDS global bundle). */
  readonly ca?: string | undefined;
}

/** The access rules the app's database must carry, as the spec states them. */
export interface AccessArgs extends AdminConnection {
  readonly appRole: string;
  /** Without one the app role is NOLOGIN: a role the platform switches to (Supabase's `authenticated`). */
  readonly appPassword?: string | undefined;
  readonly verifierRole: string;
  readonly verifierPassword: string;
  /** Tables (`schema.name` or `name` for public) whose grants are checked; their schemas get the grants. */
  readonly tables: readonly string[];
  /** Tables that must have row level security enabled. */
  readonly rls: readonly string[];
  /** Tables the app role may only SELECT from and INSERT into. */
  readonly appendOnly: readonly string[];
}

/** A role's attributes and privileges as the server reports them. */
export interface RoleState {
  readonly name: string;
  readonly exists: boolean;
  readonly login: boolean;
  readonly superuser: boolean;
  readonly createRole: boolean;
  readonly createDb: boolean;
  readonly bypassRls: boolean;
  readonly replication: boolean;
  /** Roles it belongs to that carry SUPERUSER, CREATEROLE, CREATEDB, BYPASSRLS or server file access. */
  readonly privilegedMemberOf: readonly string[];
  /** Whether it belongs to pg_read_all_stats. */
  readonly readAllStats: boolean;
  /** Its `default_transaction_read_only` setting is on. */
  readonly readOnlyDefault: boolean;
  /** Relations it owns, as schema.name. */
  readonly owns: readonly string[];
  /** Schemas (of the managed tables) in which it may CREATE. */
  readonly createOn: readonly string[];
  /** Whether the stored password still logs in; null for a role without one. */
  readonly passwordWorks: boolean | null;
}

/** Built-in roles that reach the server's files or programs: no app or verifier role may belong to them. */
export const PRIVILEGED_BUILTIN_ROLES = ['pg_read_server_files', 'pg_write_server_files', 'pg_execute_server_program'];

export type TablePrivilege = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE' | 'TRUNCATE';
export const TABLE_PRIVILEGES: readonly TablePrivilege[] = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE'];

export interface TableState {
  /** schema.name */
  readonly table: string;
  readonly exists: boolean;
  readonly rls: boolean;
  /** What the app role may do on it (directly, through PUBLIC or a role it belongs to). */
  readonly app: readonly TablePrivilege[];
  readonly verifierSelect: boolean;
}

/** What read() finds: everything a manual change could alter. */
export interface LiveAccess {
  readonly app: RoleState;
  readonly verifier: RoleState;
  readonly tableStates: readonly TableState[];
  /** The managed schemas that exist. */
  readonly schemas: readonly string[];
  /** Schemas whose future tables the admin's default privileges grant to both roles. */
  readonly defaultGrants: readonly string[];
}

/** The resource's state: its inputs, what it found, and which roles it created (and so may drop). */
export interface AccessState extends AccessArgs, LiveAccess {
  /** What it records on its roles (see claims.ts); states written before claims existed have none. */
  readonly claim?: string | undefined;
  readonly createdRoles: readonly string[];
  /** Where the live state departs from the rules, one sentence each; empty once converged. */
  readonly drift: readonly string[];
}

/** The resource's claim; for a state without one, the id such a resource was given. */
export function claimOf(state: AccessState): string {
  return state.claim ?? `${state.host}:${state.port}/${state.database}/${state.appRole}+${state.verifierRole}`;
}

export interface QualifiedName {
  readonly schema: string;
  readonly name: string;
}

/** `audit_events` is public.audit_events; names keep their case ("User"). */
export function parseTable(name: string): QualifiedName {
  const dot = name.indexOf('.');
  return dot < 0 ? { schema: 'public', name } : { schema: name.slice(0, dot), name: name.slice(dot + 1) };
}

export const tableKey = (name: string): string => {
  const q = parseTable(name);
  return `${q.schema}.${q.name}`;
};

/** Every table the rules mention, qualified and in first-mention order. */
export function managedTables(args: Pick<AccessArgs, 'tables' | 'rls' | 'appendOnly'>): string[] {
  return [...new Set([...args.tables, ...args.rls, ...args.appendOnly].map(tableKey))];
}

/** The schemas of the managed tables; public when the spec names none. */
export function managedSchemas(args: Pick<AccessArgs, 'tables' | 'rls' | 'appendOnly'>): string[] {
  return [...new Set(['public', ...managedTables(args).map((t) => parseTable(t).schema)])];
}

/** What the app role should hold on a table: DML, and no UPDATE/DELETE on an append-only one. Never TRUNCATE. */
export function wantedAppPrivileges(args: Pick<AccessArgs, 'appendOnly'>, table: string): TablePrivilege[] {
  return new Set(args.appendOnly.map(tableKey)).has(tableKey(table)) ? ['SELECT', 'INSERT'] : ['SELECT', 'INSERT', 'UPDATE', 'DELETE'];
}
