import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { accessBundle } from '../../infra/access-lambda/bundle.js';
import { usePostgres } from '../harness.js';

const run = promisify(execFile);
const server = usePostgres({ database: 'postgres' });
const ADMIN_PASSWORD = 'admin-password-0123456789abcdefghijkl';
const APP_PASSWORD = 'AppPassword0123456789abcdefghijklmnopq';
const VERIFIER_PASSWORD = 'VerifierPassword0123456789abcdefghijkl';

let dir: string;

async function sql<T extends pg.QueryResultRow>(database: string, text: string, user = server().user, password = server().password): Promise<T[]> {
  const c = new pg.Client({ host: server().host, port: server().port, user, password, database });
  await c.connect();
  try {
    return (await c.query<T>(text)).rows;
  } finally {
    await c.end();
  }
}

/**
 * Runs the bundle the program uploads, as the nodejs22.x runtime would: a plain `node` process that
 * requires index.js and calls handler(event), with nothing of this repository on its module path.
 */
async function invoke(event: Record<string, unknown>): Promise<Record<string, unknown>> {
  const script = "require('./index.js').handler(JSON.parse(process.env.EVENT)).then((r) => process.stdout.write(JSON.stringify(r)), (e) => { process.stderr.write(String(e && e.message)); process.exit(1); })";
  const { stdout } = await run(process.execPath, ['-e', script], { cwd: dir, env: { PATH: process.env.PATH ?? '', EVENT: JSON.stringify(event) } }).catch((e: unknown) => {
    throw Object.assign(new Error(`handler failed: ${(e as { stderr: string }).stderr}`), { stderr: (e as { stderr: string }).stderr });
  });
  return JSON.parse(stdout) as Record<string, unknown>;
}

const event = (action: string | undefined) => ({
  host: server().host,
  port: server().port,
  database: 'lambdadb',
  adminUser: 'master',
  adminPassword: ADMIN_PASSWORD,
  sslmode: 'disable',
  appRole: 'app_lambda',
  appPassword: APP_PASSWORD,
  verifierRole: 'verifier_lambda',
  verifierPassword: VERIFIER_PASSWORD,
  tables: ['messages', 'audit_events'],
  rls: ['messages'],
  appendOnly: ['audit_events'],
  claim: 'prodcheck:prodcheck/prod/chat-db',
  ...(action ? { tf: { action, prev_input: {} } } : {}),
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'prodcheck-access-lambda-'));
  const bundle = await accessBundle();
  await writeFile(join(dir, 'index.js'), bundle.code);
  await sql('postgres', `CREATE ROLE master LOGIN CREATEROLE PASSWORD '${ADMIN_PASSWORD}'`);
  // RDS gives its master user the monitoring roles with ADMIN OPTION, so it can hand them on.
  await sql('postgres', 'GRANT pg_read_all_stats TO master WITH ADMIN OPTION');
  await sql('postgres', 'CREATE DATABASE lambdadb OWNER master');
  await sql('lambdadb', 'CREATE TABLE messages (id bigserial PRIMARY KEY, body text); CREATE TABLE audit_events (id bigserial PRIMARY KEY, note text)', 'master', ADMIN_PASSWORD);
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the access Lambda bundle, run in a fresh node process against a real Postgres', () => {
  test('create applies the roles, grants, RLS and append-only rules; the app and verifier log in', async () => {
    const result = await invoke(event('create'));
    expect(result).toEqual({ action: 'create', createdRoles: ['app_lambda', 'verifier_lambda'], drift: [] });
    const rls = await sql<{ relrowsecurity: boolean }>('lambdadb', "SELECT relrowsecurity FROM pg_class WHERE relname = 'messages'");
    expect(rls).toEqual([{ relrowsecurity: true }]);
    const privileges = await sql<{ update: boolean; insert: boolean }>(
      'lambdadb',
      "SELECT has_table_privilege('app_lambda', 'audit_events', 'UPDATE') AS update, has_table_privilege('app_lambda', 'audit_events', 'INSERT') AS insert",
    );
    expect(privileges).toEqual([{ update: false, insert: true }]);
    expect(await sql('lambdadb', 'SELECT 1 AS one', 'app_lambda', APP_PASSWORD)).toEqual([{ one: 1 }]);
    expect(await sql('lambdadb', 'SELECT 1 AS one', 'verifier_lambda', VERIFIER_PASSWORD)).toEqual([{ one: 1 }]);
  });

  test('update (a changed input) applies again under the same claim, which still records that it created the roles', async () => {
    expect(await invoke(event('update'))).toEqual({ action: 'update', createdRoles: ['app_lambda', 'verifier_lambda'], drift: [] });
    expect(await sql('lambdadb', 'SELECT 1 AS one', 'app_lambda', APP_PASSWORD)).toEqual([{ one: 1 }]);
  });

  test('delete drops nothing: the roles stay for the replacement or the instance going with them', async () => {
    expect(await invoke(event('delete'))).toEqual({ action: 'delete', createdRoles: [], drift: [] });
    const roles = await sql<{ rolname: string }>('postgres', "SELECT rolname FROM pg_roles WHERE rolname IN ('app_lambda', 'verifier_lambda') ORDER BY 1");
    expect(roles.map((r) => r.rolname)).toEqual(['app_lambda', 'verifier_lambda']);
  });

  test('a wrong admin password fails the invocation with the endpoint and user, never the password', async () => {
    const error = await invoke({ ...event('create'), adminPassword: 'wrong-password-0123456789abcdefghijk' }).catch((e: unknown) => e as Error & { stderr: string });
    expect(error).toBeInstanceOf(Error);
    const stderr = (error as { stderr: string }).stderr;
    expect(stderr).toContain(`cannot connect to ${server().host}:${server().port}/lambdadb as "master"`);
    expect(stderr).not.toContain('wrong-password');
  });
});
