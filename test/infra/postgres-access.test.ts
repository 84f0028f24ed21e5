import pg from 'pg';
import { beforeAll, describe, expect, test } from 'vitest';
import { diffAccess } from '../../infra/providers/postgres/drift.js';
import { RoleOwnsObjectsError } from '../../infra/providers/postgres/drop.js';
import { createAccess, deleteAccess, refreshAccess, updateAccess } from '../../infra/providers/postgres/ops.js';
import type { AccessArgs, AccessState } from '../../infra/providers/postgres/types.js';
import { usePostgres } from '../harness.js';
import { accessArgs } from '../helpers/access-args.js';

const server = usePostgres({ database: 'postgres' });

const ADMIN_PASSWORD = 'admin-password-0123456789abcdefghijkl';
const APP_PASSWORD = 'AppPassword0123456789abcdefghijklmnopq';
const VERIFIER_PASSWORD = 'VerifierPassword0123456789abcdefghijkl';
const PASSWORDS = { admin: ADMIN_PASSWORD, app: APP_PASSWORD, verifier: VERIFIER_PASSWORD };

/** Runs SQL as the server's superuser in the given database. */
async function superuser<T>(database: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const s = server();
  const c = new pg.Client({ host: s.host, port: s.port, user: s.user, password: s.password, database });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

/** Runs SQL as the database's admin (the RDS master user's shape: CREATEROLE, not a superuser, owns the database). */
function asAdmin<T>(database: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  return login(database, 'master', ADMIN_PASSWORD, work);
}

async function login<T>(database: string, user: string, password: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const s = server();
  const c = new pg.Client({ host: s.host, port: s.port, user, password, database });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

let n = 0;
/** A fresh database owned by the admin with the app's tables, as migrations run by the admin leave them. */
async function freshDatabase(tables: readonly string[]): Promise<string> {
  const database = `db${++n}`;
  await superuser('postgres', async (c) => {
    await c.query(`CREATE DATABASE ${database} OWNER master`);
  });
  await asAdmin(database, async (c) => {
    for (const t of tables) await c.query(`CREATE TABLE ${t} (id bigserial PRIMARY KEY, note text)`);
  });
  return database;
}

function args(database: string, over: Partial<AccessArgs> = {}): AccessArgs {
  return { ...accessArgs(server(), database, database, PASSWORDS, ['User', 'audit_events', 'messages']), ...over };
}

const can = (database: string, role: string, sql: string): Promise<boolean> =>
  login(database, role, role.startsWith('app') ? APP_PASSWORD : VERIFIER_PASSWORD, async (c) => {
    try {
      await c.query(sql);
      return true;
    } catch {
      return false;
    }
  });

beforeAll(async () => {
  await superuser('postgres', async (c) => {
    await c.query(`CREATE ROLE master LOGIN CREATEROLE CREATEDB PASSWORD '${ADMIN_PASSWORD}'`);
    // RDS gives its master user the monitoring roles with ADMIN OPTION, so it can hand them on.
    await c.query('GRANT pg_read_all_stats TO master WITH ADMIN OPTION');
  });
});

describe('createAccess', () => {
  test('creates a least-privilege app role and a read-only verifier, enables RLS and makes append-only tables append-only', async () => {
    const db = await freshDatabase(['"User"', 'audit_events', 'messages']);
    const a = args(db);
    const state = await createAccess(a);

    expect(state.drift).toEqual([]);
    expect(state.createdRoles).toEqual([a.appRole, a.verifierRole]);
    expect(state.app).toMatchObject({ exists: true, login: true, superuser: false, createRole: false, createDb: false, bypassRls: false, owns: [], createOn: [], privilegedMemberOf: [], passwordWorks: true });
    expect(state.verifier).toMatchObject({ exists: true, login: true, readAllStats: true, readOnlyDefault: true, passwordWorks: true });
    expect(state.tableStates).toEqual([
      { table: 'public.User', exists: true, rls: false, app: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'], verifierSelect: true },
      { table: 'public.audit_events', exists: true, rls: false, app: ['SELECT', 'INSERT'], verifierSelect: true },
      { table: 'public.messages', exists: true, rls: true, app: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'], verifierSelect: true },
    ]);

    // What the roles can really do, not only what the catalogue says.
    expect(await can(db, a.appRole, `INSERT INTO audit_events (note) VALUES ('x')`)).toBe(true);
    expect(await can(db, a.appRole, `UPDATE audit_events SET note = 'y'`)).toBe(false);
    expect(await can(db, a.appRole, 'DELETE FROM audit_events')).toBe(false);
    expect(await can(db, a.appRole, 'TRUNCATE "User"')).toBe(false);
    expect(await can(db, a.appRole, 'CREATE TABLE sneaky (id int)')).toBe(false);
    expect(await can(db, a.verifierRole, 'SELECT count(*) FROM audit_events')).toBe(true);
    expect(await can(db, a.verifierRole, `INSERT INTO "User" (note) VALUES ('x')`)).toBe(false);
  });

  test('tables the migrations create later are granted through default privileges; the missing ones are reported, not fatal', async () => {
    const db = await freshDatabase(['"User"']);
    const a = args(db);
    const state = await createAccess(a);
    expect(state.drift).toEqual([
      "table public.audit_events does not exist yet: its rules apply once the app's migrations create it and `pulumi up` runs again",
      "table public.messages does not exist yet: its rules apply once the app's migrations create it and `pulumi up` runs again",
    ]);
    expect(diffAccess(state, a).changes).toBe(true);

    await asAdmin(db, (c) => c.query('CREATE TABLE audit_events (id bigserial PRIMARY KEY, note text); CREATE TABLE messages (id bigserial PRIMARY KEY, note text); CREATE TABLE unlisted (id bigserial PRIMARY KEY)'));
    // Default privileges already let the app use a new, unlisted table (and its sequence)...
    expect(await can(db, a.appRole, 'INSERT INTO unlisted DEFAULT VALUES')).toBe(true);
    const refreshed = await refreshAccess(state);
    // ...but the append-only and RLS rules need the next update.
    expect(refreshed.drift).toEqual([`role "${a.appRole}" may UPDATE, DELETE on public.audit_events`, 'table public.messages has row level security off']);
    const updated = await updateAccess(refreshed, a);
    expect(updated.drift).toEqual([]);
    expect(diffAccess(updated, a).changes).toBe(false);
  });
});

describe('refreshAccess and diffAccess', () => {
  test('a manual change shows up as drift and an update; the update puts it back', async () => {
    const db = await freshDatabase(['"User"', 'audit_events', 'messages']);
    const a = args(db);
    const created = await createAccess(a);
    expect(diffAccess(created, a)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });

    await superuser(db, async (c) => {
      await c.query(`ALTER ROLE ${a.appRole} CREATEDB`);
      await c.query(`GRANT UPDATE (note) ON audit_events TO ${a.appRole}`);
      await c.query('ALTER TABLE messages DISABLE ROW LEVEL SECURITY');
      await c.query(`ALTER ROLE ${a.verifierRole} RESET default_transaction_read_only`);
      await c.query(`ALTER ROLE ${a.verifierRole} PASSWORD 'changed-by-hand'`);
    });
    // A role the admin created and so administers, which can create databases.
    await asAdmin(db, async (c) => {
      await c.query(`CREATE ROLE ops_${db} NOLOGIN CREATEDB`);
      await c.query(`GRANT ops_${db} TO ${a.appRole}`);
    });
    const refreshed = await refreshAccess(created);
    expect(refreshed.drift).toEqual([
      `role "${a.appRole}" has CREATEDB`,
      `role "${a.appRole}" belongs to privileged roles: ops_${db}`,
      `role "${a.verifierRole}" no longer logs in with its password`,
      `role "${a.verifierRole}" does not default to read-only transactions`,
      `role "${a.appRole}" may UPDATE on public.audit_events`,
      'table public.messages has row level security off',
    ]);
    expect(diffAccess(refreshed, a).changes).toBe(true);

    const fixed = await updateAccess(refreshed, a);
    expect(fixed.drift).toEqual([]);
    expect(await can(db, a.appRole, `UPDATE audit_events SET note = 'y'`)).toBe(false);
    expect(await can(db, a.verifierRole, 'SELECT 1')).toBe(true);
  });

  test('what the admin may not fix (a table the app owns, a superuser-granted membership) is reported, not fatal', async () => {
    const db = await freshDatabase(['"User"', 'audit_events', 'messages']);
    const a = args(db);
    const created = await createAccess(a);
    await superuser(db, async (c) => {
      await c.query(`ALTER TABLE audit_events OWNER TO ${a.appRole}`);
      await c.query(`GRANT pg_write_server_files TO ${a.appRole}`);
    });
    const updated = await updateAccess(await refreshAccess(created), a);
    expect(updated.drift).toEqual([
      `role "${a.appRole}" belongs to privileged roles: pg_write_server_files`,
      `role "${a.appRole}" owns public.audit_events, public.audit_events_id_seq (run migrations as the admin and REASSIGN OWNED BY "${a.appRole}" TO it)`,
      `role "${a.appRole}" may UPDATE, DELETE, TRUNCATE on public.audit_events`,
    ]);
    await expect(deleteAccess(updated)).rejects.toThrow(RoleOwnsObjectsError);
  });

  test('input changes: new passwords update in place, renamed roles or another database replace', async () => {
    const db = await freshDatabase(['"User"', 'audit_events', 'messages']);
    const a = args(db);
    const state = await createAccess(a);
    expect(diffAccess(state, { ...a, appPassword: `${APP_PASSWORD}x` })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect(diffAccess(state, { ...a, appendOnly: ['audit_events', 'messages'] })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect(diffAccess(state, { ...a, appRole: 'app2' })).toEqual({ changes: true, replaces: ['appRole'], deleteBeforeReplace: false });
    expect(diffAccess(state, { ...a, database: 'other' })).toEqual({ changes: true, replaces: ['database'], deleteBeforeReplace: false });

    const rotated = await updateAccess(state, { ...a, appPassword: `${APP_PASSWORD}x` });
    expect(rotated.app.passwordWorks).toBe(true);
    expect(await login(db, a.appRole, `${APP_PASSWORD}x`, async () => true)).toBe(true);
  });
});

describe('deleteAccess', () => {
  test('drops the roles it created and leaves a platform role it found (Supabase authenticated) in place, NOLOGIN', async () => {
    const db = await freshDatabase(['"User"', 'audit_events', 'messages']);
    await superuser('postgres', (c) => c.query(`CREATE ROLE authenticated_${db} NOLOGIN`));
    const a = args(db, { appRole: `authenticated_${db}`, appPassword: undefined });
    const state: AccessState = await createAccess(a);
    expect(state.createdRoles).toEqual([a.verifierRole]);
    expect(state.app).toMatchObject({ exists: true, login: false, passwordWorks: null });
    expect(state.drift).toEqual([]);

    await deleteAccess(state);
    const roles = await superuser(db, async (c) => (await c.query<{ rolname: string }>('SELECT rolname FROM pg_roles WHERE rolname = ANY($1) ORDER BY 1', [[a.appRole, a.verifierRole]])).rows.map((r) => r.rolname));
    expect(roles).toEqual([a.appRole]);
  });
});
