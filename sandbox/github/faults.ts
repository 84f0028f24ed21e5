import type { StackSpec } from '../../spec/index.js';
import type { GithubApiServer } from '../../test/fixtures/github-api/index.js';
import { FaultNotPlantableError } from '../fault.js';

/** Plants one CI control's fault on the repository the github sandbox seeded; each touches only what its control judges. */
export type GithubFault = (api: GithubApiServer, spec: StackSpec, live: { readonly sha: string; readonly branch: string }) => void;

function firstRequired(spec: StackSpec, control: string): string {
  const name = spec.ci?.requiredChecks[0];
  if (name === undefined) throw new FaultNotPlantableError(control, 'the stack lists no required check (prodcheck:ci.requiredChecks)');
  return name;
}

export const GITHUB_FAULTS: Readonly<Record<string, GithubFault>> = {
  // A red run of the first required check on the commit production serves: the Vercel deploy went out anyway.
  'ci.checks-passing': (api, spec, live) => {
    api.addCheckRun(live.sha, firstRequired(spec, 'ci.checks-passing'), 'completed', 'failure');
  },
  // Someone removed the first required check from the production branch's protection.
  'ci.required-checks': (api, spec, live) => {
    const name = firstRequired(spec, 'ci.required-checks');
    const p = api.state.protection.get(live.branch);
    if (p) api.setProtection(live.branch, { ...p, requiredChecks: (p.requiredChecks ?? []).filter((c) => c !== name) });
    api.setRulesetChecks(live.branch, (api.state.rulesets.get(live.branch) ?? []).filter((c) => c !== name));
  },
};
