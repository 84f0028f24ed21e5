import type { Check, Finding } from '../types.js';
import type { RepoSnapshot } from './collect.js';
import { IGNORED_ENV_FILES } from './collect.js';

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

export const repoNoCommittedSecrets: Check<RepoSnapshot> = {
  id: 'repo.no-committed-secrets',
  target: 'repo',
  evaluate(s) {
    if (!s.history.ok) return [{ status: 'error', message: `Could not scan the git history of ${s.path} (${s.history.error}).` }];
    const { commits, hits } = s.history.value;
    if (hits.length === 0) return [{ status: 'pass', message: `No live secrets in the git history (${plural(commits, 'commit')} on every ref).`, expected: 'no secrets', actual: 'none found' }];
    return hits.map((h): Finding => ({
      status: 'fail',
      resource: h.file,
      message: `Commit ${h.commit} added ${h.kind} to ${h.file} (${h.fingerprint}): revoke it and purge it from history.`,
      expected: 'no secrets',
      actual: `${h.kind.replace(/^an? /, '')} (${h.fingerprint})`,
    }));
  },
};

export const repoGitignoreEnv: Check<RepoSnapshot> = {
  id: 'repo.gitignore-env',
  target: 'repo',
  evaluate(s) {
    if (!s.ignore.ok) return [{ status: 'error', message: `Could not read the git ignore rules of ${s.path} (${s.ignore.error}).` }];
    const { ignored, trackedEnvFiles } = s.ignore.value;
    const names = IGNORED_ENV_FILES.join(' and ');
    const problems = [...IGNORED_ENV_FILES.filter((f) => !ignored[f]).map((f) => `${f} not ignored`), ...trackedEnvFiles.map((f) => `${f} tracked`)];
    const expected = `${names} ignored, no env file but the templates tracked`;
    return problems.length === 0
      ? [{ status: 'pass', message: `${names} are ignored by git and no env file other than the templates is tracked.`, expected, actual: expected }]
      : [{ status: 'fail', message: `${names} must be ignored by git and no env file but the templates tracked (found ${problems.join('; ')}).`, expected, actual: problems.join('; ') }];
  },
};

export const repoEnvExampleComplete: Check<RepoSnapshot> = {
  id: 'repo.env-example-complete',
  target: 'repo',
  evaluate(s, spec) {
    const keys = Object.keys(spec.env.vars).sort();
    if (keys.length === 0) return [{ status: 'skip', message: 'The stack declares no env vars (prodcheck:env.vars).' }];
    if (!s.envExample.ok) return [{ status: 'error', message: `Could not read .env.example (${s.envExample.error}).` }];
    const documented = s.envExample.value;
    const expected = `documents ${keys.join(', ')}`;
    if (documented === null) return [{ status: 'fail', message: '.env.example must exist and document every env var of the stack (found no .env.example).', expected, actual: 'no file' }];
    const missing = keys.filter((k) => !documented.includes(k));
    return missing.length === 0
      ? [{ status: 'pass', message: `.env.example documents all ${plural(keys.length, 'env var')} of the stack.`, expected, actual: expected }]
      : [{ status: 'fail', message: `.env.example must document every env var of the stack (found ${missing.join(', ')} missing).`, expected, actual: `missing ${missing.join(', ')}` }];
  },
};

const MAX_NAMED = 5;

export const repoDependencyAudit: Check<RepoSnapshot> = {
  id: 'repo.dependency-audit',
  target: 'repo',
  evaluate(s) {
    const a = s.audit;
    if ('notApplicable' in a) return [{ status: 'skip', message: a.notApplicable }];
    if (!a.ok) return [{ status: 'error', message: `Could not audit the npm dependencies (${a.error}).` }];
    const { counts, serious } = a.value;
    const expected = 'no high or critical advisories';
    const actual = `${counts.critical} critical, ${counts.high} high, ${counts.moderate} moderate, ${counts.low} low`;
    if (counts.critical + counts.high === 0) return [{ status: 'pass', message: `Production dependencies have no high or critical advisories (found ${actual}).`, expected, actual }];
    const named = serious.length > MAX_NAMED ? `${serious.slice(0, MAX_NAMED).join(', ')} and ${serious.length - MAX_NAMED} more` : serious.join(', ');
    return [{ status: 'fail', message: `Production dependencies must have no high or critical advisories (found ${actual}: ${named}).`, expected, actual }];
  },
};

export const REPO_CHECKS: readonly Check<RepoSnapshot>[] = [repoNoCommittedSecrets, repoGitignoreEnv, repoEnvExampleComplete, repoDependencyAudit];
