import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StackSpec, Targets } from '../../../spec/index.js';
import { stackSpecSchema, targetsSchema } from '../../../spec/index.js';
import { Redactor } from '../../../report/redact.js';
import { runVerify } from '../../../verify/runner.js';
import type { Report } from '../../../report/types.js';
import { vercelCollector, vercelFamily, type VercelSnapshot } from '../../../verify/vercel/index.js';
import { startVercelApi, type VercelApiServer } from '../../fixtures/vercel-api/index.js';

const spec: StackSpec = stackSpecSchema.parse({
  app: { name: 'chat', domain: 'chat.example.com', canonicalHost: 'none' },
  env: {
    bcryptRounds: 12,
    vars: {
      AUTH_SECRET: { from: 'generated' },
      POSTGRES_URL: { from: 'postgres.url' },
      NODE_ENV: { from: 'value', value: 'production' },
      NEXT_PUBLIC_APP_URL: { from: 'app.url' },
      KV_URL: { from: 'redis.url', forbiddenTargets: ['development'] },
    },
  },
  postgres: { provider: 'rds' },
  redis: { provider: 'upstash' },
  vercel: { project: 'chat', team: 'example-org', git: { type: 'github', repo: 'example-org/chat' }, firewall: { enabled: true } },
});

const authSecret = 'a'.repeat(16) + 'B'.repeat(16) + 'c'.repeat(12);
const dbPassword = 'db-pass-Zq93kL0p';
let api: VercelApiServer;

function targetsFor(over: Partial<NonNullable<Targets['vercel']>> = {}): Targets {
  return targetsSchema.parse({ vercel: { token: api.token, teamId: 'team_chat', baseUrl: api.url, timeoutMs: 5_000, expect: { databaseHost: 'db.internal', redisHost: 'kv.internal' }, ...over } });
}

async function collect(targets = targetsFor(), redactor = new Redactor()): Promise<VercelSnapshot> {
  return vercelCollector.collect({ spec, targets, active: false, redactor, signal: new AbortController().signal });
}

async function verify(targets = targetsFor()): Promise<Report> {
  return runVerify({ stack: 'test', spec, targets, families: [vercelFamily as never], redactor: new Redactor(), select: () => true, active: false });
}

const messages = (r: Report, control: string) => r.results.filter((x) => x.control === control).map((x) => [x.status, x.message]);

/** A project set up as the spec asks, planted fresh for every test. */
function seed(a: VercelApiServer): void {
  a.setProject({ name: 'chat', framework: 'nextjs', link: { type: 'github', repo: 'example-org/chat', productionBranch: 'main' } });
  a.state.envs = [];
  a.addEnv('AUTH_SECRET', authSecret, { type: 'sensitive' });
  a.addEnv('POSTGRES_URL', `postgres://app:${dbPassword}@db.internal:5432/chat?sslmode=require`, { type: 'encrypted' });
  a.addEnv('NODE_ENV', 'production', { type: 'plain' });
  a.addEnv('NEXT_PUBLIC_APP_URL', 'https://chat.example.com', { type: 'plain', target: ['production', 'preview'] });
  a.addEnv('KV_URL', 'rediss://default:kv-pass-0091@kv.internal:6379', { type: 'sensitive', target: ['production', 'preview'] });
  a.addEnv('BCRYPT_ROUNDS', '12', { type: 'encrypted' });
  a.state.domains = [];
  a.addDomain('chat.example.com');
  a.state.deployments = [];
  a.addDeployment();
  a.addDeployment();
  a.setFirewall({ enabled: true, managedRules: { owasp: true }, ipBlocks: [] });
  a.state.refused.clear();
  a.requests.length = 0;
}

beforeAll(async () => {
  api = await startVercelApi({ teamId: 'team_chat', project: { name: 'chat' } });
});
afterAll(async () => {
  await api.stop();
});

