import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Redactor } from '../../../report/redact.js';
import type { Report } from '../../../report/types.js';
import { startPostgres, type PostgresInstance } from '../../../sandbox/services/postgres.js';
import type { StackSpec, Targets } from '../../../spec/index.js';
import { stackSpecSchema, targetsSchema } from '../../../spec/index.js';
import { neonFamily } from '../../../verify/neon/index.js';
import { awsFamily } from '../../../verify/aws/index.js';
import { runVerify } from '../../../verify/runner.js';
import type { FakeNeonBranch, FakeNeonEndpoint, NeonApiServer } from '../../fixtures/neon-api/index.js';
import { startNeonApi } from '../../fixtures/neon-api/index.js';
import { startHostileApi, type HostileApi } from '../../helpers/hostile-api.js';

const specOf = (postgres: Record<string, unknown> = {}, neon?: Record<string, unknown>): StackSpec =>
  stackSpecSchema.parse({
    app: { name: 'chat', domain: 'chat.example.com', canonicalHost: 'none' },
    postgres: { provider: 'neon', database: 'chat', tables: ['User'], network: { allowedCidrs: ['203.0.113.32/28'] }, pooling: { enabled: true, kind: 'neon' }, ...postgres },
    redis: { provider: 'elasticache' },
    ...(neon ? { neon } : {}),
  });

let api: NeonApiServer;
let main: FakeNeonBranch;
let compute: FakeNeonEndpoint;

beforeAll(async () => {
  api = await startNeonApi({ projectId: 'spring-example-302709' });
});
afterAll(() => api.stop());

beforeEach(() => {
  api.allow();
  api.operationPolls = 0;
  api.state.exists = true;
  api.state.branches = [];
  api.state.endpoints = [];
  api.state.project = { name: 'chat', historyRetentionSeconds: 30 * 86_400, allowedIps: ['203.0.113.40', '203.0.113.32/29'], protectedBranchesOnly: false, blockPublicConnections: false, defaultSuspendSeconds: 0 };
  main = api.addBranch('main', { isDefault: true, protected: true });
  compute = api.addEndpoint(main);
  compute.suspendSeconds = 300;
  api.addEndpoint(api.addBranch('preview/feature-x'));
});

const targets = (over: Record<string, unknown> = {}): Targets =>
  targetsSchema.parse({ neon: { projectId: api.projectId, apiKey: api.apiKey, baseUrl: api.url, timeoutMs: 2_000, databaseUrl: `postgresql://app:s3cret-pw@${api.pooledHostOf(compute)}/chat?sslmode=require`, ...over } });
const verify = (t = targets(), spec = specOf(), active = false): Promise<Report> =>
  runVerify({ stack: 'test', spec, targets: t, families: [neonFamily as never], redactor: new Redactor(), select: () => true, active });
const messages = (r: Report, control: string) => r.results.filter((x) => x.control === control).map((x) => [x.status, x.message]);

describe('the neon family applies to Neon stacks only', () => {
  it('says what is missing; the aws family does not answer for a Neon stack without an aws target', async () => {
    const r = await runVerify({ stack: 't', spec: specOf(), targets: targetsSchema.parse({}), families: [neonFamily, awsFamily] as never, redactor: new Redactor(), select: (id) => id === 'pg.backups.enabled', active: false });
    expect(r.results.map((x) => [x.status, x.message])).toEqual([['skip', 'No neon entry in the targets file (projectId, apiKey).']]);
    const rds = await runVerify({ stack: 't', spec: specOf({ provider: 'rds' }), targets: targets(), families: [neonFamily as never], redactor: new Redactor(), select: () => true, active: false });
    expect(new Set(rds.results.map((x) => x.message))).toEqual(new Set(["The stack's Postgres provider is rds, not neon."]));
  });
});

