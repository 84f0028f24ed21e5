import type { Octokit } from '@octokit/rest';
import { ciRepository } from '../../spec/index.js';
import type { CollectContext, Collector, Probe } from '../types.js';
import { githubClient, read } from './client.js';
import type { LiveCommit } from './live-commit.js';
import { liveCommit } from './live-commit.js';
import { probe } from '../probe.js';

/** One check run or commit status on the live commit, reduced to what the CI checks judge. */
export interface CiCheck {
  readonly name: string;
  readonly kind: 'check run' | 'status';
  /** queued / in_progress / completed for a check run; pending / success / failure / error for a status. */
  readonly state: string;
  /** A completed check run's conclusion (success, failure, skipped…); a status's state. */
  readonly conclusion: string | null;
}

/** What branch protection and the active rulesets require of the production branch. */
export interface Protection {
  /** Status checks the classic branch protection requires; null: the branch is not protected that way. */
  readonly classic: readonly string[] | null;
  readonly rulesets: readonly string[];
}

export interface GithubSnapshot {
  readonly repository: string;
  readonly branch: string;
  readonly live: Probe<LiveCommit>;
  readonly checks: Probe<readonly CiCheck[]>;
  /** Classic protection and rulesets are read apart: a token may see one and not the other. */
  readonly classic: Probe<readonly string[] | null>;
  readonly rulesets: Probe<readonly string[]>;
}

/** Check runs read per page, and pages at most: a commit with more runs is an error, not a partial pass. */
const PER_PAGE = 100;
const MAX_PAGES = 5;

async function readChecks(gh: Octokit, owner: string, repo: string, sha: string): Promise<CiCheck[]> {
  const runs: CiCheck[] = [];
  for (let page = 1; ; page++) {
    if (page > MAX_PAGES) throw new Error(`the commit ${sha.slice(0, 7)} has more than ${PER_PAGE * MAX_PAGES} check runs: prodcheck reads no further, so it cannot say all are green`);
    const r = await read(`the check runs of ${sha.slice(0, 7)}`, 'Checks: read', () => gh.rest.checks.listForRef({ owner, repo, ref: sha, filter: 'latest', per_page: PER_PAGE, page }));
    runs.push(...r.check_runs.map((c): CiCheck => ({ name: c.name, kind: 'check run', state: c.status, conclusion: c.status === 'completed' ? (c.conclusion ?? null) : null })));
    if (r.check_runs.length < PER_PAGE || runs.length >= r.total_count) break;
  }
  const combined = await read(`the commit statuses of ${sha.slice(0, 7)}`, 'Commit statuses: read', () => gh.rest.repos.getCombinedStatusForRef({ owner, repo, ref: sha, per_page: PER_PAGE }));
  if (combined.total_count > combined.statuses.length) {
    throw new Error(`the commit ${sha.slice(0, 7)} has ${combined.total_count} status contexts, more than prodcheck reads (${PER_PAGE}), so it cannot say all are green`);
  }
  const statuses = combined.statuses.map((st): CiCheck => ({ name: st.context, kind: 'status', state: st.state, conclusion: st.state }));
  return [...runs, ...statuses];
}

async function readClassic(gh: Octokit, owner: string, repo: string, branch: string): Promise<readonly string[] | null> {
  try {
    const p = await read(`the protection of ${branch}`, 'Administration: read', () => gh.rest.repos.getBranchProtection({ owner, repo, branch }));
    const rsc = p.required_status_checks;
    if (!rsc) return [];
    return [...new Set([...(rsc.contexts ?? []), ...(rsc.checks ?? []).map((c) => c.context)])];
  } catch (e) {
    // GitHub's answer for an unprotected branch; any other 404 (no access) stays an error.
    if ((e as { apiMessage?: unknown }).apiMessage === 'Branch not protected') return null;
    throw e;
  }
}

async function readRulesets(gh: Octokit, owner: string, repo: string, branch: string): Promise<readonly string[]> {
  const rules = await read(`the rules that apply to ${branch}`, 'Metadata: read', () => gh.rest.repos.getBranchRules({ owner, repo, branch, per_page: PER_PAGE }));
  const contexts = rules.flatMap((r) => (r.type === 'required_status_checks' ? (r.parameters?.required_status_checks ?? []).map((c) => c.context) : []));
  return [...new Set(contexts)];
}

export const githubCollector: Collector<GithubSnapshot> = {
  target: 'github',
  applies(spec, targets) {
    if (!spec.ci) return 'The stack has no prodcheck:ci section.';
    if (!targets.github) return 'No github entry in the targets file (token).';
    return undefined;
  },
  async collect(ctx: CollectContext): Promise<GithubSnapshot> {
    const target = ctx.targets.github;
    const where = ciRepository(ctx.spec);
    if (!target || !where) throw new Error('the github family runs only when applies() found its spec and target');
    ctx.redactor.add(target.token);
    const gh = await githubClient(target, ctx.signal);
    const repository = `${where.owner}/${where.repo}`;
    // Reaching the production branch proves the token, the repository and the branch: nothing else is worth asking otherwise.
    const head = await read(`the branch ${where.branch} of ${repository}`, 'Contents: read', () => gh.rest.repos.getBranch({ owner: where.owner, repo: where.repo, branch: where.branch }));
    const [live, classic, rulesets] = await Promise.all([
      probe(() => liveCommit({ ...where, head: head.commit.sha }, ctx.spec, ctx.targets, ctx.signal)),
      probe(() => readClassic(gh, where.owner, where.repo, where.branch)),
      probe(() => readRulesets(gh, where.owner, where.repo, where.branch)),
    ]);
    const checks: Probe<readonly CiCheck[]> = live.ok ? await probe(() => readChecks(gh, where.owner, where.repo, live.value.sha)) : { ok: false, error: `the live commit is unknown (${live.error})` };
    return { repository, branch: where.branch, live, checks, classic, rulesets };
  },
};
