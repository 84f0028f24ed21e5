import type { AccessArgs, AccessState, LiveAccess, RoleState } from './types.js';
import { tableKey, wantedAppPrivileges } from './types.js';

function roleDrift(role: RoleState, login: boolean, verifier: boolean): string[] {
  const who = `role "${role.name}"`;
  if (!role.exists) return [`${who} does not exist`];
  const out: string[] = [];
  if (role.login !== login) out.push(`${who} is ${role.login ? 'LOGIN' : 'NOLOGIN'} (want ${login ? 'LOGIN' : 'NOLOGIN'})`);
  const attributes: [boolean, string][] = [
    [role.superuser, 'SUPERUSER'],
    [role.createRole, 'CREATEROLE'],
    [role.createDb, 'CREATEDB'],
    [role.bypassRls, 'BYPASSRLS'],
    [role.replication, 'REPLICATION'],
  ];
  for (const [has, name] of attributes) if (has) out.push(`${who} has ${name}`);
  if (role.privilegedMemberOf.length > 0) out.push(`${who} belongs to privileged roles: ${role.privilegedMemberOf.join(', ')}`);
  if (role.owns.length > 0) out.push(`${who} owns ${role.owns.join(', ')} (run migrations as the admin and REASSIGN OWNED BY "${role.name}" TO it)`);
  if (role.createOn.length > 0) out.push(`${who} may CREATE in schema ${role.createOn.join(', ')}`);
  if (role.passwordWorks === false) out.push(`${who} no longer logs in with its password`);
  if (verifier && !role.readAllStats) out.push(`${who} is not a member of pg_read_all_stats`);
  if (verifier && !role.readOnlyDefault) out.push(`${who} does not default to read-only transactions`);
  return out;
}

/** Where the live state departs from the rules, one sentence each. Missing tables count: they still need their rules. */
export function accessDrift(live: LiveAccess, args: AccessArgs): string[] {
  const out = [...roleDrift(live.app, args.appPassword !== undefined, false), ...roleDrift(live.verifier, true, true)];
  const rls = new Set(args.rls.map(tableKey));
  for (const t of live.tableStates) {
    if (!t.exists) {
      out.push(`table ${t.table} does not exist yet: its rules apply once the app's migrations create it and \`pulumi up\` runs again`);
      continue;
    }
    if (rls.has(t.table) && !t.rls) out.push(`table ${t.table} has row level security off`);
    const want = wantedAppPrivileges(args, t.table);
    const extra = t.app.filter((p) => !want.includes(p));
    const missing = want.filter((p) => !t.app.includes(p));
    if (extra.length > 0) out.push(`role "${args.appRole}" may ${extra.join(', ')} on ${t.table}`);
    if (missing.length > 0) out.push(`role "${args.appRole}" lacks ${missing.join(', ')} on ${t.table}`);
    if (!t.verifierSelect) out.push(`role "${args.verifierRole}" cannot SELECT from ${t.table}`);
  }
  for (const schema of live.schemas) {
    if (!live.defaultGrants.includes(schema)) out.push(`tables created in schema ${schema} from now on are not granted to "${args.appRole}" and "${args.verifierRole}"`);
  }
  return out;
}

export interface AccessDiff {
  readonly changes: boolean;
  readonly replaces: string[];
  readonly deleteBeforeReplace: boolean;
}

const INPUTS: readonly (keyof AccessArgs)[] = ['host', 'port', 'database', 'adminUser', 'adminPassword', 'sslmode', 'ca', 'appRole', 'appPassword', 'verifierRole', 'verifierPassword', 'tables', 'rls', 'appendOnly'];
/**
 * Another database or renamed roles are a new resource. How the provider reaches the server (host, port,
 * TLS, admin login) is not: a tunnel's local port may change on every run, and the roles stay the same.
 */
const REPLACING: readonly (keyof AccessArgs)[] = ['database', 'appRole', 'verifierRole'];

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** An update whenever an input changed or the live state (as last read) departs from the rules. */
export function diffAccess(olds: AccessState, news: AccessArgs): AccessDiff {
  const changed = INPUTS.filter((k) => !same(olds[k], news[k]));
  const replaces = changed.filter((k) => REPLACING.includes(k));
  return { changes: changed.length > 0 || accessDrift(olds, news).length > 0, replaces, deleteBeforeReplace: false };
}
