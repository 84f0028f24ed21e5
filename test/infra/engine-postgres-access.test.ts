import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { usePostgres } from '../harness.js';
import { PROVIDER_KEY, serializeProviders, useDynamicProviders, type Props } from '../helpers/engine/dynamic-provider.js';
import { accessArgs } from '../helpers/access-args.js';

// The Postgres access provider as the engine runs it: serialized into `__provider` by the program's
// process, then loaded by a fresh plain-Node `@pulumi/pulumi/cmd/dynamic-provider` and driven over gRPC
// in the engine's order of calls (Check, Create, Read, Check+Diff+Update, replacement as create-new then
// delete-old, Delete from another provider process as a later `pulumi destroy` would).

const root = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');
const server = usePostgres({ database: 'postgres' });
const ADMIN_PASSWORD = 'engine-admin-password-0123456789abcdef';
const APP_PASSWORD = 'EngineAppPassword0123456789abcdefghijk';
const VERIFIER_PASSWORD = 'EngineVerifierPassword0123456789abcdef';

let serialized = '';
const provider = useDynamicProviders(root, afterAll);

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
const roles = (names: readonly string[]): Promise<string[]> =>
  superuser('postgres', async (c) => (await c.query<{ rolname: string }>('SELECT rolname FROM pg_roles WHERE rolname = ANY($1) ORDER BY 1', [names])).rows.map((r) => r.rolname));
async function appCanInsert(database: string, role: string): Promise<boolean> {
  const s = server();
  const c = new pg.Client({ host: s.host, port: s.port, user: role, password: APP_PASSWORD, database });
  try {
    await c.connect();
    await c.query(`INSERT INTO audit_events (note) VALUES ('engine')`);
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

let n = 0;
async function freshDatabase(): Promise<string> {
  const database = `edb${++n}`;
  await superuser('postgres', (c) => c.query(`CREATE DATABASE ${database} OWNER master`));
  const s = server();
  const c = new pg.Client({ host: s.host, port: s.port, user: 'master', password: ADMIN_PASSWORD, database });
  await c.connect();
  await c.query('CREATE TABLE audit_events (id bigserial PRIMARY KEY, note text); CREATE TABLE messages (id bigserial PRIMARY KEY, note text)');
  await c.end();
  return database;
}

/** The inputs the engine sends: the program's args (secrets unwrapped: the provider does not accept secrets) and `__provider`. */
function inputs(database: string, roleSuffix: string, over: Props = {}): Props {
  return { ...accessArgs(server(), database, roleSuffix, { admin: ADMIN_PASSWORD, app: APP_PASSWORD, verifier: VERIFIER_PASSWORD }), ...over, [PROVIDER_KEY]: serialized };
}

beforeAll(async () => {
  serialized = (await serializeProviders(root))['postgres:Access']?.text ?? '';
  await superuser('postgres', async (c) => {
    await c.query(`CREATE ROLE master LOGIN CREATEROLE CREATEDB PASSWORD '${ADMIN_PASSWORD}'`);
    await c.query('GRANT pg_read_all_stats TO master WITH ADMIN OPTION');
  });
}, 120_000);
describe('the Postgres access provider in a fresh cmd/dynamic-provider process', () => {
  test('serialized without the pg module or any secret in its closure', () => {
    expect(serialized).toContain('import("pg")');
    expect(serialized).not.toContain(ADMIN_PASSWORD);
    // A later `pulumi destroy` may run on another machine (a laptop after CI): no path of this one.
    expect(serialized).not.toContain(root);
  });

  test('check, create, read, a tunnel on another port as an update in place, and delete', async () => {
    const db = await freshDatabase();
    const p = await provider();
    const news = inputs(db, 'life');
    const checked = await p.check({}, news);
    expect(checked.failures).toEqual([]);
    expect(checked.inputs[PROVIDER_KEY]).toBe(serialized);

    const created = await p.create(checked.inputs);
    expect(created.id).toBe(`${server().host}:${server().port}/${db}/app_life+verifier_life`);
    expect(created.props).toMatchObject({ drift: [], createdRoles: ['app_life', 'verifier_life'], [PROVIDER_KEY]: serialized });
    expect(await appCanInsert(db, 'app_life')).toBe(true);

    const read = await p.read(created.id, created.props, checked.inputs);
    expect(read.id).toBe(created.id);
    expect(read.props).toMatchObject({ drift: [], [PROVIDER_KEY]: serialized });

    // The same database through a tunnel whose local port changed: never a replacement.
    const moved = (await p.check(checked.inputs, inputs(db, 'life', { port: server().port + 1 }))).inputs;
    expect(await p.diff(created.id, read.props, moved)).toEqual({ changes: 'some', replaces: [], deleteBeforeReplace: false });
    const updated = await p.update(created.id, read.props, { ...moved, port: server().port });
    expect(updated).toMatchObject({ drift: [], claim: created.props.claim, createdRoles: ['app_life', 'verifier_life'] });

    // A later `pulumi destroy` runs another provider process with the state's own `__provider`.
    const later = await provider();
    await later.delete(created.id, updated);
    expect(await roles(['app_life', 'verifier_life'])).toEqual([]);
    expect(p.stderr() + later.stderr()).toBe('');
  });

  test('a check failure comes back over gRPC with the property and reason', async () => {
    const p = await provider();
    const checked = await p.check({}, inputs('x', 'bad', { verifierRole: 'app_bad', appPassword: 'short' }));
    expect(checked.failures).toEqual([
      { property: 'verifierRole', reason: 'must differ from appRole: the verifier is read-only' },
      { property: 'appPassword', reason: 'must be at least 32 characters' },
    ]);
  });

  test('replacement in the engine order (create the new one, then delete the old one) keeps the live roles', async () => {
    const [db1, db2] = [await freshDatabase(), await freshDatabase()];
    const p = await provider();
    const old = await p.create((await p.check({}, inputs(db1, 'moved'))).inputs);
    const news = (await p.check(inputs(db1, 'moved'), inputs(db2, 'moved'))).inputs;
    expect(await p.diff(old.id, old.props, news)).toEqual({ changes: 'some', replaces: ['database'], deleteBeforeReplace: false });
    const replacement = await p.create(news);
    await p.delete(old.id, old.props);
    expect(await roles(['app_moved', 'verifier_moved'])).toEqual(['app_moved', 'verifier_moved']);
    expect(await appCanInsert(db2, 'app_moved')).toBe(true);
    expect((await p.read(replacement.id, replacement.props)).props).toMatchObject({ drift: [] });
    await p.delete(replacement.id, replacement.props);
    expect(await roles(['app_moved', 'verifier_moved'])).toEqual([]);
  });
});
