import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { StackSpec } from '../../../spec/index.js';
import { stackSpecSchema, targetsSchema } from '../../../spec/index.js';
import { Redactor } from '../../../report/redact.js';
import { repoCollector, repoFamily } from '../../../verify/repo/index.js';
import { runVerify } from '../../../verify/runner.js';
import type { Report } from '../../../report/types.js';
import { createGitRepo, fakeCredential } from '../../fixtures/git-repo.js';

const spec: StackSpec = stackSpecSchema.parse({
  app: { name: 'chat', domain: 'chat.example.com' },
  env: { vars: { AUTH_SECRET: { from: 'generated' }, STRIPE_SECRET_KEY: { from: 'config' }, NODE_ENV: { from: 'value', value: 'production' } } },
});
const root = mkdtempSync(join(tmpdir(), 'prodcheck-repo-'));
let n = 0;
const newRepo = () => createGitRepo(join(root, `r${n++}`));

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

const CLEAN_FILES = {
  '.gitignore': 'node_modules\n.env*\n!.env.example\n',
  '.env.example': 'AUTH_SECRET=\nSTRIPE_SECRET_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx\nNODE_ENV=production\n',
  'src/index.ts': 'export const ok = true;\n',
};

async function verify(dir: string, over: object = {}): Promise<Report> {
  const targets = targetsSchema.parse({ repo: { path: dir, ...over } });
  return runVerify({ stack: 'test', spec, targets, families: [repoFamily as never], redactor: new Redactor(), select: () => true, active: false });
}
const messages = (r: Report, control: string) => r.results.filter((x) => x.control === control).map((x) => [x.status, x.message]);

