import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Baseline } from '../../../drift/baseline.js';
import { main } from '../../../cli/main.js';
import { captureIo } from '../../helpers/io.js';
import { startChecklyApi, type ChecklyApiServer, type FakeCheck } from '../../fixtures/checkly-api/index.js';

const dir = mkdtempSync(join(tmpdir(), 'prodcheck-checkly-drift-'));
let api: ChecklyApiServer;
let check: FakeCheck;

beforeAll(async () => {
  api = await startChecklyApi();
  const channel = api.addEmailChannel('oncall@example.com');
  check = api.addCheck({ name: 'shop health', url: 'https://shop.example.com/api/health', subscriptions: [{ alertChannelId: channel.id, activated: true }] });
  writeFileSync(join(dir, 'Pulumi.live.yaml'), 'config:\n  prodcheck:app: { name: shop, domain: shop.example.com, canonicalHost: none }\n  prodcheck:uptime: { alertEmail: oncall@example.com }\n');
  writeFileSync(join(dir, 'targets.yaml'), `checkly:\n  accountId: ${api.accountId}\n  apiKey: \${env:CHECKLY_API_KEY}\n  baseUrl: ${api.url}\n`);
});
afterAll(async () => {
  await api.stop();
});

async function drift(...args: string[]) {
  const io = captureIo({ PATH: process.env.PATH, CHECKLY_API_KEY: api.apiKey }, dir);
  const code = await main(['drift', '--stack', 'live', '--targets', 'targets.yaml', '--baseline', 'baseline.json', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe('prodcheck drift on the Checkly uptime check (stage D of monitoring.uptime)', () => {
  it('takes a baseline with the passing check, then reports the check switched off as a new failure', async () => {
    expect((await drift('--update-baseline')).code).toBe(0);
    const baseline = readFileSync(join(dir, 'baseline.json'), 'utf8');
    expect(baseline).not.toContain(api.apiKey);
    const entries = (JSON.parse(baseline) as Baseline).entries.filter((e) => e.target === 'checkly');
    // monitoring.status-page has no D stage: drift does not re-run it.
    expect(entries.map((e) => [e.control, e.status])).toEqual([['monitoring.uptime', 'pass']]);
    expect((await drift()).code).toBe(0);
    check.activated = false;
    const r = await drift();
    expect(r.code).toBe(1);
    expect(r.out).toContain('**Drift: 1 new failure (exit 1).**');
    expect(r.out).toContain(`- \`monitoring.uptime [${check.id}]\` External uptime monitor: The Checkly check "shop health" on https://shop.example.com/api/health is deactivated: it runs nowhere. (baseline: pass)\n`);
    expect(r.out + r.err).not.toContain(api.apiKey);
  });
});
