import { describe, expect, it } from 'vitest';
import { getControl } from '../../../checklist/index.js';
import type { StackSpec } from '../../../spec/index.js';
import { stackSpecSchema } from '../../../spec/index.js';
import * as checks from '../../../verify/repo/checks.js';
import { REPO_CHECKS, repoDependencyAudit, repoEnvExampleComplete, repoGitignoreEnv, repoNoCommittedSecrets } from '../../../verify/repo/checks.js';
import type { RepoSnapshot } from '../../../verify/repo/collect.js';
import type { Check } from '../../../verify/types.js';

const spec: StackSpec = stackSpecSchema.parse({
  app: { name: 'chat', domain: 'chat.example.com' },
  env: { vars: { AUTH_SECRET: { from: 'generated' }, STRIPE_SECRET_KEY: { from: 'config' }, NODE_ENV: { from: 'value', value: 'production' } } },
});

const clean: RepoSnapshot = {
  path: '/srv/chat',
  history: { ok: true, value: { commits: 42, hits: [] } },
  ignore: { ok: true, value: { ignored: { '.env': true, '.env.local': true }, trackedEnvFiles: [] } },
  envExample: { ok: true, value: ['AUTH_SECRET', 'DEBUG', 'NODE_ENV', 'STRIPE_SECRET_KEY'] },
  audit: { ok: true, value: { counts: { critical: 0, high: 0, moderate: 2, low: 1, info: 0 }, serious: [], dependencies: 120 } },
};
const snap = (over: Partial<RepoSnapshot>): RepoSnapshot => ({ ...clean, ...over });

function run(check: Check<RepoSnapshot>, s: RepoSnapshot = clean, sp: StackSpec = spec): [string, string][] {
  return check.evaluate(s, sp).map((f) => [f.status, f.message]);
}

describe('repo checks: registry', () => {
  it('exports one check per control, named the camelCase of its id, in REPO_CHECKS', () => {
    const exported = Object.entries(checks).filter(([, v]) => typeof v === 'object' && v !== null && 'evaluate' in v) as [string, Check<RepoSnapshot>][];
    const camel = (id: string) => id.replace(/[.-]([a-z])/g, (_m, c: string) => c.toUpperCase());
    expect(exported.map(([name, c]) => [name, camel(c.id)]).filter(([a, b]) => a !== b)).toEqual([]);
    expect(REPO_CHECKS.map((c) => c.id).sort()).toEqual(exported.map(([, c]) => c.id).sort());
    expect(REPO_CHECKS).toHaveLength(4);
    for (const c of REPO_CHECKS) expect(getControl(c.id).stages).toContain('V');
  });

  it('passes every check on the clean snapshot', () => {
    expect(REPO_CHECKS.flatMap((c) => c.evaluate(clean, spec).map((f) => f.status))).toEqual(['pass', 'pass', 'pass', 'pass']);
  });
});

describe('repo.no-committed-secrets', () => {
  it('passes a clean history', () => {
    expect(run(repoNoCommittedSecrets)).toEqual([['pass', 'No live secrets in the git history (42 commits on every ref).']]);
  });

  it('fails each secret by commit, file and fingerprint; errors when git could not scan', () => {
    const hits = [{ kind: 'a Stripe live secret key', commit: '0123456789ab', file: 'lib/stripe.ts', fingerprint: 'sk_live_…len 32, sha256:aaaaaaaaaaaa' }];
    expect(run(repoNoCommittedSecrets, snap({ history: { ok: true, value: { commits: 3, hits } } }))).toEqual([
      ['fail', 'Commit 0123456789ab added a Stripe live secret key to lib/stripe.ts (sk_live_…len 32, sha256:aaaaaaaaaaaa): revoke it and purge it from history.'],
    ]);
    expect(run(repoNoCommittedSecrets, snap({ history: { ok: false, error: 'the history is larger than 1024 bytes of diff (targets repo.maxHistoryBytes)' } }))).toEqual([
      ['error', 'Could not scan the git history of /srv/chat (the history is larger than 1024 bytes of diff (targets repo.maxHistoryBytes)).'],
    ]);
  });
});

describe('repo.gitignore-env', () => {
  it('passes ignored, untracked env files', () => {
    expect(run(repoGitignoreEnv)).toEqual([['pass', '.env and .env.local are ignored by git and no env file other than the templates is tracked.']]);
  });

  it('fails an unignored or tracked env file', () => {
    const s = snap({ ignore: { ok: true, value: { ignored: { '.env': true, '.env.local': false }, trackedEnvFiles: ['apps/web/.env.production'] } } });
    expect(run(repoGitignoreEnv, s)).toEqual([
      ['fail', '.env and .env.local must be ignored by git and no env file but the templates tracked (found .env.local not ignored; apps/web/.env.production tracked).'],
    ]);
  });
});

describe('repo.env-example-complete', () => {
  it('passes a template documenting every var of the stack; extra local keys are fine', () => {
    expect(run(repoEnvExampleComplete)).toEqual([['pass', '.env.example documents all 3 env vars of the stack.']]);
  });

  it('fails missing keys or a missing file', () => {
    expect(run(repoEnvExampleComplete, snap({ envExample: { ok: true, value: ['NODE_ENV'] } }))).toEqual([
      ['fail', '.env.example must document every env var of the stack (found AUTH_SECRET, STRIPE_SECRET_KEY missing).'],
    ]);
    expect(run(repoEnvExampleComplete, snap({ envExample: { ok: true, value: null } }))).toEqual([
      ['fail', '.env.example must exist and document every env var of the stack (found no .env.example).'],
    ]);
  });
});

describe('repo.dependency-audit', () => {
  it('passes with only moderate and low advisories, skips a repo without package.json', () => {
    expect(run(repoDependencyAudit)).toEqual([['pass', 'Production dependencies have no high or critical advisories (found 0 critical, 0 high, 2 moderate, 1 low).']]);
    expect(run(repoDependencyAudit, snap({ audit: { notApplicable: '/srv/chat has no package.json: there are no npm dependencies to audit.' } }))).toEqual([
      ['skip', '/srv/chat has no package.json: there are no npm dependencies to audit.'],
    ]);
  });

  it('fails high or critical advisories, naming the packages; an audit that did not run is an error', () => {
    const serious = ['a (critical)', 'b (high)', 'c (high)', 'd (high)', 'e (high)', 'f (high)'];
    const s = snap({ audit: { ok: true, value: { counts: { critical: 1, high: 5, moderate: 0, low: 0, info: 0 }, serious, dependencies: 9 } } });
    expect(run(repoDependencyAudit, s)).toEqual([
      ['fail', 'Production dependencies must have no high or critical advisories (found 1 critical, 5 high, 0 moderate, 0 low: a (critical), b (high), c (high), d (high), e (high) and 1 more).'],
    ]);
    const offline = snap({ audit: { ok: false, error: 'npm audit failed: request to http://127.0.0.1:9/-/npm/v1/security/advisories/bulk failed, reason: connect ECONNREFUSED 127.0.0.1:9' } });
    expect(run(repoDependencyAudit, offline)).toEqual([
      ['error', 'Could not audit the npm dependencies (npm audit failed: request to http://127.0.0.1:9/-/npm/v1/security/advisories/bulk failed, reason: connect ECONNREFUSED 127.0.0.1:9).'],
    ]);
  });
});
