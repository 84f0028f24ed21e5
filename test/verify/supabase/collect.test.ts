import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StackSpec, Targets } from '../../../spec/index.js';
import { stackSpecSchema, targetsSchema } from '../../../spec/index.js';
import { Redactor } from '../../../report/redact.js';
import type { Report } from '../../../report/types.js';
import { runVerify } from '../../../verify/runner.js';
import { supabaseFamily } from '../../../verify/supabase/index.js';
import { startSupabaseApi, type SupabaseApiServer } from '../../fixtures/supabase-api/index.js';
import { startVercelApi, type VercelApiServer } from '../../fixtures/vercel-api/index.js';

const REF = 'abcdefghijklmnopqrst';
const DAY = 86_400_000;

const specOf = (over: { postgres?: Record<string, unknown>; supabase?: Record<string, unknown> } = {}): StackSpec =>
  stackSpecSchema.parse({
    app: { name: 'gateway', domain: 'example.net', canonicalHost: 'none' },
    env: {
      vars: {
        NEXT_PUBLIC_SUPABASE_URL: { from: 'config', secret: false },
        NEXT_PUBLIC_SUPABASE_ANON_KEY: { from: 'config', secret: false },
        SUPABASE_SERVICE_ROLE_KEY: { from: 'config' },
      },
    },
    postgres: { provider: 'supabase', database: 'postgres', backups: { retentionDays: 30, maxAgeHours: 26 }, network: { allowedCidrs: ['203.0.113.16/28'] }, pooling: { kind: 'supabase' }, ...over.postgres },
    supabase: { pitr: true, ...over.supabase },
    vercel: { project: 'gateway' },
  });

let api: SupabaseApiServer;
let vercel: VercelApiServer;

beforeAll(async () => {
  [api, vercel] = await Promise.all([startSupabaseApi({ ref: REF }), startVercelApi({ project: { name: 'gateway' } })]);
});
afterAll(async () => {
  await Promise.all([api.stop(), vercel.stop()]);
});

beforeEach(() => {
  api.allow();
  api.state = api.healthyState();
  api.state.restrictions = { v4: ['203.0.113.16/28'], v6: [], status: 'applied' };
  vercel.state.envs = [];
  vercel.addEnv('NEXT_PUBLIC_SUPABASE_URL', `https://${REF}.supabase.co`, { type: 'plain' });
  vercel.addEnv('NEXT_PUBLIC_SUPABASE_ANON_KEY', api.anonKey, { type: 'plain' });
  vercel.addEnv('SUPABASE_SERVICE_ROLE_KEY', api.serviceRoleKey, { type: 'encrypted' });
});

const targets = (over: Record<string, unknown> = {}): Targets =>
  targetsSchema.parse({ supabase: { projectRef: REF, accessToken: api.token, baseUrl: api.url, timeoutMs: 2_000 }, vercel: { token: vercel.token, baseUrl: vercel.url, timeoutMs: 5_000 }, ...over });
const verify = (t = targets(), spec = specOf()): Promise<Report> =>
  runVerify({ stack: 'test', spec, targets: t, families: [supabaseFamily as never], redactor: new Redactor(), select: () => true, active: false });
const messages = (r: Report, control: string) => r.results.filter((x) => x.control === control).map((x) => [x.status, x.message]);

