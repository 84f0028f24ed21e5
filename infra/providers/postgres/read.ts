import type { Client } from 'pg';
import { passwordWorks } from './connect.js';
import type { AccessArgs, LiveAccess, RoleState, TablePrivilege, TableState } from './types.js';
import { managedSchemas, managedTables, parseTable, PRIVILEGED_BUILTIN_ROLES, TABLE_PRIVILEGES } from './types.js';

/** The oid of each of the tables that exists (tables and partitioned tables), keyed schema.name; optionally only those the current user owns. */
export async function readTableOids(client: Client, tables: readonly string[], only: { readonly ownedByCurrentUser?: boolean } = {}): Promise<Map<string, string>> {
  const names = tables.map(parseTable);
  // Matched on the catalogue's names: to_regclass would fold an unquoted "User" to lower case.
  const rows = await client.query<{ key: string; oid: string }>(
    `SELECT n.nspname || '.' || c.relname AS key, c.oid::text AS oid
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN unnest($1::text[], $2::text[]) AS w(schema, name) ON n.nspname = w.schema AND c.relname = w.name
      WHERE c.relkind IN ('r', 'p') AND (NOT $3 OR pg_has_role(current_user, c.relowner, 'USAGE'))`,
    [names.map((t) => t.schema), names.map((t) => t.name), only.ownedByCurrentUser === true],
  );
  return new Map(rows.rows.map((r) => [r.key, r.oid]));
}

async function readRole(client: Client, name: string, schemas: readonly string[]): Promise<Omit<RoleState, 'passwordWorks'>> {
  const rows = await client.query<Omit<RoleState, 'passwordWorks' | 'exists'>>(
    `SELECT r.rolname AS name, r.rolcanlogin AS login, r.rolsuper AS superuser, r.rolcreaterole AS "createRole", r.rolcreatedb AS "createDb",
            r.rolbypassrls AS "bypassRls", r.rolreplication AS replication,
            array(SELECT m.rolname::text FROM pg_roles m
                   WHERE m.oid <> r.oid AND pg_has_role(r.oid, m.oid, 'MEMBER')
                     AND (m.rolsuper OR m.rolcreaterole OR m.rolcreatedb OR m.rolbypassrls OR m.rolname = ANY($3))
                   ORDER BY 1) AS "privilegedMemberOf",
            pg_has_role(r.oid, 'pg_read_all_stats', 'MEMBER') AS "readAllStats",
            COALESCE((SELECT bool_or(cfg = 'default_transaction_read_only=on')
                        FROM pg_db_role_setting s, unnest(s.setconfig) AS cfg
                       WHERE s.setrole = r.oid AND s.setdatabase IN (0, (SELECT oid FROM pg_database WHERE datname = current_database()))), false) AS "readOnlyDefault",
            array(SELECT n.nspname || '.' || c.relname
                    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                   WHERE c.relowner = r.oid AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
                     AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
                   ORDER BY 1) AS owns,
            array(SELECT n.nspname::text FROM pg_namespace n
                   WHERE n.nspname = ANY($2) AND has_schema_privilege(r.oid, n.oid, 'CREATE')
                   ORDER BY 1) AS "createOn"
       FROM pg_roles r
      WHERE r.rolname = $1`,
    [name, schemas, PRIVILEGED_BUILTIN_ROLES],
  );
  const r = rows.rows[0];
  if (r === undefined) {
    return { name, exists: false, login: false, superuser: false, createRole: false, createDb: false, bypassRls: false, replication: false, privilegedMemberOf: [], readAllStats: false, readOnlyDefault: false, owns: [], createOn: [] };
  }
  return { ...r, exists: true };
}

async function readTables(client: Client, args: AccessArgs): Promise<TableState[]> {
  const tables = managedTables(args);
  const oids = await readTableOids(client, tables);
  const out: TableState[] = [];
  for (const table of tables) {
    const oid = oids.get(table);
    if (oid === undefined) {
      out.push({ table, exists: false, rls: false, app: [], verifierSelect: false });
      continue;
    }
    // By oid and role name: the text forms of has_table_privilege would parse "User" as user.
    const r = await client.query<{ rls: boolean; app: TablePrivilege[]; verifier: boolean }>(
      `SELECT c.relrowsecurity AS rls,
              array(SELECT p FROM unnest($2::text[]) AS p
                     WHERE EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $3)
                       AND CASE WHEN p = 'UPDATE' THEN has_any_column_privilege($3, c.oid, p) ELSE has_table_privilege($3, c.oid, p) END) AS app,
              EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $4) AND has_table_privilege($4, c.oid, 'SELECT') AS verifier
         FROM pg_class c WHERE c.oid = $1::oid`,
      [oid, TABLE_PRIVILEGES, args.appRole, args.verifierRole],
    );
    const row = r.rows[0];
    out.push({ table, exists: true, rls: row?.rls ?? false, app: row?.app ?? [], verifierSelect: row?.verifier ?? false });
  }
  return out;
}

/** Schemas whose default privileges (for tables the admin creates) grant DML to the app and SELECT to the verifier. */
async function readDefaultGrants(client: Client, args: AccessArgs): Promise<string[]> {
  const rows = await client.query<{ schema: string }>(
    `SELECT n.nspname AS schema
       FROM pg_default_acl d
       JOIN pg_namespace n ON n.oid = d.defaclnamespace
      WHERE d.defaclrole = (SELECT oid FROM pg_roles WHERE rolname = current_user)
        AND d.defaclobjtype = 'r' AND n.nspname = ANY($1)
        AND array(SELECT a.privilege_type FROM aclexplode(d.defaclacl) a JOIN pg_roles g ON g.oid = a.grantee WHERE g.rolname = $2)
            @> ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']::text[]
        AND EXISTS (SELECT 1 FROM aclexplode(d.defaclacl) a JOIN pg_roles g ON g.oid = a.grantee WHERE g.rolname = $3 AND a.privilege_type = 'SELECT')
      ORDER BY 1`,
    [managedSchemas(args), args.appRole, args.verifierRole],
  );
  return rows.rows.map((r) => r.schema);
}

/** Everything a manual change could alter, as the server reports it now. */
export async function readAccess(client: Client, args: AccessArgs): Promise<LiveAccess> {
  const schemas = managedSchemas(args);
  const [app, verifier] = [await readRole(client, args.appRole, schemas), await readRole(client, args.verifierRole, schemas)];
  const check = async (role: Omit<RoleState, 'passwordWorks'>, password: string | undefined): Promise<boolean | null> =>
    password === undefined || !role.exists || !role.login ? null : passwordWorks(args, role.name, password);
  return {
    app: { ...app, passwordWorks: await check(app, args.appPassword) },
    verifier: { ...verifier, passwordWorks: await check(verifier, args.verifierPassword) },
    tableStates: await readTables(client, args),
    schemas: (await client.query<{ name: string }>('SELECT nspname AS name FROM pg_namespace WHERE nspname = ANY($1) ORDER BY 1', [schemas])).rows.map((r) => r.name),
    defaultGrants: await readDefaultGrants(client, args),
  };
}
