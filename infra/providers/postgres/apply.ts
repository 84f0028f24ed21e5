import type { Client } from 'pg';
import { addClaim } from './claims.js';
import { scramVerifier } from './connect.js';
import { readTableOids } from './read.js';
import type { AccessArgs } from './types.js';
import { managedSchemas, managedTables, parseTable, PRIVILEGED_BUILTIN_ROLES, TABLE_PRIVILEGES, tableKey, wantedAppPrivileges } from './types.js';

interface Sql {
  readonly id: (name: string) => string;
  readonly table: (name: string) => string;
  readonly run: (sql: string, values?: unknown[]) => Promise<void>;
}

function sql(client: Client): Sql {
  const id = (name: string): string => client.escapeIdentifier(name);
  return {
    id,
    table: (name) => {
      const q = parseTable(name);
      return `${id(q.schema)}.${id(q.name)}`;
    },
    run: async (text, values) => {
      await client.query(text, values);
    },
  };
}

interface RoleWish {
  readonly name: string;
  readonly password?: string | undefined;
}

/**
 * Creates the role, or brings an existing one to the least-privilege attributes. Existing attributes are
 * only altered where they differ, so a platform role that already complies (Supabase's `authenticated`)
 * is left alone. Returns whether the role was created.
 */
async function ensureRole(client: Client, s: Sql, role: RoleWish): Promise<boolean> {
  const found = await client.query<{ login: boolean; superuser: boolean; createrole: boolean; createdb: boolean; bypassrls: boolean; replication: boolean }>(
    `SELECT rolcanlogin AS login, rolsuper AS superuser, rolcreaterole AS createrole, rolcreatedb AS createdb, rolbypassrls AS bypassrls, rolreplication AS replication
       FROM pg_roles WHERE rolname = $1`,
    [role.name],
  );
  const login = role.password !== undefined;
  // The SCRAM verifier, not the password: a logged statement must not carry it.
  const password = role.password !== undefined ? ` PASSWORD ${client.escapeLiteral(await scramVerifier(role.password))}` : '';
  const current = found.rows[0];
  if (current === undefined) {
    await s.run(`CREATE ROLE ${s.id(role.name)} WITH ${login ? 'LOGIN' : 'NOLOGIN'} NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION${password}`);
    return true;
  }
  const wanted: [boolean, boolean, string][] = [
    [current.login, login, login ? 'LOGIN' : 'NOLOGIN'],
    [current.superuser, false, 'NOSUPERUSER'],
    [current.createdb, false, 'NOCREATEDB'],
    [current.createrole, false, 'NOCREATEROLE'],
    [current.bypassrls, false, 'NOBYPASSRLS'],
    [current.replication, false, 'NOREPLICATION'],
  ];
  const changes = wanted.filter(([have, want]) => have !== want).map(([, , attribute]) => attribute);
  if (changes.length > 0 || password) await s.run(`ALTER ROLE ${s.id(role.name)} WITH ${changes.join(' ')}${password}`);
  return false;
}

/**
 * Drops the role's direct memberships in roles that are (or lead to) privileged ones, where the admin
 * may (it holds ADMIN OPTION on them); read() reports the rest.
 */
async function revokePrivilegedMemberships(client: Client, s: Sql, role: string, keep: readonly string[]): Promise<void> {
  const rows = await client.query<{ granted: string }>(
    `SELECT g.rolname AS granted
       FROM pg_auth_members m
       JOIN pg_roles g ON g.oid = m.roleid
       JOIN pg_roles r ON r.oid = m.member
      WHERE r.rolname = $1 AND NOT (g.rolname = ANY($3))
        AND pg_has_role(current_user, g.oid, 'MEMBER WITH ADMIN OPTION')
        AND EXISTS (SELECT 1 FROM pg_roles p
                     WHERE pg_has_role(g.oid, p.oid, 'MEMBER')
                       AND (p.rolsuper OR p.rolcreaterole OR p.rolcreatedb OR p.rolbypassrls OR p.rolname = ANY($2)))`,
    [role, PRIVILEGED_BUILTIN_ROLES, keep],
  );
  for (const { granted } of rows.rows) await s.run(`REVOKE ${s.id(granted)} FROM ${s.id(role)}`);
}