describe('pg.instance', () => {
  it('passes a ready, protected production branch with a read-write compute, saying how it autosuspends', async () => {
    expect(messages(await verify(), 'pg.instance')).toEqual([
      ['pass', `Neon branch main (${main.id}) is ready; its read-write compute ${compute.id} is idle and autosuspends after 300 s idle (the first query after that waits for a cold start).`],
      ['pass', 'Neon branch main is protected (it cannot be deleted or reset).'],
    ]);
  });

  it('fails an unprotected branch, a disabled compute, a missing branch and a missing project', async () => {
    main.protected = false;
    compute.disabled = true;
    expect(messages(await verify(), 'pg.instance')).toEqual([
      ['fail', `The read-write compute ${compute.id} of Neon branch main must be enabled (found it disabled: connections are refused).`],
      ['fail', 'Neon branch main must be protected (found it unprotected: anyone with the API key or console can delete or reset production).'],
    ]);
    expect(messages(await verify(targets({ branch: 'production' })), 'pg.instance')).toEqual([['fail', 'Neon project spring-example-302709 must have the production branch "production" (found none among 2 branches).']]);
    api.state.exists = false;
    expect(messages(await verify(), 'pg.instance')).toEqual([['fail', 'Neon has no project spring-example-302709 (or the API key cannot see it).']]);
  });

  it('a branch named by id is found; unprotected passes when the stack does not ask for deletion protection', async () => {
    main.protected = false;
    const r = await verify(targets({ branch: main.id }), specOf({ deletionProtection: false }));
    expect(messages(r, 'pg.instance').map(([s]) => s)).toEqual(['pass']);
  });
});

describe('pg.backups.enabled and pg.backups.retention', () => {
  it('passes 30 days of history', async () => {
    const r = await verify();
    expect(messages(r, 'pg.backups.enabled')).toEqual([['pass', 'Neon project spring-example-302709 keeps 30 days of history: production can be restored to any point in it.']]);
    expect(messages(r, 'pg.backups.retention')).toEqual([['pass', 'Neon project spring-example-302709 keeps 30 days of history (at least 30 days).']]);
  });

  it('fails no history, too short a history, and a retention Neon cannot keep', async () => {
    api.state.project.historyRetentionSeconds = 0;
    let r = await verify();
    expect(messages(r, 'pg.backups.enabled')).toEqual([['fail', 'Neon project spring-example-302709 must keep history for point-in-time restore (found history retention 0: no earlier state can be restored).']]);
    expect(messages(r, 'pg.backups.retention')).toEqual([['skip', 'Neon project spring-example-302709 keeps no history at all (pg.backups.enabled fails it): there is no window to measure.']]);
    api.state.project.historyRetentionSeconds = 86_400;
    r = await verify();
    expect(messages(r, 'pg.backups.retention')).toEqual([['fail', 'Neon project spring-example-302709 must keep at least 30 days of history (found 1 day).']]);
    api.state.project.historyRetentionSeconds = 30 * 86_400;
    r = await verify(targets(), specOf({ backups: { retentionDays: 35 } }));
    expect(messages(r, 'pg.backups.retention')).toEqual([
      ['fail', 'Neon keeps at most 30 days of history, so project spring-example-302709 cannot meet postgres.backups.retentionDays 35 (found 30 days): lower it, or keep longer backups outside Neon.'],
    ]);
  });
});

describe('pg.backups.recent and pg.encryption-at-rest', () => {
  it('are said to have nothing to judge on Neon, rather than skipped for want of an AWS entry', async () => {
    const r = await runVerify({ stack: 't', spec: specOf(), targets: targets(), families: [neonFamily, awsFamily] as never, redactor: new Redactor(), select: (id) => id === 'pg.backups.recent' || id === 'pg.encryption-at-rest', active: false });
    expect(r.results.map((x) => [x.control, x.status, x.message])).toEqual([
      ['pg.backups.recent', 'skip', 'Neon project spring-example-302709 keeps its history continuously (no discrete backups to date): pg.backups.enabled and pg.backups.retention judge its window.'],
      ['pg.encryption-at-rest', 'skip', 'Neon encrypts the storage of every project (spring-example-302709 included) at rest and offers no setting for it: there is nothing to read from its API.'],
    ]);
  });
});

