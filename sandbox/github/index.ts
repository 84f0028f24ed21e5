import { randomBytes } from 'node:crypto';
import type { StackSpec } from '../../spec/index.js';
import { ciRepository } from '../../spec/index.js';
import { startGithubApi } from '../../test/fixtures/github-api/index.js';
import { plantFault } from '../fault.js';
import type { SandboxContext, SandboxFamily, SandboxRunning } from '../types.js';
import { GITHUB_FAULTS } from './faults.js';

export { GITHUB_FAULTS } from './faults.js';

/** The output that tells the Vercel sandbox which commit its live production deployment was built from. */
export const LIVE_SHA_OUTPUT = 'github.liveSha';

/**
 * The local GitHub API holding the repository the stack deploys from: the production branch at the live
 * commit, every required check green on it (as check runs, the way GitHub Actions reports jobs), and
 * branch protection requiring them. Phase 1, so the Vercel sandbox can deploy that commit.
 */
export const githubSandbox: SandboxFamily = {
  name: 'github',
  phase: 1,
  applies: (spec) => spec.ci !== undefined && ciRepository(spec) !== undefined,
  breakable: Object.keys(GITHUB_FAULTS),
  async start(spec: StackSpec, ctx: SandboxContext, breaks: ReadonlySet<string>): Promise<SandboxRunning> {
    const where = ciRepository(spec);
    if (!spec.ci || !where) throw new Error('the github sandbox started for a stack without a prodcheck:ci section (applies() says so)');
    const api = await startGithubApi({ owner: where.owner, repo: where.repo, token: `ghp_${randomBytes(27).toString('base64url')}` });
    try {
      const sha = api.setBranch(where.branch);
      for (const name of spec.ci.requiredChecks) api.addCheckRun(sha, name);
      api.setProtection(where.branch, { requiredChecks: [...spec.ci.requiredChecks], strict: true });
      for (const control of breaks) {
        await plantFault(control, () => GITHUB_FAULTS[control]?.(api, spec, { sha, branch: where.branch }));
        ctx.log(`github: planted the ${control} fault`);
      }
      return {
        targets: { github: { token: api.token, baseUrl: api.url, timeoutMs: 10_000 } },
        secrets: [api.token],
        outputs: { [LIVE_SHA_OUTPUT]: sha },
        describe: [`github    ${api.url} (local GitHub API, ${where.owner}/${where.repo}@${where.branch}) — the token is in the targets file`],
        stop: () => api.stop(),
      };
    } catch (e) {
      await api.stop();
      throw e;
    }
  },
};