describe('vercel collector against the local Vercel API', () => {
  it('reads project, env, domain, deployments and firewall through @vercel/sdk, keeping secrets out of the snapshot', async () => {
    seed(api);
    const redactor = new Redactor();
    const s = await collect(targetsFor(), redactor);
    if (s.project === null) throw new Error('expected the project');
    expect(s.project).toMatchObject({ name: 'chat', framework: 'nextjs', link: { type: 'github', repo: 'example-org/chat', productionBranch: 'main' } });
    if (!s.envs.ok) throw new Error(s.envs.error);
    const byKey = Object.fromEntries(s.envs.value.map((e) => [e.key, e]));
    expect(byKey.NODE_ENV?.value).toEqual({ kind: 'text', text: 'production' });
    expect(byKey.BCRYPT_ROUNDS?.value).toEqual({ kind: 'text', text: '12' });
    expect(byKey.AUTH_SECRET?.value).toEqual({ kind: 'unreadable', reason: 'sensitive values are write-only' });
    expect(byKey.POSTGRES_URL?.value).toMatchObject({ kind: 'secret', url: { scheme: 'postgres', host: 'db.internal', sslmode: 'require' } });
    expect(JSON.stringify(s)).not.toContain(dbPassword);
    expect(redactor.redact(`postgres://app:${dbPassword}@db.internal`)).not.toContain(dbPassword);
    expect(s.domain.info).toEqual({ ok: true, value: { verified: true, redirect: null, verification: [] } });
    expect(s.deployments.ok && s.deployments.value.list.map((d) => d.readyState)).toEqual(['READY', 'READY']);
    expect(s.firewall).toEqual({ ok: true, value: { enabled: true, managedRules: { owasp: true }, ipRules: [] } });
    // Encrypted values come decrypted only from the per-variable endpoint; sensitive ones are never asked for.
    const valueCalls = api.requests.filter((r) => r.startsWith('/v1/projects/'));
    expect(valueCalls).toHaveLength(2);
    expect(api.requests.every((r) => r.includes('teamId=team_chat'))).toBe(true);
  });

  it('passes every check on the seeded project', async () => {
    seed(api);
    const r = await verify();
    expect(r.results.filter((x) => x.status === 'fail' || x.status === 'error').map((x) => `${x.control}: ${x.message}`)).toEqual([]);
    expect(messages(r, 'env.database-url')).toEqual([['pass', 'POSTGRES_URL is a postgres:// URL at db.internal with sslmode=require.']]);
    expect(messages(r, 'env.redis-url')).toEqual([['pass', 'KV_URL is set for production; it is sensitive, so its host and TLS mode cannot be read back.']]);
  });

  it('reports planted faults with the checks exact messages', async () => {
    seed(api);
    api.updateEnv('NODE_ENV', { value: 'development' });
    api.updateEnv('KV_URL', { target: ['production', 'development'] });
    api.updateEnv('POSTGRES_URL', { value: `postgres://app:${dbPassword}@db.other:5432/chat` });
    api.updateEnv('AUTH_SECRET', { type: 'plain', value: 'short' });
    api.updateDomain('chat.example.com', { verified: false });
    api.setProject({ link: { type: 'github', repo: 'example-org/chat', productionBranch: 'release' } });
    api.setFirewall({ enabled: true, managedRules: { owasp: false }, ipBlocks: [] });
    api.addDeployment({ readyState: 'ERROR' });
    const r = await verify();
    expect(messages(r, 'env.production-mode')).toEqual([['fail', 'NODE_ENV must be production on the production target (found development).']]);
    expect(messages(r, 'env.targets')).toEqual([['fail', 'KV_URL must not be set for development (found it in production, development).']]);
    expect(messages(r, 'env.database-url')).toEqual([
      ['fail', 'POSTGRES_URL must be a postgres:// URL at db.internal with sslmode=require (found postgres:// at db.other, sslmode unset).'],
    ]);
    expect(messages(r, 'env.secrets-manager')).toContainEqual(['fail', 'AUTH_SECRET holds a secret and must be sensitive or encrypted (found plain for production).']);
    expect(messages(r, 'env.secret-strength')[0]?.[1]).toMatch(/^AUTH_SECRET must be a sensitive secret of at least 32 characters, unique to it \(found stored as plain, not sensitive; 5 characters, fewer than 32 \(len 5, hmac:[0-9a-f]{12}\)\)\.$/);
    expect(messages(r, 'vercel.domain')).toEqual([['fail', 'chat.example.com must be verified on Vercel (found it unverified: Vercel asks for TXT _vercel.example.com).']]);
    expect(messages(r, 'vercel.git-integration')).toEqual([['fail', 'The Vercel project must deploy from github, branch main (found github, branch release).']]);
    expect(messages(r, 'vercel.firewall')).toEqual([['fail', 'The Vercel firewall must be enabled, managed rulesets owasp active (found owasp inactive).']]);
    expect(messages(r, 'vercel.deployment.ready')[0]?.[1]).toMatch(/^The latest production deployment must be READY \(found dpl_\w+ ERROR\)\.$/);
    expect(JSON.stringify(r)).not.toContain(dbPassword);
  });

  it('pages through production deployments until it has two READY ones', async () => {
    seed(api);
    for (let i = 0; i < 25; i++) api.addDeployment({ readyState: 'ERROR' });
    const s = await collect();
    if (s.project === null || !s.deployments.ok) throw new Error('expected deployments');
    expect(s.deployments.value.list).toHaveLength(27);
    expect(s.deployments.value.complete).toBe(true);
    expect(api.requests.filter((r) => r.startsWith('/v7/deployments')).map((r) => new URLSearchParams(r.split('?')[1]).has('until'))).toEqual([false, true]);
  });

  it('fails vercel.project for an unknown project and skips the rest', async () => {
    seed(api);
    const r = await verify(targetsFor({ projectId: 'prj_gone' }));
    expect(messages(r, 'vercel.project')).toEqual([['fail', 'The Vercel project "prj_gone" must exist (the API has no such project).']]);
    expect(messages(r, 'env.required-vars')).toEqual([['skip', 'Skipped: the Vercel project "prj_gone" was not found.']]);
  });

  it('says which token scope is missing on 401 and 403', async () => {
    seed(api);
    const bad = await verify(targetsFor({ token: 'vcp_wrong' }));
    expect(messages(bad, 'vercel.project')).toEqual([
      ['error', 'vercel could not be reached: the Vercel API refused the token reading the project chat (HTTP 401): set targets vercel.token to a valid access token.'],
    ]);
    expect(messages(bad, 'env.app-url')).toEqual([
      ['skip', 'skipped: vercel could not be reached: the Vercel API refused the token reading the project chat (HTTP 401): set targets vercel.token to a valid access token.'],
    ]);
    const otherTeam = await verify(targetsFor({ teamId: 'team_other' }));
    expect(messages(otherTeam, 'vercel.project')).toEqual([
      [
        'error',
        'vercel could not be reached: the Vercel token may not read the project chat (HTTP 403): create the token with its scope set to team_other, by a member allowed to view the project.',
      ],
    ]);
    api.refuse('firewall', 403);
    const noFirewall = await verify();
    expect(messages(noFirewall, 'vercel.firewall')).toEqual([
      [
        'error',
        'Could not read the firewall configuration (the Vercel token may not read the firewall configuration (HTTP 403): create the token with its scope set to team_chat, by a member allowed to view the project).',
      ],
    ]);
  });

  it('records a value it could not decrypt as an error of the checks that read it', async () => {
    seed(api);
    api.refuse('env-value', 500);
    const r = await verify();
    expect(messages(r, 'env.bcrypt-rounds')).toEqual([
      ['error', 'Could not read BCRYPT_ROUNDS on production (the Vercel API answered HTTP 500 reading the value of BCRYPT_ROUNDS (An unexpected internal error occurred)).'],
    ]);
  });
});