describe('repo collector on temporary git repositories', () => {
  it('passes a clean repository and skips the audit without package.json', async () => {
    const repo = newRepo();
    repo.commit(CLEAN_FILES, 'init');
    repo.write({ '.env.local': 'AUTH_SECRET=local-only-secret-value\n' });
    const r = await verify(repo.dir);
    expect(r.results.map((x) => [x.control, x.status, x.message])).toEqual([
      ['repo.no-committed-secrets', 'pass', 'No live secrets in the git history (1 commit on every ref).'],
      ['repo.gitignore-env', 'pass', '.env and .env.local are ignored by git and no env file other than the templates is tracked.'],
      ['repo.env-example-complete', 'pass', '.env.example documents all 3 env vars of the stack.'],
      ['repo.dependency-audit', 'skip', `${repo.dir} has no package.json: there are no npm dependencies to audit.`],
    ]);
  });

  it('finds secrets deleted later, on other branches and in committed env files, by fingerprint only', async () => {
    const repo = newRepo();
    const stripe = fakeCredential('stripe-live');
    const aws = fakeCredential('aws-key');
    const vercel = fakeCredential('vercel');
    const added = repo.commit({ ...CLEAN_FILES, 'lib/stripe.ts': `export const key = '${stripe}';\n` }, 'add billing');
    repo.commit({ 'lib/stripe.ts': 'export const key = process.env.STRIPE_SECRET_KEY;\n' }, 'read the key from env');
    repo.git('checkout', '-q', '-b', 'experiment');
    const branch = repo.commit({ 'deploy/id_rsa': '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAw7fakefakefake\n-----END RSA PRIVATE KEY-----\n', 'ci.yml': `env:\n  VERCEL_TOKEN: ${vercel}\n` }, 'ci');
    repo.git('checkout', '-q', 'main');
    const envCommit = repo.commit({ 'config/.env.production': `AUTH_SECRET=prod-secret-${stripe.slice(-12)}\nAWS_ACCESS_KEY_ID=${aws}\nDEBUG=false\n` }, 'oops');
    repo.commit({ 'config/.env.production': null }, 'remove env file');
    const r = await verify(repo.dir);
    const short = (c: string) => c.slice(0, 12);
    const found = messages(r, 'repo.no-committed-secrets');
    expect(found.map(([status, m]) => [status, m?.replace(/\(([^()]*hmac:[0-9a-f]{12})\)/, '(FP)')])).toEqual([
      ['fail', `Commit ${short(branch)} added a Vercel token to ci.yml (FP): revoke it and purge it from history.`],
      ['fail', `Commit ${short(envCommit)} added a secret in a committed env file (AUTH_SECRET) to config/.env.production (FP): revoke it and purge it from history.`],
      ['fail', `Commit ${short(envCommit)} added an AWS access key id to config/.env.production (FP): revoke it and purge it from history.`],
      ['fail', `Commit ${short(branch)} added a private key to deploy/id_rsa (FP): revoke it and purge it from history.`],
      ['fail', `Commit ${short(added)} added a Stripe live secret key to lib/stripe.ts (FP): revoke it and purge it from history.`],
    ]);
    expect(found[4]?.[1]).toMatch(/\(sk_live_…len 40, hmac:[0-9a-f]{12}\)/);
    const text = JSON.stringify(r);
    for (const secret of [stripe, aws, vercel, 'MIIEowIBAAKCAQEAw7fakefakefake', stripe.slice(-12)]) expect(text).not.toContain(secret);
    expect(messages(r, 'repo.gitignore-env')).toEqual([['pass', '.env and .env.local are ignored by git and no env file other than the templates is tracked.']]);
  });

  it('fails an unignored, tracked env file and an incomplete .env.example', async () => {
    const repo = newRepo();
    repo.commit({ '.gitignore': 'node_modules\n', '.env.example': 'NODE_ENV=production\n', '.env': 'DEBUG=1\n' }, 'init');
    const r = await verify(repo.dir);
    expect(messages(r, 'repo.gitignore-env')).toEqual([
      ['fail', '.env and .env.local must be ignored by git and no env file but the templates tracked (found .env not ignored; .env.local not ignored; .env tracked).'],
    ]);
    expect(messages(r, 'repo.env-example-complete')).toEqual([['fail', '.env.example must document every env var of the stack (found AUTH_SECRET, STRIPE_SECRET_KEY missing).']]);
  });

  it('errors a history over the bound rather than passing a partial scan', async () => {
    const repo = newRepo();
    repo.commit({ ...CLEAN_FILES, 'big.txt': 'x'.repeat(4096) }, 'big');
    const r = await verify(repo.dir, { maxHistoryBytes: 1024 });
    expect(messages(r, 'repo.no-committed-secrets')).toEqual([
      ['error', `Could not scan the git history of ${repo.dir} (the history is larger than 1024 bytes of diff (targets repo.maxHistoryBytes)).`],
    ]);
  });

  it('makes an unreachable registry an error of repo.dependency-audit, never a pass', async () => {
    const repo = newRepo();
    const lock = {
      name: 'app',
      version: '1.0.0',
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': { name: 'app', version: '1.0.0', dependencies: { 'left-pad': '1.3.0' } },
        'node_modules/left-pad': { version: '1.3.0', resolved: 'https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz', license: 'WTFPL' },
      },
    };
    repo.commit({ ...CLEAN_FILES, 'package.json': JSON.stringify(lock.packages['']), 'package-lock.json': JSON.stringify(lock) }, 'deps');
    const r = await verify(repo.dir, { npmRegistry: 'http://127.0.0.1:9/', auditTimeoutMs: 60_000 });
    expect(messages(r, 'repo.dependency-audit')).toEqual([
      ['error', 'Could not audit the npm dependencies (npm audit failed: request to http://127.0.0.1:9/-/npm/v1/security/advisories/bulk failed, reason: connect ECONNREFUSED 127.0.0.1:9).'],
    ]);
  });

  it('refuses a directory that is not a git repository', async () => {
    const dir = mkdtempSync(join(root, 'plain-'));
    await expect(repoCollector.collect({ spec, targets: targetsSchema.parse({ repo: { path: dir } }), active: false, redactor: new Redactor(), signal: new AbortController().signal })).rejects.toThrow(
      `${dir} is not a git repository (fatal: not a git repository (or any of the parent directories): .git)`,
    );
    expect(repoCollector.applies(spec, {})).toBe('No repo entry in the targets file (add `repo: {}` to check the current directory).');
  });
});
