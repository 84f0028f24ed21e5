import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { litellmSandbox } from '../../sandbox/litellm/index.js';
import { loadStackFile } from '../../spec/index.js';
import { litellmFamily } from '../../verify/litellm/index.js';
import { failing, notPassing, startAndVerify, useSandboxContext } from './sandbox-context.js';

// The llm-gateway profile's proxy alone; its registry row (with Postgres) is exercised by test/sandbox/run.test.ts.
const spec = loadStackFile(fileURLToPath(new URL('../../examples/Pulumi.llm-gateway.yaml', import.meta.url))).spec;
const ctx = useSandboxContext();
const proxyFaults = litellmSandbox.breakable.filter((c) => c !== 'llm.litellm.registry');

describe('litellm sandbox (llm-gateway profile)', () => {
  it('serves the stack models, ready and with working provider keys', async () => {
    const { report } = await startAndVerify(litellmSandbox, litellmFamily as never, spec, ctx());
    expect(notPassing(report)).toEqual([]);
    expect(report.results.map((r) => [r.control, r.resource ?? '', r.status])).toEqual([
      ['llm.litellm.server', 'liveliness', 'pass'],
      ['llm.litellm.server', 'readiness', 'pass'],
      ['llm.litellm.models', '', 'pass'],
      ['llm.litellm.provider-keys', '', 'pass'],
    ]);
  });

  it.each(proxyFaults)('plants %s so that exactly that control fails', async (control) => {
    const { report, running } = await startAndVerify(litellmSandbox, litellmFamily as never, spec, ctx(), [control]);
    expect(failing(report)).toEqual([control]);
    for (const secret of running.secrets) expect(JSON.stringify(report)).not.toContain(secret);
  });

  it('refuses the registry fault without a Postgres to hold the table', async () => {
    await expect(litellmSandbox.start({ ...spec, postgres: undefined }, ctx(), new Set(['llm.litellm.registry']))).rejects.toThrow(
      '--break llm.litellm.registry: llm.litellm.registry: cannot plant a fault: the stack has no prodcheck:postgres section to hold the servers table',
    );
  });
});
