/** Roles and privileges: what pg.grants.* and pg.rls judge. */
import type { QualifiedName } from '../../spec/index.js';
import type { Session } from './session.js';
import type { RoleInfo, TablePrivileges } from './snapshot.js';

const PRIVILEGED_BUILTIN_ROLES = ['pg_read_server_files', 'pg_write_server_files', 'pg_execute_server_program'];

export async function readRole(s: Session, role: string, schemas: readonly string[]): Promise<RoleInfo | null> {
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

export async function readAppendOnly(s: Session, role: string, tables: readonly QualifiedName[]): Promise<TablePrivileges[]> {
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
