import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StackSpec, Targets } from '../../../spec/index.js';
import { stackSpecSchema, targetsSchema } from '../../../spec/index.js';
import { Redactor } from '../../../report/redact.js';
import type { Report } from '../../../report/types.js';
import { runVerify } from '../../../verify/runner.js';
import { githubFamily } from '../../../verify/github/index.js';
import { startGithubApi, type GithubApiServer } from '../../fixtures/github-api/index.js';
import { startHostileApi } from '../../helpers/hostile-api.js';
import { startVercelApi, type VercelApiServer } from '../../fixtures/vercel-api/index.js';

const specWith = (over: Record<string, unknown> = {}): StackSpec =>
  stackSpecSchema.parse({
    app: { name: 'shop', domain: 'shop.example.com', canonicalHost: 'none' },
    vercel: { project: 'shop', git: { type: 'github', repo: 'acme/shop', productionBranch: 'main' } },
    ci: { requiredChecks: ['test', 'typecheck', 'ci/circleci: e2e'] },
    ...over,
  });

let gh: GithubApiServer;
let vercel: VercelApiServer;
let live: string;
let head: string;

beforeAll(async () => {
  [gh, vercel] = await Promise.all([startGithubApi({ owner: 'acme', repo: 'shop' }), startVercelApi({ project: { name: 'shop' } })]);
});
afterAll(async () => {
  await Promise.all([gh.stop(), vercel.stop()]);
});

/** Production serves `live`, one commit behind the head of main; both green; main requires all three. */
beforeEach(() => {
  for (const m of [gh.state.checkRuns, gh.state.statuses, gh.state.protection, gh.state.rulesets]) m.clear();
  for (const r of ['branch', 'check-runs', 'status', 'protection', 'rules'] as const) gh.allow(r);
  live = 'a'.repeat(40);
  head = gh.setBranch('main');
  for (const sha of [live, head]) {
    gh.addCheckRun(sha, 'test');
    gh.addCheckRun(sha, 'typecheck');
    gh.addStatus(sha, 'ci/circleci: e2e', 'success');
  }
  gh.setProtection('main', { requiredChecks: ['test', 'typecheck'], strict: true });
  gh.setRulesetChecks('main', ['ci/circleci: e2e']);
  vercel.state.deployments = [];
  vercel.addDeployment({ sha: live });
});

function targets(over: Record<string, unknown> = {}): Targets {
  return targetsSchema.parse({ github: { token: gh.token, baseUrl: gh.url, timeoutMs: 5_000 }, vercel: { token: vercel.token, baseUrl: vercel.url, timeoutMs: 5_000 }, ...over });
}

async function verify(t = targets(), spec = specWith()): Promise<Report> {
  return runVerify({ stack: 'test', spec, targets: t, families: [githubFamily as never], redactor: new Redactor(), select: () => true, active: false });
}
const messages = (r: Report, control: string) => r.results.filter((x) => x.control === control).map((x) => [x.status, x.message]);
const on = () => `the live commit aaaaaaa (the Vercel production deployment ${vercel.state.deployments[0]?.uid})`;

describe('ci.checks-passing: the checks of the commit production serves', () => {
  it('passes when every required check run and status succeeded on the live commit', async () => {
    expect(messages(await verify(), 'ci.checks-passing')).toEqual([
      ['pass', `The required check run "test" succeeded on ${on()}.`],
      ['pass', `The required check run "typecheck" succeeded on ${on()}.`],
      ['pass', `The required status "ci/circleci: e2e" succeeded on ${on()}.`],
    ]);
  });

  it('judges the live commit, not the branch head: a red live commit fails although main is green', async () => {
    gh.addCheckRun(live, 'test', 'completed', 'failure');
    expect(messages(await verify(), 'ci.checks-passing')[0]).toEqual(['fail', `The required check run "test" concluded "failure" on ${on()}, not "success".`]);
  });

  it('fails a check still running, a skipped run, a missing check and a failed status', async () => {
    gh.addCheckRun(live, 'test', 'in_progress');
    gh.addCheckRun(live, 'typecheck', 'completed', 'skipped');
    gh.addStatus(live, 'ci/circleci: e2e', 'error');
    expect(messages(await verify(), 'ci.checks-passing')).toEqual([
      ['fail', `The required check run "test" has not finished (in_progress) on ${on()}: production serves a commit CI has not passed yet.`],
      ['fail', `The required check run "typecheck" concluded "skipped" on ${on()}, not "success".`],
      ['fail', `The required status "ci/circleci: e2e" concluded "error" on ${on()}, not "success".`],
    ]);
    gh.state.checkRuns.set(live, []);
    expect(messages(await verify(), 'ci.checks-passing')[0]).toEqual(['fail', `The required check "test" did not run on ${on()}: production serves a commit it never judged.`]);
  });

  it('without a vercel target, judges the head of the production branch and says so', async () => {
    gh.addCheckRun(head, 'typecheck', 'completed', 'cancelled');
    const r = await verify(targets({ vercel: undefined }));
    expect(messages(r, 'ci.checks-passing')[1]).toEqual([
      'fail',
      `The required check run "typecheck" concluded "cancelled" on the live commit ${head.slice(0, 7)} (the head of main (no vercel target says which commit is live)), not "success".`,
    ]);
  });

  it('a production deployment without a git commit is an error, never a pass', async () => {
    vercel.state.deployments = [];
    vercel.addDeployment({ sha: '' });
    const [first] = messages(await verify(), 'ci.checks-passing');
    expect(first?.[0]).toBe('error');
    expect(first?.[1]).toMatch(/^Could not tell which commit of acme\/shop is live: the live Vercel production deployment dpl_\w+ carries no GitHub commit/);
  });

  it('a refused token is an error naming the fix, and the token is in no message', async () => {
    const r = await verify(targets({ github: { token: 'ghp_wrongwrongwrongwrong', baseUrl: gh.url } }));
    expect(messages(r, 'ci.checks-passing')).toEqual([
      ['error', 'github could not be reached: the GitHub API refused the token reading the branch main of acme/shop (HTTP 401: Bad credentials): set targets github.token to a valid token.'],
    ]);
    expect(r.results.find((x) => x.control === 'ci.required-checks')?.status).toBe('skip');
    expect(JSON.stringify(r)).not.toContain('ghp_wrongwrongwrongwrong');
  });

  it('a check-runs listing the token may not read is an error with the permission it needs', async () => {
    gh.refuse('check-runs', 403);
    expect(messages(await verify(), 'ci.checks-passing')).toEqual([
      [
        'error',
        `Could not read the checks of ${on()}: the GitHub API answered HTTP 403 (Resource not accessible by personal access token) reading the check runs of aaaaaaa: check the repository name, and that the token may read it (Checks: read).`,
      ],
    ]);
  });
});