describe('pg.network-access', () => {
  it('passes an IP Allow list inside the spec ranges, and blocked public connections', async () => {
    expect(messages(await verify(), 'pg.network-access')).toEqual([['pass', 'Neon project spring-example-302709 admits connections only from 203.0.113.40, 203.0.113.32/29 (IP Allow).']]);
    api.state.project.allowedIps = undefined;
    api.state.project.blockPublicConnections = true;
    expect(messages(await verify(), 'pg.network-access')).toEqual([['pass', 'Neon project spring-example-302709 refuses every connection from the public internet (block_public_connections).']]);
  });

  it('fails no list, a world-open entry, an address outside the spec, and a list that skips an unprotected production branch', async () => {
    api.state.project.allowedIps = [];
    expect(messages(await verify(), 'pg.network-access')).toEqual([['fail', 'Neon project spring-example-302709 must restrict connections with IP Allow (found no allow list: every address on the internet can connect).']]);
    api.state.project.allowedIps = ['203.0.113.40', '0.0.0.0/0'];
    expect(messages(await verify(), 'pg.network-access')).toEqual([['fail', 'Neon project spring-example-302709 must not allow every address (found 0.0.0.0/0 in IP Allow).']]);
    api.state.project.allowedIps = ['203.0.113.40', '198.51.100.0/24', '203.0.113.30-203.0.113.40'];
    expect(messages(await verify(), 'pg.network-access')).toEqual([
      ['fail', 'Neon project spring-example-302709 must allow only postgres.network.allowedCidrs (found 198.51.100.0/24, 203.0.113.30-203.0.113.40 in IP Allow, outside 203.0.113.32/28).'],
    ]);
    api.state.project.allowedIps = ['203.0.113.40'];
    api.state.project.protectedBranchesOnly = true;
    main.protected = false;
    expect(messages(await verify(), 'pg.network-access')).toEqual([
      ['fail', 'Neon project spring-example-302709 applies IP Allow to protected branches only, and production branch main is not protected: every address can connect to it.'],
    ]);
  });
});

describe('pg.connection-pooling', () => {
  it("passes when the app's DATABASE_URL is the production compute's -pooler host", async () => {
    expect(messages(await verify(), 'pg.connection-pooling')).toEqual([['pass', `The app's DATABASE_URL goes through the pooled endpoint ${api.pooledHostOf(compute)} of production branch main.`]]);
  });

  it('fails the direct host and a host that is not the production compute; skips without a URL', async () => {
    const direct = await verify(targets({ databaseUrl: `postgresql://app:s3cret-pw@${api.hostOf(compute)}/chat` }));
    expect(messages(direct, 'pg.connection-pooling')).toEqual([
      ['fail', `The app's DATABASE_URL must use the pooled endpoint ${api.pooledHostOf(compute)} (found the direct compute host ${api.hostOf(compute)}: every serverless invocation opens its own Postgres connection).`],
    ]);
    expect(JSON.stringify(direct)).not.toContain('s3cret-pw');
    const elsewhere = await verify(targets({ databaseUrl: 'postgresql://app:pw@db.example.com/chat' }));
    expect(messages(elsewhere, 'pg.connection-pooling')).toEqual([
      ['fail', `The app's DATABASE_URL must use the pooled endpoint ${api.pooledHostOf(compute)} of production branch main (found db.example.com, which is no compute of Neon project spring-example-302709).`],
    ]);
    expect(messages(await verify(targets({ databaseUrl: undefined })), 'pg.connection-pooling')).toEqual([
      ['skip', "The app's DATABASE_URL is not in the targets file: set neon.databaseUrl (e.g. ${env:DATABASE_URL}) to judge that it is pooled."],
    ]);
  });
});

describe('a refusing, hanging, flooding or lying Neon API', () => {
  it('a refused key is an error naming the fix, and the key is never printed', async () => {
    const r = await verify(targets({ apiKey: 'napi_wrong-key-value-123456' }));
    const [status, message] = messages(r, 'pg.instance')[0] ?? [];
    expect(status).toBe('error');
    expect(message).toMatch(/^neon could not be reached: the Neon API refused the key reading the project spring-example-302709 \(HTTP 401: authorization failed, request id [0-9a-f-]{36}\): set targets neon\.apiKey to a valid Neon API key\.$/);
    expect(messages(r, 'pg.backups.enabled')[0]?.[0]).toBe('skip');
    expect(JSON.stringify(r)).not.toContain('napi_wrong-key-value-123456');
  });

  it('a hung API and an endless body end in errors within the timeout', async () => {
    api.hang();
    expect(messages(await verify(), 'pg.instance')).toEqual([['error', 'neon could not be reached: could not reach the Neon API reading the project spring-example-302709: the Neon API did not answer within 2000 ms.']]);
    api.flood();
    const flooded = messages(await verify(), 'pg.instance');
    expect(flooded[0]?.[0]).toBe('error');
    expect(flooded[0]?.[1]).toMatch(/^neon could not be reached: could not reach the Neon API reading the project spring-example-302709: the Neon API answered with a body larger than 16777216 bytes/);
  });

  let hostile: HostileApi | undefined;
  afterAll(() => hostile?.close());
  it('a project without history_retention_seconds is an error, never a pass; a trickling body ends at the timeout', async () => {
    let trickle = false;
    hostile = await startHostileApi(() => (trickle ? { kind: 'trickle' } : { kind: 'status', status: 200, body: JSON.stringify({ project: { id: 'spring-example-302709', name: 'x' } }) }));
    const r = await verify(targets({ baseUrl: hostile.url }));
    expect(messages(r, 'pg.instance')).toEqual([['error', 'neon could not be reached: the Neon API answered the project without a history_retention_seconds number.']]);
    trickle = true;
    expect(messages(await verify(targets({ baseUrl: hostile.url })), 'pg.instance')[0]?.[1]).toMatch(/^neon could not be reached: could not reach the Neon API reading the project spring-example-302709: the Neon API did not answer within 2000 ms/);
  });
});

