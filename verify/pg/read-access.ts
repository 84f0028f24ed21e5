/** Roles and privileges: what pg.grants.* and pg.rls judge. */
import type { QualifiedName } from '../../spec/index.js';
import type { Session } from './session.js';
import type { DefaultWrite, RoleInfo, TablePrivileges } from './snapshot.js';

const PRIVILEGED_BUILTIN_ROLES = ['pg_read_server_files', 'pg_write_server_files', 'pg_execute_server_program'];

/**
 * SQL for the default privileges (pg_default_acl) that give role oid `role` UPDATE, DELETE or TRUNCATE on
 * tables created later in schema oid `schema` (an IN SCHEMA entry or a global one), to itself, PUBLIC or a
 * role it is a member of, as a json array of DefaultWrite. The grantor's own entry is left out: membership in
 * the grantor is already a path of its own.
 */
const DEFAULT_WRITES = (role: string, schema: string): string =>
  `coalesce((SELECT json_agg(json_build_object('grantor', g.grantor, 'schema', g.schema, 'grantee', g.grantee, 'privileges', g.privileges) ORDER BY g.grantor, g.schema, g.grantee)
     FROM (SELECT gr.rolname AS grantor, dn.nspname AS schema, CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE ge.rolname END AS grantee,
                  array_agg(x.privilege_type ORDER BY array_position(ARRAY['UPDATE', 'DELETE', 'TRUNCATE'], x.privilege_type::text)) AS privileges
             FROM pg_default_acl d
             CROSS JOIN LATERAL aclexplode(d.defaclacl) x
             JOIN pg_roles gr ON gr.oid = d.defaclrole
             LEFT JOIN pg_roles ge ON ge.oid = x.grantee
             LEFT JOIN pg_namespace dn ON dn.oid = d.defaclnamespace
            WHERE d.defaclobjtype = 'r' AND (d.defaclnamespace = 0 OR d.defaclnamespace = ${schema})
              AND x.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE') AND x.grantee <> d.defaclrole
              AND (x.grantee = 0 OR pg_has_role(${role}, x.grantee, 'MEMBER'))
            GROUP BY 1, 2, 3) g), '[]'::json)`;

export async function readRole(s: Session, role: string, schemas: readonly string[], protectedSchemas: readonly string[] = []): Promise<RoleInfo | null> {
  const rows = await s.rows<{
    name: string;
    superuser: boolean;
    createrole: boolean;
    createdb: boolean;
    bypassrls: boolean;
    owns: string[];
    privileged: string[];
    create_on: string[];
    owner_roles: string[];
    default_writes: DefaultWrite[];
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
                   ORDER BY 1) AS create_on,
            array(SELECT DISTINCT m.rolname::text FROM pg_roles m
                    JOIN pg_class c ON c.relowner = m.oid AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
                    JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = ANY($2)
                   WHERE m.oid <> r.oid AND pg_has_role(r.oid, m.oid, 'MEMBER')
                   ORDER BY 1) AS owner_roles,
            coalesce((SELECT json_agg(w ORDER BY n.nspname) FROM pg_namespace n CROSS JOIN LATERAL json_array_elements(${DEFAULT_WRITES('r.oid', 'n.oid')}) w
                       WHERE n.nspname = ANY($4)), '[]'::json) AS default_writes
       FROM pg_roles r
      WHERE r.rolname = $1`,
    [role, schemas, PRIVILEGED_BUILTIN_ROLES, protectedSchemas],
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
    ownerRoles: r.owner_roles,
    // A global entry applies in every protected schema: reported once.
    defaultWrites: [...new Map(r.default_writes.map((w) => [JSON.stringify(w), w])).values()],
  };
}

const WRITES = (role: string, table: string): string =>
  `(has_any_column_privilege(${role}, ${table}, 'UPDATE') OR has_table_privilege(${role}, ${table}, 'DELETE') OR has_table_privilege(${role}, ${table}, 'TRUNCATE'))`;

/**
 * Every way the app role can change rows of each append-only table: its own privileges (granted to it,
 * to PUBLIC, on single columns, or inherited), roles it can SET ROLE to that may write (the table's
 * owner among them), and SECURITY DEFINER functions it may execute whose owner may write and whose
 * body names the table beside an UPDATE, DELETE or TRUNCATE.
 */
export async function readAppendOnly(s: Session, role: string, tables: readonly QualifiedName[]): Promise<TablePrivileges[]> {
  // Compared by oid: the text forms of has_table_privilege parse names and would fold "AuditEvent" to lower case.
  return s.rows<TablePrivileges>(
    `SELECT n.nspname AS schema, c.relname AS "table",
            has_any_column_privilege(r.oid, c.oid, 'UPDATE') AS update,
            has_table_privilege(r.oid, c.oid, 'DELETE') AS delete,
            has_table_privilege(r.oid, c.oid, 'TRUNCATE') AS truncate,
            coalesce((SELECT json_agg(json_build_object(
                        'role', m.rolname, 'owner', m.oid = c.relowner,
                        'privileges', array_remove(ARRAY[
                          CASE WHEN has_any_column_privilege(m.oid, c.oid, 'UPDATE') THEN 'UPDATE' END,
                          CASE WHEN has_table_privilege(m.oid, c.oid, 'DELETE') THEN 'DELETE' END,
                          CASE WHEN has_table_privilege(m.oid, c.oid, 'TRUNCATE') THEN 'TRUNCATE' END], NULL)) ORDER BY m.rolname)
                        FROM pg_roles m
                       WHERE m.oid <> r.oid AND pg_has_role(r.oid, m.oid, 'MEMBER') AND (m.oid = c.relowner OR ${WRITES('m.oid', 'c.oid')})), '[]'::json) AS "viaRoles",
            array(SELECT p.oid::regprocedure::text
                    FROM pg_proc p JOIN pg_namespace pn ON pn.oid = p.pronamespace
                   WHERE p.prosecdef AND pn.nspname NOT IN ('pg_catalog', 'information_schema')
                     AND has_function_privilege(r.oid, p.oid, 'EXECUTE') AND ${WRITES('p.proowner', 'c.oid')}
                     AND p.prosrc ~* '\\m(update|delete|truncate)\\M' AND strpos(lower(p.prosrc), lower(c.relname)) > 0
                   ORDER BY 1) AS definers,
            has_schema_privilege(r.oid, n.oid, 'CREATE') AS "schemaCreate",
            ${DEFAULT_WRITES('r.oid', 'n.oid')} AS "defaultWrites"
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN unnest($2::text[], $3::text[]) AS w(schema, name) ON n.nspname = w.schema AND c.relname = w.name
       JOIN pg_roles r ON r.rolname = $1
      WHERE c.relkind IN ('r', 'p')
      ORDER BY 1, 2`,
    [role, tables.map((t) => t.schema), tables.map((t) => t.name)],
  );
}
