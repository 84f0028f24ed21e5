import { ciRepository } from '../spec/index.js';
import { text, textList } from './lib/config.js';
import { resourcePolicy } from './lib/define.js';
import { TYPES } from './lib/resources.js';
import { asList, asMap, asString, asStringList, isUnknown } from './lib/values.js';

export const ciRequiredChecks = resourcePolicy({
  id: 'ci.required-checks',
  remediation: 'Require the CI jobs on the production branch: github.BranchProtection requiredStatusChecks[].contexts must list them.',
  types: [TYPES.branchProtection],
  config: {
    checks: textList(['test', 'gate'], 'Status checks every merge must pass (the jobs of ci.yml and preview.yml).'),
    branch: text('main', 'The production branch: protections of other branches are not judged.'),
  },
  fromSpec: (spec, defaults) => {
    const repo = ciRepository(spec);
    return { checks: spec.ci?.requiredChecks ?? defaults.checks, branch: repo?.branch ?? defaults.branch };
  },
  check(r, config) {
    const pattern = asString(r.props.pattern);
    if (isUnknown(pattern) || (pattern !== undefined && pattern !== config.branch)) return [];
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