describe('supabase family', () => {
  it('passes a healthy project: every control judged, nothing skipped', async () => {
    const r = await verify();
    expect(r.results.map((x) => [x.control, x.resource, x.status])).toEqual([
      ['pg.instance', REF, 'pass'],
      ['pg.connectivity', REF, 'pass'],
      ['pg.backups.enabled', REF, 'pass'],
      ['pg.backups.retention', REF, 'pass'],
      ['pg.backups.recent', REF, 'pass'],
      ['pg.network-access', REF, 'pass'],
      ['pg.connection-pooling', REF, 'pass'],
      ['env.supabase-keys', 'NEXT_PUBLIC_SUPABASE_ANON_KEY', 'pass'],
      ['env.supabase-keys', 'SUPABASE_SERVICE_ROLE_KEY', 'pass'],
      ['env.supabase-keys', 'NEXT_PUBLIC_*', 'pass'],
    ]);
    expect(messages(r, 'pg.instance')).toEqual([['pass', `Supabase project ${REF} ("production") is ACTIVE_HEALTHY.`]]);
    expect(JSON.stringify(r)).not.toContain(api.serviceRoleKey);
    expect(JSON.stringify(r)).not.toContain(api.token);
  });

  it('applies only to a Supabase stack with a supabase target', () => {
    expect(supabaseFamily.collector.applies(specOf(), targets())).toBeUndefined();
    expect(supabaseFamily.collector.applies(specOf(), targetsSchema.parse({}))).toBe('No supabase entry in the targets file (projectRef, accessToken).');
    const rds = stackSpecSchema.parse({ app: { name: 'a', domain: 'example.net' }, postgres: { provider: 'rds' } });
    expect(supabaseFamily.collector.applies(rds, targets())).toBe("The stack's Postgres provider is rds, not supabase.");
  });
});

describe('pg.instance', () => {
  it('fails a paused project and a missing one', async () => {
    api.state.status = 'INACTIVE';
    expect(messages(await verify(), 'pg.instance')).toEqual([['fail', `Supabase project ${REF} ("production") must be ACTIVE_HEALTHY (found INACTIVE).`]]);
    api.state.exists = false;
    const r = await verify();
    expect(messages(r, 'pg.instance')).toEqual([['fail', `Supabase has no project ${REF} (or the token cannot see it): there is no production database.`]]);
    expect(messages(r, 'pg.backups.enabled')).toEqual([['error', `Could not read the database backups of Supabase project ${REF} (the project does not exist).`]]);
  });
});

describe('pg.backups.enabled', () => {
  it('passes daily backups with PITR', async () => {
    expect(messages(await verify(), 'pg.backups.enabled')).toEqual([['pass', `Supabase project ${REF} takes automated backups with point-in-time recovery on (30 daily backups kept).`]]);
  });

  it('fails PITR off when the stack asks for it, and passes it when it does not', async () => {
    api.state.pitrEnabled = false;
    expect(messages(await verify(), 'pg.backups.enabled')).toEqual([
      ['fail', `Supabase project ${REF} must have point-in-time recovery on (found PITR off: only daily backups, up to a day of writes lost on restore).`],
    ]);
    expect(messages(await verify(targets(), specOf({ supabase: { pitr: false } })), 'pg.backups.enabled')).toEqual([
      ['pass', `Supabase project ${REF} takes automated backups without point-in-time recovery (the stack does not ask for it) (30 daily backups kept).`],
    ]);
  });

  it('fails backups off', async () => {
    api.state.pitrEnabled = false;
    api.state.walgEnabled = false;
    api.state.backups = [];
    expect(messages(await verify(), 'pg.backups.enabled')).toEqual([['fail', `Supabase project ${REF} must take automated daily backups (found backups off and PITR off: nothing to restore from).`]]);
  });
});

