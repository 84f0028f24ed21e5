import pg from 'pg';
import { beforeAll, describe, expect, test } from 'vitest';
import { diffAccess } from '../../infra/providers/postgres/drift.js';
import { createAccess, deleteAccess, refreshAccess, updateAccess } from '../../infra/providers/postgres/ops.js';
import type { AccessArgs, AccessState } from '../../infra/providers/postgres/types.js';
import { usePostgres } from '../harness.js';
import { accessArgs } from '../helpers/access-args.js';

// The engine replaces a resource by creating the new one and then deleting the old one (the provider
// says deleteBeforeReplace: false). These tests drive the provider's operations in that order against a
// real server and check that the app's live roles survive.

const server = usePostgres({ database: 'postgres' });
const ADMIN_PASSWORD = 'admin-password-0123456789abcdefghijkl';
const APP_PASSWORD = 'AppPassword0123456789abcdefghijklmnopq';
const VERIFIER_PASSWORD = 'VerifierPassword0123456789abcdefghijkl';
const PASSWORDS = { admin: ADMIN_PASSWORD, app: APP_PASSWORD, verifier: VERIFIER_PASSWORD };

async function connect<T>(database: string, user: string, password: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const s = server();
  const c = new pg.Client({ host: s.host, port: s.port, user, password, database });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}
const superuser = <T>(database: string, work: (c: pg.Client) => Promise<T>): Promise<T> => connect(database, server().user, server().password, work);

let n = 0;
async function freshDatabase(): Promise<string> {
  const database = `rdb${++n}`;
  await superuser('postgres', (c) => c.query(`CREATE DATABASE ${database} OWNER master`));
  await connect(database, 'master', ADMIN_PASSWORD, (c) => c.query('CREATE TABLE audit_events (id bigserial PRIMARY KEY, note text); CREATE TABLE messages (id bigserial PRIMARY KEY, note text)'));
  return database;
}

function args(database: string, roles: string, over: Partial<AccessArgs> = {}): AccessArgs {
  return { ...accessArgs(server(), database, roles, PASSWORDS), ...over };
}

const roles = (names: readonly string[]): Promise<string[]> =>
  superuser('postgres', async (c) => (await c.query<{ rolname: string }>('SELECT rolname FROM pg_roles WHERE rolname = ANY($1) ORDER BY 1', [names])).rows.map((r) => r.rolname));
const appCanInsert = (database: string, role: string): Promise<boolean> =>
  connect(database, role, APP_PASSWORD, (c) => c.query(`INSERT INTO audit_events (note) VALUES ('x')`)).then(
    () => true,
    () => false,
  );

beforeAll(async () => {
  await superuser('postgres', async (c) => {
    await c.query(`CREATE ROLE master LOGIN CREATEROLE CREATEDB PASSWORD '${ADMIN_PASSWORD}'`);
    await c.query('GRANT pg_read_all_stats TO master WITH ADMIN OPTION');
  });
});

