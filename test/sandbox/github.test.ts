import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { githubSandbox } from '../../sandbox/github/index.js';
import { loadStackFile, stackSpecSchema } from '../../spec/index.js';
import { githubFamily } from '../../verify/github/index.js';
import { failing, notPassing, startAndVerify, useSandboxContext } from './sandbox-context.js';

const spec = loadStackFile(fileURLToPath(new URL('../../Pulumi.prod.yaml', import.meta.url))).spec;
const ctx = useSandboxContext();

describe('github sandbox', () => {
  it('holds the repository with every required check green and required: all CI controls pass', async () => {
    const { report } = await startAndVerify(githubSandbox, githubFamily as never, spec, ctx());
    expect(notPassing(report)).toEqual([]);
    expect(report.results.map((r) => [r.control, r.resource])).toEqual([
      ...spec.ci!.requiredChecks.map((name) => ['ci.checks-passing', name]),
      ...spec.ci!.requiredChecks.map((name) => ['ci.required-checks', name]),
    ]);
  });

  it.each(githubSandbox.breakable)('plants %s so that exactly that control fails', async (control) => {
    const { report, running } = await startAndVerify(githubSandbox, githubFamily as never, spec, ctx(), [control]);
    expect(failing(report)).toEqual([control]);
    for (const secret of running.secrets) expect(JSON.stringify(report)).not.toContain(secret);
  });

  it('does not start for a stack without prodcheck:ci', () => {
    const { ci: _ci, ...rest } = spec;
    expect(githubSandbox.applies(stackSpecSchema.parse(rest))).toBe(false);
  });
});