describe('pg.backups.retention', () => {
  it('passes 30 days of daily backups', async () => {
    const [[status, message]] = messages(await verify(), 'pg.backups.retention') as [[string, string]];
    expect(status).toBe('pass');
    expect(message).toMatch(new RegExp(`^Supabase project ${REF} keeps backups for 29\\.\\d days \\(oldest daily backup \\S+; at least 30 days asked\\)\\.$`));
  });

  it('fails a 7-day window on an old project, skips a young project, fails no backup at all', async () => {
    api.state.backups = api.state.backups.slice(0, 7);
    api.state.pitrEarliest = Date.now() - 7 * DAY;
    expect(messages(await verify(), 'pg.backups.retention')).toEqual([['fail', `Supabase project ${REF} must keep backups for at least 30 days (found the oldest PITR restore point 7.0 days old).`]]);
    api.state.createdAt = Date.now() - 10 * DAY;
    expect(messages(await verify(), 'pg.backups.retention')).toEqual([
      ['skip', `Supabase project ${REF} is only 10.0 days old: whether it keeps backups for 30 days cannot be told before then (oldest PITR restore point 7.0 days old).`],
    ]);
    api.state.backups = [];
    api.state.pitrEnabled = false;
    expect(messages(await verify(), 'pg.backups.retention')).toEqual([['fail', `Supabase project ${REF} must keep backups for at least 30 days (found no completed backup to restore from).`]]);
  });
});

describe('pg.backups.recent', () => {
  it('passes a PITR point minutes old', async () => {
    expect(messages(await verify(), 'pg.backups.recent')).toEqual([['pass', `Supabase project ${REF} has a recent backup (newest PITR restore point 0.0 h old, under 26 h).`]]);
  });

  it('fails stale backups and names a failed last attempt', async () => {
    const now = Date.now();
    api.state.pitrEnabled = false;
    api.state.backups = [
      { status: 'FAILED', at: now - 3 * 3_600_000, physical: true },
      { status: 'COMPLETED', at: now - 50 * 3_600_000, physical: true },
    ];
    const [[status, message]] = messages(await verify(), 'pg.backups.recent') as [[string, string]];
    expect(status).toBe('fail');
    expect(message).toMatch(new RegExp(`^Supabase project ${REF} must have a backup under 26 h old \\(found the newest daily backup 50\\.0 h old; the latest backup, \\S+, is FAILED\\)\\.$`));
  });

  it('a backup dated in the future is an error, not a pass', async () => {
    api.state.pitrEnabled = false;
    api.state.backups = [{ status: 'COMPLETED', at: Date.now() + 5 * DAY, physical: true }];
    const [[status, message]] = messages(await verify(), 'pg.backups.recent') as [[string, string]];
    expect(status).toBe('error');
    expect(message).toContain("in the future: the API's or this machine's clock is wrong");
  });
});

describe('pg.network-access', () => {
  it('passes an allow list inside postgres.network.allowedCidrs', async () => {
    api.state.restrictions.v4 = ['203.0.113.20/32'];
    expect(messages(await verify(), 'pg.network-access')).toEqual([['pass', `Supabase project ${REF} admits database connections only from 203.0.113.20/32 (network restrictions applied).`]]);
  });

  it('fails the default (open to the world) and an IPv6 hole beside a tight IPv4 list', async () => {
    api.state.restrictions = { v4: ['0.0.0.0/0'], v6: ['::/0'], status: 'applied' };
    expect(messages(await verify(), 'pg.network-access')).toEqual([
      ['fail', `Supabase project ${REF} must admit database connections only from postgres.network.allowedCidrs (found it admitting IPv4 0.0.0.0/0 (every address); IPv6 ::/0 (every address)).`],
    ]);
    api.state.restrictions = { v4: ['203.0.113.16/28', '0.0.0.0/1', '128.0.0.0/1'], v6: ['::/0'], status: 'applied' };
    expect(messages(await verify(), 'pg.network-access')).toEqual([
      [
        'fail',
        `Supabase project ${REF} must admit database connections only from postgres.network.allowedCidrs (found it admitting IPv4 0.0.0.0/1, which postgres.network.allowedCidrs does not cover; IPv4 128.0.0.0/1, which postgres.network.allowedCidrs does not cover; IPv6 ::/0 (every address)).`,
      ],
    ]);
  });

  it('judges the config in force while a new one is only stored, and fails a plan without restrictions', async () => {
    api.state.restrictions = { v4: ['203.0.113.16/28'], v6: [], status: 'stored', old: { v4: ['0.0.0.0/0'], v6: [] } };
    expect(messages(await verify(), 'pg.network-access')).toEqual([
      ['fail', `Supabase project ${REF} must admit database connections only from postgres.network.allowedCidrs (found it admitting IPv4 0.0.0.0/0 (every address); a new config is stored, not yet applied).`],
    ]);
    api.state.restrictions = { v4: ['203.0.113.16/28'], v6: [], status: 'stored' };
    expect(messages(await verify(), 'pg.network-access')).toEqual([['fail', `Supabase project ${REF} must have its network restrictions applied (found them stored, not applied, and no earlier config in force).`]]);
    api.state.entitlement = 'disallowed';
    expect(messages(await verify(), 'pg.network-access')).toEqual([
      ['fail', `Supabase project ${REF} must restrict database network access (found network restrictions not available on its plan, entitlement disallowed: any address may connect).`],
    ]);
  });

  it('skips a stack that allows public access', async () => {
    expect(messages(await verify(targets(), specOf({ postgres: { network: { publiclyAccessible: true } } })), 'pg.network-access')).toEqual([
      ['skip', 'The stack allows public access (postgres.network.publiclyAccessible: true).'],
    ]);
  });
});

