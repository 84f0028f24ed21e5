import type { Check, Finding } from '../types.js';
import type { CiCheck, GithubSnapshot } from './collect.js';

const list = (names: readonly string[]) => (names.length === 0 ? 'none' : names.map((n) => `"${n}"`).join(', '));
const short = (sha: string) => sha.slice(0, 7);

/** The run or status that answers for a required check: a check run of that name first, then a status context. */
function answerFor(checks: readonly CiCheck[], name: string): CiCheck | undefined {
  return checks.find((c) => c.kind === 'check run' && c.name === name) ?? checks.find((c) => c.kind === 'status' && c.name === name);
}

function judgeOne(name: string, c: CiCheck | undefined, on: string): Finding {
  const resource = name;
  if (!c) return { status: 'fail', resource, message: `The required check "${name}" did not run on ${on}: production serves a commit it never judged.`, expected: 'success', actual: 'absent' };
  const what = `The required ${c.kind} "${name}"`;
  if (c.kind === 'check run' && c.state !== 'completed') {
    return { status: 'fail', resource, message: `${what} has not finished (${c.state}) on ${on}: production serves a commit CI has not passed yet.`, expected: 'success', actual: c.state };
  }
  if (c.kind === 'status' && c.state === 'pending') {
    return { status: 'fail', resource, message: `${what} is still pending on ${on}: production serves a commit CI has not passed yet.`, expected: 'success', actual: 'pending' };
  }
  const outcome = c.conclusion ?? 'none';
  if (outcome === 'success') return { status: 'pass', resource, message: `${what} succeeded on ${on}.`, expected: 'success', actual: 'success' };
  // A skipped or neutral run passes GitHub's merge gate but proves nothing about this commit.
  return { status: 'fail', resource, message: `${what} concluded "${outcome}" on ${on}, not "success".`, expected: 'success', actual: outcome };
}

export const ciChecksPassing: Check<GithubSnapshot> = {
  id: 'ci.checks-passing',
  target: 'github',
  connectivity: true,
  evaluate(s, spec) {
    const required = spec.ci?.requiredChecks ?? [];
    if (!s.live.ok) return [{ status: 'error', message: `Could not tell which commit of ${s.repository} is live: ${s.live.error}.` }];
    const on = `the live commit ${short(s.live.value.sha)} (${s.live.value.source})`;
    if (!s.checks.ok) return [{ status: 'error', message: `Could not read the checks of ${on}: ${s.checks.error}.` }];
    const checks = s.checks.value;
    return required.map((name) => judgeOne(name, answerFor(checks, name), on));
  },
};

export const ciRequiredChecks: Check<GithubSnapshot> = {
  id: 'ci.required-checks',
  target: 'github',
  evaluate(s, spec) {
    const required = spec.ci?.requiredChecks ?? [];
    const where = `${s.repository}@${s.branch}`;
    const seen = new Set([...(s.classic.ok ? (s.classic.value ?? []) : []), ...(s.rulesets.ok ? s.rulesets.value : [])]);
    const unread = [...(s.classic.ok ? [] : [`branch protection (${s.classic.error})`]), ...(s.rulesets.ok ? [] : [`rulesets (${s.rulesets.error})`])];
    const enforced = `required there: ${list([...seen])}`;
    return required.map((name): Finding => {
      const resource = name;
      if (seen.has(name)) return { status: 'pass', resource, message: `${where} requires "${name}" to pass before merging.`, expected: 'required', actual: 'required' };
      // What could not be read might require it: never a finding on half the evidence.
      if (unread.length > 0) return { status: 'error', resource, message: `Could not tell whether ${where} requires "${name}": could not read ${unread.join(' or ')}.` };
      if (s.classic.ok && s.classic.value === null && seen.size === 0) {
        return { status: 'fail', resource, message: `${where} is not protected: no branch protection or ruleset requires "${name}", so a red commit can be merged and deployed.`, expected: 'required', actual: 'not protected' };
      }
      return { status: 'fail', resource, message: `${where} does not require "${name}" to pass before merging (${enforced}).`, expected: 'required', actual: 'not required' };
    });
  },
};

export const GITHUB_CHECKS: readonly Check<GithubSnapshot>[] = [ciChecksPassing, ciRequiredChecks];
