/** Row level security policies and the roles that bypass them: what pg.rls judges beyond the table flags. */
import type { QualifiedName } from '../../spec/index.js';
import type { Session } from './session.js';
import type { PolicyExpr, PolicyInfo, RlsBypass } from './snapshot.js';

/** Built-in functions whose result depends on who is signed in or what the session set. */
const SESSION_FUNCTIONS = new Set(['current_setting', 'current_user', 'session_user', 'current_role', 'user', 'pg_has_role', 'inet_client_addr']);
/**
 * SQLValueFunction ops naming the signed-in role (CURRENT_ROLE, CURRENT_USER, USER, SESSION_USER): in
 * PostgreSQL 15 these keywords are stored as such nodes; from 16 on as calls of current_user() etc.
 */
const SESSION_SVF_OPS = new Set([9, 10, 11, 12]);

/**
 * What a stored policy expression (pg_node_tree text) refers to. A Var of range-table entry 1 at the
 * expression's own query level is a column of the policy's table (inside a sub-select the table's
 * columns appear with varlevelsup equal to the sub-select's depth); a call of a session function, or
 * of any function outside pg_catalog (such as Supabase's auth.uid()), may read the session.
 */
export function classifyPolicyExpr(tree: string, text: string, functions: readonly { schema: string; name: string }[]): PolicyExpr {
  let refsRow = false;
  let svfSession = false;
  const stack: string[] = [];
  for (let i = 0; i < tree.length; i++) {
    const ch = tree[i];
    if (ch === '\\') {
      i++;
    } else if (ch === '{') {
      const name = /^[A-Z_]+/.exec(tree.slice(i + 1))?.[0] ?? '';
      stack.push(name);
      if (name === 'VAR' || name === 'SQLVALUEFUNCTION') {
        const end = tree.indexOf('}', i);
        const body = tree.slice(i, end < 0 ? undefined : end);
        const field = (f: string): number => Number(new RegExp(`:${f} (-?\\d+)`).exec(body)?.[1] ?? NaN);
        const depth = stack.filter((n) => n === 'QUERY').length;
        if (name === 'VAR' && field('varno') === 1 && field('varlevelsup') === depth) refsRow = true;
        if (name === 'SQLVALUEFUNCTION' && SESSION_SVF_OPS.has(field('op'))) svfSession = true;
      }
    } else if (ch === '}') {
      stack.pop();
    }
  }
  const refsSession = svfSession || functions.some((f) => f.schema !== 'pg_catalog' || SESSION_FUNCTIONS.has(f.name));
  return { text, refsRow, refsSession };
}

interface PolicyRow {
  schema: string;
  table: string;
  name: string;
  permissive: boolean;
  command: string;
  roles: string[];
  applies: boolean;
  using_tree: string | null;
  using_text: string | null;
  using_fns: { schema: string; name: string }[];
  check_tree: string | null;
  check_text: string | null;
  check_fns: { schema: string; name: string }[];
}

const COMMANDS: Readonly<Record<string, PolicyInfo['command']>> = { '*': 'ALL', r: 'SELECT', a: 'INSERT', w: 'UPDATE', d: 'DELETE' };

/** Policies on the tables, with whether each applies to the app role (to PUBLIC or a role it is a member of). */
export async function readPolicies(s: Session, appRole: string, tables: readonly QualifiedName[]): Promise<PolicyInfo[]> {
  const fns = (column: string) =>
    `coalesce((SELECT json_agg(json_build_object('schema', fn.nspname, 'name', f.proname))
                 FROM pg_proc f JOIN pg_namespace fn ON fn.oid = f.pronamespace
                WHERE f.oid IN (SELECT m[1]::oid FROM regexp_matches(p.${column}::text, ':funcid (\\d+)', 'g') AS m)), '[]'::json)`;
  const rows = await s.rows<PolicyRow>(
    `SELECT n.nspname AS schema, c.relname AS "table", p.polname AS name, p.polpermissive AS permissive, p.polcmd::text AS command,
            array(SELECT CASE WHEN r = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(r)::text END FROM unnest(p.polroles) AS r ORDER BY 1) AS roles,
            EXISTS (SELECT 1 FROM unnest(p.polroles) AS r, pg_roles a
                     WHERE a.rolname = $1 AND (r = 0 OR pg_has_role(a.oid, r, 'MEMBER'))) AS applies,
            p.polqual::text AS using_tree, pg_get_expr(p.polqual, p.polrelid) AS using_text, ${fns('polqual')} AS using_fns,
            p.polwithcheck::text AS check_tree, pg_get_expr(p.polwithcheck, p.polrelid) AS check_text, ${fns('polwithcheck')} AS check_fns
       FROM pg_policy p
       JOIN pg_class c ON c.oid = p.polrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN unnest($2::text[], $3::text[]) AS w(schema, name) ON n.nspname = w.schema AND c.relname = w.name
      ORDER BY 1, 2, 3`,
    [appRole, tables.map((t) => t.schema), tables.map((t) => t.name)],
  );
  return rows.map((r) => ({
    schema: r.schema,
    table: r.table,
    name: r.name,
    permissive: r.permissive,
    command: COMMANDS[r.command] ?? 'ALL',
    roles: r.roles,
    appliesToApp: r.applies,
    using: r.using_tree !== null && r.using_text !== null ? classifyPolicyExpr(r.using_tree, r.using_text, r.using_fns) : null,
    withCheck: r.check_tree !== null && r.check_text !== null ? classifyPolicyExpr(r.check_tree, r.check_text, r.check_fns) : null,
  }));
}

/**
 * Roles other than superusers that have BYPASSRLS and any privilege on the tables (inherited ones
 * included). Superusers bypass everything and every cluster has one; pg.grants.least-privilege keeps
 * the app role from being or becoming one.
 */
export async function readRlsBypass(s: Session, appRole: string, tables: readonly QualifiedName[]): Promise<RlsBypass[]> {
  return s.rows<RlsBypass>(
    `SELECT n.nspname AS schema, c.relname AS "table", r.rolname AS role,
            EXISTS (SELECT 1 FROM pg_roles a WHERE a.rolname = $1 AND pg_has_role(a.oid, r.oid, 'MEMBER')) AS "appCanBecome"
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN unnest($2::text[], $3::text[]) AS w(schema, name) ON n.nspname = w.schema AND c.relname = w.name
       JOIN pg_roles r ON r.rolbypassrls AND NOT r.rolsuper
      WHERE has_table_privilege(r.oid, c.oid, 'SELECT, INSERT, UPDATE, DELETE')
      ORDER BY 1, 2, 3`,
    [appRole, tables.map((t) => t.schema), tables.map((t) => t.name)],
  );
}