describe('pg.connectivity (SSL enforcement)', () => {
  it('passes SSL enforced, fails it off or not applied, skips when TLS is not asked', async () => {
    expect(messages(await verify(), 'pg.connectivity')).toEqual([['pass', `Supabase project ${REF} enforces SSL on database connections (SSL enforcement on and applied).`]]);
    api.state.ssl = { database: true, appliedSuccessfully: false };
    expect(messages(await verify(), 'pg.connectivity')).toEqual([['fail', `Supabase project ${REF} must have SSL enforcement applied (found it switched on but not applied successfully).`]]);
    api.state.ssl = { database: false, appliedSuccessfully: true };
    expect(messages(await verify(), 'pg.connectivity')).toEqual([
      ['fail', `Supabase project ${REF} must enforce SSL on database connections (found SSL enforcement off: the database also takes plaintext logins).`],
    ]);
    expect(messages(await verify(targets(), specOf({ postgres: { tls: false } })), 'pg.connectivity')).toEqual([['skip', 'The stack does not require TLS (postgres.tls: false).']]);
  });
});

describe('pg.connection-pooling', () => {
  it('passes the transaction-mode Supavisor pooler and fails session mode or none', async () => {
    expect(messages(await verify(), 'pg.connection-pooling')).toEqual([
      ['pass', `Supabase project ${REF} pools its primary database through Supavisor at aws-0-eu-central-1.pooler.supabase.com:6543 in transaction mode (pool size 15, up to 200 clients).`],
    ]);
    api.state.pooler = { poolMode: 'session', defaultPoolSize: null, maxClientConn: null };
    expect(messages(await verify(), 'pg.connection-pooling')).toEqual([
      ['fail', `Supabase project ${REF} must pool its primary database in transaction mode (found session mode at aws-0-eu-central-1.pooler.supabase.com:5432).`],
    ]);
    api.state.pooler = null;
    expect(messages(await verify(), 'pg.connection-pooling')).toEqual([['fail', `Supabase project ${REF} must have a Supavisor pooler for its primary database (found none).`]]);
  });
});