/**
 * Applies the access rules in one transaction, records `claim` on both roles, and returns the roles
 * prodcheck created (now, or earlier: `createdBefore`, or another resource's record). Tables that do not exist
 * yet (the app's migrations create them) are skipped; read() reports them and the resource stays
 * unconverged until a later `pulumi up` finds them. Default privileges give both roles the tables the
 * admin creates from now on, so migrations run after this need no further grants.
 */
export async function applyAccess(client: Client, args: AccessArgs, claim: string, createdBefore: readonly string[]): Promise<string[]> {
  const s = sql(client);
  const created: string[] = [];
  const app = s.id(args.appRole);
  const verifier = s.id(args.verifierRole);
  await s.run('BEGIN');
  try {
    for (const role of [{ name: args.appRole, password: args.appPassword }, { name: args.verifierRole, password: args.verifierPassword }]) {
      const createdNow = await ensureRole(client, s, role);
      if (await addClaim(client, role.name, claim, args.database, createdNow || createdBefore.includes(role.name))) created.push(role.name);
    }
    await revokePrivilegedMemberships(client, s, args.appRole, []);
    await revokePrivilegedMemberships(client, s, args.verifierRole, ['pg_read_all_stats']);
    await s.run(`GRANT pg_read_all_stats TO ${verifier}`);
    await s.run(`ALTER ROLE ${verifier} SET default_transaction_read_only = on`);

    const schemas = await client.query<{ name: string; owned: boolean }>(
      `SELECT nspname AS name, pg_has_role(current_user, nspowner, 'USAGE') AS owned FROM pg_namespace WHERE nspname = ANY($1)`,
      [managedSchemas(args)],
    );
    for (const schema of schemas.rows) {
      const n = s.id(schema.name);
      await s.run(`GRANT USAGE ON SCHEMA ${n} TO ${app}, ${verifier}`);
      await s.run(`REVOKE CREATE ON SCHEMA ${n} FROM ${app}, ${verifier}`);
      // Before PG 15 every role may create in public. Only the owner may take that away without locking
      // itself out (it keeps CREATE as owner); elsewhere read() reports the app's CREATE as drift.
      if (schema.owned) await s.run(`REVOKE CREATE ON SCHEMA ${n} FROM PUBLIC`);
      await s.run(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${n} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${app}`);
      await s.run(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${n} GRANT USAGE, SELECT ON SEQUENCES TO ${app}`);
      await s.run(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${n} GRANT SELECT ON TABLES TO ${verifier}`);
    }

    // A table the admin does not own (a role other than the admin ran the migration, or the app role owns
    // it) cannot be granted or altered by it; read() reports the owner, and the rules wait for a fix.
    const existing = await readTableOids(client, managedTables(args), { ownedByCurrentUser: true });
    const rls = new Set(args.rls.map(tableKey));
    for (const table of managedTables(args)) {
      if (!existing.has(table)) continue;
      const t = s.table(table);
      const want = wantedAppPrivileges(args, table);
      const unwanted = TABLE_PRIVILEGES.filter((p) => !want.includes(p));
      await s.run(`GRANT ${want.join(', ')} ON ${t} TO ${app}`);
      // The app reaches a table through PUBLIC too; PUBLIC loses what the app must not have only on the
      // append-only tables, where it is the point.
      await s.run(`REVOKE ${unwanted.join(', ')}, REFERENCES, TRIGGER ON ${t} FROM ${app}${want.includes('UPDATE') ? '' : ', PUBLIC'}`);
      await s.run(`GRANT SELECT ON ${t} TO ${verifier}`);
      if (rls.has(table)) await s.run(`ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY`);
      const sequences = await client.query<{ seq: string }>(
        `SELECT quote_ident(sn.nspname) || '.' || quote_ident(sc.relname) AS seq
           FROM pg_depend d
           JOIN pg_class sc ON sc.oid = d.objid AND sc.relkind = 'S'
           JOIN pg_namespace sn ON sn.oid = sc.relnamespace
          WHERE d.refobjid = $1::oid AND d.deptype IN ('a', 'i')`,
        [existing.get(table)],
      );
      for (const { seq } of sequences.rows) await s.run(`GRANT USAGE, SELECT ON SEQUENCE ${seq} TO ${app}`);
    }
    await s.run('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
  return created;
}
