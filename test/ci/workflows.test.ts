import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workflowProblems } from './workflow-rules.js';

const DIR = resolve(import.meta.dirname, '../../.github/workflows');
const files = readdirSync(DIR).filter((f) => f.endsWith('.yml'));

describe('GitHub workflows', () => {
  it('are there: ci, drift and preview', () => {
    expect(files.sort()).toEqual(['ci.yml', 'drift.yml', 'preview.yml']);
  });

  it.each(files)('%s: Node 24 actions, Node 22/24, least permissions, OIDC, no injection', (file) => {
    expect(workflowProblems(file, readFileSync(join(DIR, file), 'utf8'))).toEqual([]);
  });

  it('the drift job can run on a runner inside the VPC, and says how', () => {
    const text = readFileSync(join(DIR, 'drift.yml'), 'utf8');
    expect(text).toContain(`runs-on: \${{ fromJSON(vars.DRIFT_RUNS_ON || '"ubuntu-latest"') }}`);
    expect(text).toContain('#   DRIFT_RUNS_ON = ["self-hosted", "prodcheck-vpc"]');
  });

  it('catches each planted fault with its own sentence', () => {
    const bad = `
on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v6
        with: { node-version: 20 }
      - uses: aws-actions/configure-aws-credentials@v5
        with: { role-to-assume: arn }
      - uses: pulumi/actions@v7
        with: { command: preview, comment-on-pr: true }
      - uses: someone/thing@v1
      - run: echo \${{ github.event.pull_request.title }}
      - run: gh issue list --json title --jq "map(select(.title == \\"$title\\"))"
        env: { AWS_ACCESS_KEY_ID: x }
`;
    expect(workflowProblems('bad.yml', bad)).toEqual([
      'bad.yml: no top-level permissions (the default token may write everything)',
      'bad.yml: long-lived AWS keys; assume a role through OIDC (aws-actions/configure-aws-credentials with role-to-assume)',
      'bad.yml job deploy: actions/checkout@v4 is not the Node 24 major (actions/checkout@v5)',
      'bad.yml job deploy: setup-node 20 is not Node 22 or 24',
      'bad.yml job deploy: assumes an AWS role without id-token: write',
      'bad.yml job deploy: comments on the pull request without pull-requests: write',
      'bad.yml job deploy: someone/thing is not a known Node 24 action; add its Node 24 major to NODE24_MAJORS',
      'bad.yml job deploy: an expression inside run: (echo ${{ github.event.pull_request.title }}); pass it through env: so it cannot inject shell',
      'bad.yml job deploy: a shell variable inside a jq filter; pass it with jq --arg',
    ]);
  });
});