describe('connection details never replace', () => {
  test('a tunnel on another local port, another host name, TLS or admin password are updates in place', async () => {
    const db = await freshDatabase();
    const a = args(db, 'conn');
    const state = await createAccess(a);
    for (const change of [{ port: a.port + 1 }, { host: 'db.internal' }, { sslmode: 'require' as const }, { adminPassword: `${ADMIN_PASSWORD}x` }, { adminUser: 'root' }]) {
      expect(diffAccess(state, { ...a, ...change })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    }
  });
});

describe('replacement: create the new resource, then delete the old one', () => {
  test('the same roles for another database: the old delete leaves the live roles and only takes its own grants', async () => {
    const [db1, db2] = [await freshDatabase(), await freshDatabase()];
    const old = await createAccess(args(db1, 'moved'));
    const news = args(db2, 'moved');
    expect(diffAccess(old, news).replaces).toEqual(['database']);

    const replacement = await createAccess(news);
    expect(replacement.createdRoles).toEqual([news.appRole, news.verifierRole]);
    await deleteAccess(old);

    expect(await roles([news.appRole, news.verifierRole])).toEqual([news.appRole, news.verifierRole]);
    expect(await appCanInsert(db2, news.appRole)).toBe(true);
    expect(await appCanInsert(db1, news.appRole)).toBe(false);
    expect((await refreshAccess(replacement)).drift).toEqual([]);

    // The last resource that manages them drops them.
    await deleteAccess(replacement);
    expect(await roles([news.appRole, news.verifierRole])).toEqual([]);
  });

  test('renamed roles: the new roles exist and the old ones are dropped', async () => {
    const db = await freshDatabase();
    const old = await createAccess(args(db, 'before'));
    const news = args(db, 'after');
    expect(diffAccess(old, news).replaces).toEqual(['appRole', 'verifierRole']);
    const replacement = await createAccess(news);
    await deleteAccess(old);
    expect(await roles(['app_before', 'verifier_before', 'app_after', 'verifier_after'])).toEqual(['app_after', 'verifier_after']);
    expect(await appCanInsert(db, 'app_after')).toBe(true);
    await deleteAccess(replacement);
  });

  test('a state written before claims existed (no claim, roles recorded as created) does not drop roles its replacement manages', async () => {
    const [db1, db2] = [await freshDatabase(), await freshDatabase()];
    const created = await createAccess(args(db1, 'legacy'));
    // What such a state looks like, and a database without our record on the roles.
    const legacy: AccessState = { ...created, claim: undefined };
    await superuser('postgres', async (c) => {
      await c.query('COMMENT ON ROLE app_legacy IS NULL');
      await c.query('COMMENT ON ROLE verifier_legacy IS NULL');
    });
    const replacement = await createAccess(args(db2, 'legacy'));
    expect(replacement.createdRoles).toEqual([]);
    await deleteAccess(legacy);
    expect(await roles(['app_legacy', 'verifier_legacy'])).toEqual(['app_legacy', 'verifier_legacy']);
    expect(await appCanInsert(db2, 'app_legacy')).toBe(true);
    // The old state recorded the creation and handed it on: tearing down the replacement drops them.
    await deleteAccess(await updateAccess(replacement, args(db2, 'legacy')));
    expect(await roles(['app_legacy', 'verifier_legacy'])).toEqual([]);
  });

  test("two stacks managing the same roles in one database: one stack's delete leaves the other's roles and grants", async () => {
    const db = await freshDatabase();
    const first = await createAccess(args(db, 'shared'));
    const second = await createAccess(args(db, 'shared'));
    await deleteAccess(first);
    expect(await appCanInsert(db, 'app_shared')).toBe(true);
    expect((await refreshAccess(second)).drift).toEqual([]);
    await deleteAccess(second);
    expect(await roles(['app_shared', 'verifier_shared'])).toEqual([]);
  });

  test("the role's own comment (a platform's text) is kept beside our record", async () => {
    const db = await freshDatabase();
    const a = args(db, 'commented');
    await connect('postgres', 'master', ADMIN_PASSWORD, (c) => c.query(`CREATE ROLE app_commented LOGIN; COMMENT ON ROLE app_commented IS 'owned by the platform'`));
    const state = await createAccess(a);
    expect(state.createdRoles).toEqual([a.verifierRole]);
    const comment = async (): Promise<string | null> =>
      superuser('postgres', async (c) => (await c.query<{ d: string | null }>(`SELECT shobj_description(oid, 'pg_authid') AS d FROM pg_roles WHERE rolname = 'app_commented'`)).rows[0]?.d ?? null);
    expect(await comment()).toBe(`owned by the platform\nprodcheck-pulumi:{"created":false,"claims":{"${state.claim}":"${db}"}}`);
    await deleteAccess(state);
    expect(await roles(['app_commented', 'verifier_commented'])).toEqual(['app_commented']);
    expect(await comment()).toBe('owned by the platform');
  });
});
