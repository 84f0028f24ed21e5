import { parse } from 'yaml';

/** Each action's first major that runs on Node 24 (runs.using: node24): older majors run on Node 20, removed from the runners. */
export const NODE24_MAJORS: Readonly<Record<string, number>> = {
  'actions/checkout': 5,
  'actions/setup-node': 6,
  'actions/upload-artifact': 6,
  'aws-actions/configure-aws-credentials': 5,
  'github/codeql-action/upload-sarif': 4,
  'pulumi/actions': 7,
};
const NODE_MAJORS = ['22', '24'];
const LONG_LIVED_AWS = /AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY/;

interface Step {
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
}
interface Job {
  readonly permissions?: Record<string, string> | string;
  readonly steps?: readonly Step[];
  readonly strategy?: { matrix?: Record<string, unknown> };
}
interface Workflow {
  readonly permissions?: Record<string, string> | string;
  readonly jobs: Record<string, Job>;
}

/** Every way a workflow breaks the rules of the README's CI section, one sentence each. */
export function workflowProblems(name: string, text: string): string[] {
  const wf = parse(text) as Workflow;
  const problems: string[] = [];
  if (wf.permissions === undefined) problems.push(`${name}: no top-level permissions (the default token may write everything)`);
  if (LONG_LIVED_AWS.test(text)) problems.push(`${name}: long-lived AWS keys; assume a role through OIDC (aws-actions/configure-aws-credentials with role-to-assume)`);
  for (const [jobName, job] of Object.entries(wf.jobs)) {
    const where = `${name} job ${jobName}`;
    const perms = typeof job.permissions === 'object' ? job.permissions : typeof wf.permissions === 'object' ? wf.permissions : {};
    for (const step of job.steps ?? []) {
      if (step.uses) {
        const [action = '', ref = ''] = step.uses.split('@');
        const want = NODE24_MAJORS[action];
        const major = Number(/^v(\d+)/.exec(ref)?.[1]);
        if (want === undefined) problems.push(`${where}: ${action} is not a known Node 24 action; add its Node 24 major to NODE24_MAJORS`);
        else if (major !== want) problems.push(`${where}: ${step.uses} is not the Node 24 major (${action}@v${want})`);
        if (action === 'actions/setup-node') {
          const version = String(step.with?.['node-version'] ?? '');
          const versions = version.includes('matrix.') ? ((job.strategy?.matrix?.node as unknown[] | undefined) ?? []).map(String) : [version];
          if (versions.length === 0 || versions.some((v) => !NODE_MAJORS.includes(v))) problems.push(`${where}: setup-node ${version} is not Node 22 or 24`);
        }
        if (action === 'aws-actions/configure-aws-credentials' && perms['id-token'] !== 'write') problems.push(`${where}: assumes an AWS role without id-token: write`);
        if (action === 'pulumi/actions' && String(step.with?.['comment-on-pr']) === 'true' && perms['pull-requests'] !== 'write') problems.push(`${where}: comments on the pull request without pull-requests: write`);
      }
      if (step.run?.includes('${{')) problems.push(`${where}: an expression inside run: (${step.run.split('\n')[0]}); pass it through env: so it cannot inject shell`);
      if (step.run && /--jq\s+"(?:[^"\\]|\\.)*\$/.test(step.run)) problems.push(`${where}: a shell variable inside a jq filter; pass it with jq --arg`);
    }
  }
  return problems;
}