describe('pg.backups.restore-test (--active)', () => {
  let server: PostgresInstance;
  beforeAll(async () => {
    server = await startPostgres({ database: 'chat' });
    const c = new pg.Client({ connectionString: server.url });
    await c.connect();
    await c.query('CREATE TABLE "User" (id int); INSERT INTO "User" SELECT generate_series(1, 7)');
    await c.end();
  }, 120_000);
  afterAll(() => server?.stop());
  const withTest = specOf({}, { restoreTest: { table: 'User', minRows: 5, ageMinutes: 60 } });

  it('branches production from an hour ago, counts the table, deletes the branch', async () => {
    api.connectionUriFor = () => server.url;
    api.operationPolls = 1;
    const r = await verify(targets(), withTest, true);
    const [status, message] = messages(r, 'pg.backups.restore-test')[0] ?? [];
    expect(status).toBe('pass');
    expect(message).toMatch(/^A branch of production as of \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ holds 7 rows in User \(at least 5\); the test branch is deleted again\.$/);
    expect(api.state.branches.map((b) => b.name)).toEqual(['main', 'preview/feature-x']);
    const created = api.requests.filter((q) => q.startsWith('POST ') || q.startsWith('DELETE '));
    expect(created).toHaveLength(2);
    expect(JSON.stringify(r)).not.toContain(server.password);
  });

  it('fails too few rows and a history that does not reach back; without --active it does not run', async () => {
    api.connectionUriFor = () => server.url;
    const strict = specOf({}, { restoreTest: { table: 'User', minRows: 100, ageMinutes: 60 } });
    expect(messages(await verify(targets(), strict, true), 'pg.backups.restore-test')[0]?.[1]).toMatch(/ must hold at least 100 rows in User \(found 7\)\.$/);
    api.state.project.historyRetentionSeconds = 1800;
    const short = messages(await verify(targets(), withTest, true), 'pg.backups.restore-test')[0] ?? [];
    expect(short[0]).toBe('skip');
    expect(short[1]).toMatch(/could not be made: the history retention \(1800 s\) does not reach back 60 minutes \(pg\.backups\.enabled and pg\.backups\.retention judge the window\)\.$/);
    expect(messages(await verify(targets({ branch: 'gone' }), withTest, true), 'pg.backups.restore-test')[0]?.[1]).toMatch(/could not be made: the production branch was not found\.$/);
    expect(messages(await verify(targets(), withTest, false), 'pg.backups.restore-test')).toEqual([['skip', 'acts on the live system: runs only with --active']]);
    expect(api.state.branches).toHaveLength(2);
  });

  it('a missing table fails, and the branch is deleted all the same', async () => {
    api.connectionUriFor = () => server.url;
    const r = await verify(targets(), specOf({ tables: ['User', 'Audit'] }, { restoreTest: { table: 'Audit', minRows: 1, ageMinutes: 60 } }), true);
    const [status, message] = messages(r, 'pg.backups.restore-test')[0] ?? [];
    expect(status).toBe('fail');
    expect(message).toMatch(/could not be counted: relation "public\.Audit" does not exist \(42P01\)\.$/);
    expect(api.state.branches).toHaveLength(2);
  });
});