describe('env.supabase-keys', () => {
  it('passes the anon JWT and the service-role JWT of the project, none in the browser', async () => {
    expect(messages(await verify(), 'env.supabase-keys')).toEqual([
      ['pass', `NEXT_PUBLIC_SUPABASE_ANON_KEY holds the anon JWT of Supabase project ${REF}.`],
      ['pass', `SUPABASE_SERVICE_ROLE_KEY holds the service_role JWT of Supabase project ${REF}.`],
      ['pass', 'No NEXT_PUBLIC_* var holds a Supabase service-role key (2 checked).'],
    ]);
  });

  it('fails the service-role key in the anon var: the wrong role, and shipped to the browser', async () => {
    vercel.updateEnv('NEXT_PUBLIC_SUPABASE_ANON_KEY', { value: api.serviceRoleKey });
    const r = await verify();
    expect(messages(r, 'env.supabase-keys')).toEqual([
      ['fail', `NEXT_PUBLIC_SUPABASE_ANON_KEY must hold the anon (or publishable) key of Supabase project ${REF} (found the project's service_role key).`],
      ['pass', `SUPABASE_SERVICE_ROLE_KEY holds the service_role JWT of Supabase project ${REF}.`],
      ['fail', 'NEXT_PUBLIC_SUPABASE_ANON_KEY ships a Supabase service-role key to the browser: it must be only in a server-side var.'],
    ]);
    expect(JSON.stringify(r)).not.toContain(api.serviceRoleKey);
  });

  it("fails another project's key, a forged or rotated key, a service_role JWT of any project in a NEXT_PUBLIC var, and an unset var", async () => {
    vercel.updateEnv('NEXT_PUBLIC_SUPABASE_ANON_KEY', { value: api.jwt({ ref: 'zyxwvutsrqponmlkjihg', role: 'anon' }, true) });
    vercel.updateEnv('SUPABASE_SERVICE_ROLE_KEY', { value: api.jwt({ ref: REF, role: 'service_role' }, true) });
    vercel.addEnv('NEXT_PUBLIC_ADMIN_KEY', api.jwt({ ref: 'zyxwvutsrqponmlkjihg', role: 'service_role' }, true), { type: 'plain' });
    expect(messages(await verify(), 'env.supabase-keys')).toEqual([
      ['fail', `NEXT_PUBLIC_SUPABASE_ANON_KEY must hold the anon (or publishable) key of Supabase project ${REF} (found a key of project zyxwvutsrqponmlkjihg).`],
      ['fail', `SUPABASE_SERVICE_ROLE_KEY must hold the service-role (or secret) key of Supabase project ${REF} (found a value that is none of its current keys: revoked, rotated or mistyped).`],
      ['fail', 'NEXT_PUBLIC_ADMIN_KEY ships a Supabase service-role key to the browser: it must be only in a server-side var.'],
    ]);
    vercel.state.envs = vercel.state.envs.filter((e) => e.key !== 'NEXT_PUBLIC_SUPABASE_ANON_KEY' && e.key !== 'NEXT_PUBLIC_ADMIN_KEY');
    expect(messages(await verify(), 'env.supabase-keys')[0]).toEqual([
      'fail',
      `NEXT_PUBLIC_SUPABASE_ANON_KEY must hold the anon (or publishable) key of Supabase project ${REF} (found it not set for production on Vercel).`,
    ]);
  });

  it('accepts the newer publishable and secret keys, and skips a sensitive var it cannot read', async () => {
    const publishable = 'sb_publishable_4bQ1xYvW2nP8sT6uK0rL3m_9aZcDeF';
    const secret = 'sb_secret_Ny7Kp2QwErTyUiOpAsDfGhJkLzXcVbNm';
    api.state.extraKeys = [
      { name: 'default', type: 'publishable', api_key: publishable, id: 'k1' },
      { name: 'backend', type: 'secret', api_key: secret, id: 'k2' },
    ];
    vercel.updateEnv('NEXT_PUBLIC_SUPABASE_ANON_KEY', { value: publishable });
    vercel.updateEnv('SUPABASE_SERVICE_ROLE_KEY', { value: secret, type: 'sensitive' });
    const r = await verify();
    expect(messages(r, 'env.supabase-keys')).toEqual([
      ['pass', `NEXT_PUBLIC_SUPABASE_ANON_KEY holds the publishable key "default" of Supabase project ${REF}.`],
      ['skip', `SUPABASE_SERVICE_ROLE_KEY cannot be compared with the service-role (or secret) key of Supabase project ${REF}: Vercel keeps sensitive values write-only.`],
      ['pass', 'No NEXT_PUBLIC_* var holds a Supabase service-role key (2 checked).'],
    ]);
    expect(JSON.stringify(r)).not.toContain(secret);
  });

  it('fails a service-role var named NEXT_PUBLIC_*, and skips the comparison without a vercel target', async () => {
    const spec = stackSpecSchema.parse({ ...specOf(), env: { vars: { NEXT_PUBLIC_SUPABASE_SERVICE_ROLE_KEY: { from: 'config' } } } });
    const t = targets();
    const r = await verify(targetsSchema.parse({ supabase: t.supabase }), spec);
    expect(messages(r, 'env.supabase-keys')).toEqual([
      ['fail', 'NEXT_PUBLIC_SUPABASE_SERVICE_ROLE_KEY ships the Supabase service-role key to the browser: it must not be a NEXT_PUBLIC_* var.'],
      ['skip', "The targets file cannot read Vercel (no vercel section): the app's Supabase keys are not compared with the project's."],
    ]);
  });
});

