import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checklySandbox } from '../../sandbox/checkly/index.js';
import { loadStackFile } from '../../spec/index.js';
import { checklyFamily } from '../../verify/checkly/index.js';
import { failing, notPassing, startAndVerify, useSandboxContext } from './sandbox-context.js';

const spec = loadStackFile(fileURLToPath(new URL('../../Pulumi.prod.yaml', import.meta.url))).spec;
const ctx = useSandboxContext();

describe('checkly sandbox', () => {
  it('holds a passing, alerting check on the production health URL and the public status page that shows it', async () => {
    const { report } = await startAndVerify(checklySandbox, checklyFamily as never, spec, ctx());
    expect(notPassing(report)).toEqual([]);
    expect(report.results.map((r) => [r.control, r.status, r.message])).toEqual([
      ['monitoring.uptime', 'pass', 'The Checkly check "chat health" calls https://chat.example.com/api/health every 5 min from 2 locations, alerts 1 channel, and its latest run (within the last 15 min) passed.'],
      ['monitoring.status-page', 'pass', 'The status page https://status.chat.example.com/ answers 200 and shows "chat health".'],
    ]);
  });

  it.each(checklySandbox.breakable)('plants %s so that exactly that control fails', async (control) => {
    const { report, running: { secrets } } = await startAndVerify(checklySandbox, checklyFamily as never, spec, ctx(), [control]);
    expect(failing(report)).toEqual([control]);
    for (const secret of secrets) expect(JSON.stringify(report)).not.toContain(secret);
  });
});
