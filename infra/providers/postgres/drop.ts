import type { Client } from 'pg';
import { releaseClaim } from './claims.js';
import type { AccessState } from './types.js';
import { claimOf, managedSchemas } from './types.js';

/** Raised instead of dropping a role that owns objects: dropping them would drop the app's data. */
export class RoleOwnsObjectsError extends Error {
  override readonly name = 'RoleOwnsObjectsError';
  constructor(
    readonly role: string,
    readonly owns: readonly string[],
  ) {
    super(`role "${role}" owns ${owns.join(', ')}: reassign them (REASSIGN OWNED BY "${role}" TO <owner>) before the role can be dropped`);
  }
}

/**
 * Takes the resource's claim off its roles, then removes the grants of and drops the roles that no other
 * live resource claims and that prodcheck created; a role still claimed for another database only loses
 * its grants in this one. Roles it found existing (a platform's role) keep their grants, and RLS and the
 * append-only revokes stay: undoing them would weaken a database still in use.
 */
export async function dropAccess(client: Client, state: AccessState): Promise<void> {
  const id = (s: string): string => client.escapeIdentifier(s);
  await client.query('BEGIN');
  try {
    const roles: string[] = [];
    const revokeOnly: string[] = [];
    for (const role of [state.appRole, state.verifierRole]) {
      const release = await releaseClaim(client, role, claimOf(state), state.database, state.createdRoles.includes(role));
      if (release === 'drop') roles.push(role);
      if (release === 'revoke') revokeOnly.push(role);
    }
    const owners = await client.query<{ role: string; owns: string[] }>(
      `SELECT r.rolname AS role, array(SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relowner = r.oid ORDER BY 1) AS owns
         FROM pg_roles r WHERE r.rolname = ANY($1)`,
      [roles],
    );
    for (const o of owners.rows) if (o.owns.length > 0) throw new RoleOwnsObjectsError(o.role, o.owns);
    const present = owners.rows.map((o) => o.role);
    if (present.length + revokeOnly.length > 0) {
      const list = [...present, ...revokeOnly].map(id).join(', ');
      const schemas = await client.query<{ name: string }>('SELECT nspname AS name FROM pg_namespace WHERE nspname = ANY($1)', [managedSchemas(state)]);
      for (const { name } of schemas.rows) {
        await client.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${id(name)} REVOKE ALL ON TABLES FROM ${list}`);
        await client.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${id(name)} REVOKE ALL ON SEQUENCES FROM ${list}`);
        // Tables the default privileges granted are the admin's, so it may revoke them all.
        await client.query(`REVOKE ALL ON ALL TABLES IN SCHEMA ${id(name)} FROM ${list}`);
        await client.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${id(name)} FROM ${list}`);
        await client.query(`REVOKE ALL ON SCHEMA ${id(name)} FROM ${list}`);
      }
      for (const role of present) await client.query(`DROP ROLE ${id(role)}`);
    }
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}