describe('ci.required-checks: what the production branch requires before a merge', () => {
  it('passes when branch protection and rulesets together require every check', async () => {
    expect(messages(await verify(), 'ci.required-checks')).toEqual([
      ['pass', 'acme/shop@main requires "test" to pass before merging.'],
      ['pass', 'acme/shop@main requires "typecheck" to pass before merging.'],
      ['pass', 'acme/shop@main requires "ci/circleci: e2e" to pass before merging.'],
    ]);
  });

  it('fails a check the branch does not require, naming what is required', async () => {
    gh.setRulesetChecks('main', []);
    expect(messages(await verify(), 'ci.required-checks')[2]).toEqual(['fail', 'acme/shop@main does not require "ci/circleci: e2e" to pass before merging (required there: "test", "typecheck").']);
  });

  it('fails an unprotected production branch', async () => {
    gh.setProtection('main', null);
    gh.setRulesetChecks('main', []);
    expect(messages(await verify(), 'ci.required-checks')[0]).toEqual([
      'fail',
      'acme/shop@main is not protected: no branch protection or ruleset requires "test", so a red commit can be merged and deployed.',
    ]);
  });

  it('protection the token may not read is an error for the checks rulesets do not cover, a pass for those they do', async () => {
    gh.refuse('protection', 403);
    expect(messages(await verify(), 'ci.required-checks')).toEqual([
      [
        'error',
        'Could not tell whether acme/shop@main requires "test": could not read branch protection (the GitHub API answered HTTP 403 (Resource not accessible by personal access token) reading the protection of main: check the repository name, and that the token may read it (Administration: read)).',
      ],
      [
        'error',
        'Could not tell whether acme/shop@main requires "typecheck": could not read branch protection (the GitHub API answered HTTP 403 (Resource not accessible by personal access token) reading the protection of main: check the repository name, and that the token may read it (Administration: read)).',
      ],
      ['pass', 'acme/shop@main requires "ci/circleci: e2e" to pass before merging.'],
    ]);
  });
});

describe('a hostile GitHub API', () => {
  it('a flooding body ends as an error naming the cap; a hung API as an error within github.timeoutMs', async () => {
    const [flood, hung] = await Promise.all([startHostileApi(() => ({ kind: 'flood' })), startHostileApi(() => ({ kind: 'hang' }))]);
    try {
      const big = await verify(targets({ github: { token: gh.token, baseUrl: flood.url, timeoutMs: 60_000 } }));
      expect(messages(big, 'ci.checks-passing')).toEqual([
        ['error', 'github could not be reached: could not reach the GitHub API reading the branch main of acme/shop: the GitHub API answered with a body larger than 16777216 bytes: prodcheck reads no further.'],
      ]);
      const slow = await verify(targets({ github: { token: gh.token, baseUrl: hung.url, timeoutMs: 300 } }));
      expect(messages(slow, 'ci.checks-passing')).toEqual([['error', 'github could not be reached: could not reach the GitHub API reading the branch main of acme/shop: the GitHub API did not answer within 300 ms.']]);
    } finally {
      await Promise.all([flood.close(), hung.close()]);
    }
  });
});
