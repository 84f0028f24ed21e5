import { textList } from './lib/config.js';
import { resourcePolicy } from './lib/define.js';
import { TYPES } from './lib/resources.js';
import { asList, asMap, asStringList, isUnknown } from './lib/values.js';

export const ciRequiredChecks = resourcePolicy({
  id: 'ci.required-checks',
  remediation: 'Require the CI jobs on the production branch: github.BranchProtection requiredStatusChecks[].contexts must list them.',
  types: [TYPES.branchProtection],
  config: { checks: textList(['test', 'gate'], 'Status checks every merge must pass (the jobs of ci.yml and preview.yml).') },
  check(r, config) {
    const blocks = asList(r.props.requiredStatusChecks);
    if (isUnknown(blocks)) return [];
    const contexts = new Set<string>();
    for (const block of blocks ?? []) {
      const m = asMap(block);
      if (isUnknown(m)) return [];
      const list = asStringList(m?.contexts);
      if (isUnknown(list)) return [];
      for (const c of list ?? []) contexts.add(c);
    }
    const missing = config.checks.filter((c) => !contexts.has(c));
    return missing.length > 0 ? [`requiredStatusChecks must include ${missing.join(', ')} (found ${[...contexts].join(', ') || 'none'})`] : [];
  },
});

export const REPO_POLICIES = [ciRequiredChecks];