describe('a refusing, hanging or flooding Management API', () => {
  it('a refused token is an error on every control naming the fix, and the token is not printed', async () => {
    const r = await verify(targets({ supabase: { projectRef: REF, accessToken: 'sbp_wrong_token_value_0000', baseUrl: api.url } }));
    const why = `supabase could not be reached: the Supabase Management API refused the token reading the project ${REF} (HTTP 401: Unauthorized): set targets supabase.accessToken to a valid access token.`;
    expect(new Set(r.results.map((x) => `${x.status} ${x.message}`))).toEqual(new Set([`error ${why}`]));
    expect(JSON.stringify(r)).not.toContain('sbp_wrong_token_value_0000');
  });

  it('a rate limit is an error saying so', async () => {
    api.refuse(429);
    const r = await verify();
    expect(messages(r, 'pg.instance')[0]?.[1]).toBe(
      `supabase could not be reached: the Supabase Management API rate-limited the token reading the project ${REF} (HTTP 429: Too many requests): try again later.`,
    );
  });

  it('a hanging API times out and a flooding one is cut off: errors, never a pass', async () => {
    api.hang();
    const hung = await verify();
    expect(messages(hung, 'pg.backups.enabled')).toEqual([
      ['error', `supabase could not be reached: could not reach the Supabase Management API reading the project ${REF}: the Supabase Management API did not answer within 2000 ms.`],
    ]);
    api.flood();
    const flooded = await verify();
    expect(messages(flooded, 'pg.backups.enabled')).toEqual([
      [
        'error',
        `supabase could not be reached: could not reach the Supabase Management API reading the project ${REF}: the Supabase Management API answered with a body larger than 1048576 bytes: prodcheck reads no further.`,
      ],
    ]);
  });

  it('an answer in the wrong shape is an error naming the field', async () => {
    api.answer('/database/backups', { region: 'eu-central-1', walg_enabled: true, pitr_enabled: false, backups: [{ is_physical_backup: true, status: 'COMPLETED', inserted_at: 'yesterday' }], physical_backup_data: {} });
    api.answer('/ssl-enforcement', { currentConfig: { database: 'yes' }, appliedSuccessfully: true });
    const r = await verify();
    expect(messages(r, 'pg.backups.recent')).toEqual([
      ['error', `Could not read the database backups of Supabase project ${REF} (the Supabase Management API answered the database backups in an unexpected shape at backups.0.inserted_at (not a timestamp)).`],
    ]);
    expect(messages(r, 'pg.connectivity')).toEqual([
      ['error', `Could not read the SSL enforcement setting of Supabase project ${REF} (the Supabase Management API answered the SSL enforcement setting in an unexpected shape at currentConfig.database (Invalid input: expected boolean, received string)).`],
    ]);
  });
});
