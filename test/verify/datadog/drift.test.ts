import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Baseline } from '../../../drift/baseline.js';
import { driftFamilies } from '../../../drift/select.js';
import { main } from '../../../cli/main.js';
import { FAMILIES } from '../../../verify/registry.js';
import { captureIo } from '../../helpers/io.js';
import { startDatadogApi, type DatadogApiServer } from '../../fixtures/datadog-api/index.js';

const dir = mkdtempSync(join(tmpdir(), 'prodcheck-datadog-drift-'));
let api: DatadogApiServer;
const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  api = await startDatadogApi();
  api.submit('postgresql.connections', ['db:shop'], [[now() - 60, 12]]);
  api.submit('redis.net.clients', ['db:shop'], [[now() - 60, 3]]);
  api.addSlo({ name: 'Uptime', type: 'monitor', thresholds: [{ timeframe: '30d', target: 99.9 }], monitorIds: [1], monitorSli: 99.99 });
  writeFileSync(
    join(dir, 'Pulumi.live.yaml'),
    `config:
  prodcheck:app: { name: shop, domain: shop.example.com, canonicalHost: none }
  prodcheck:datadog:
    slos: [{ name: Uptime, target: 99.9%, monitorIds: [1] }]
    metrics: { series: { db: "avg:postgresql.connections{db:shop}", redis: "avg:redis.net.clients{db:shop}" } }
`,
  );
  writeFileSync(join(dir, 'targets.yaml'), `datadog:\n  apiKey: \${env:DD_API_KEY}\n  applicationKey: \${env:DD_APP_KEY}\n  baseUrl: ${api.url}\n`);
});
afterAll(async () => {
  await api.stop();
});

async function drift(...args: string[]) {
  const io = captureIo({ PATH: process.env.PATH, DD_API_KEY: api.apiKey, DD_APP_KEY: api.applicationKey }, dir);
  const code = await main(['drift', '--stack', 'live', '--targets', 'targets.yaml', '--baseline', 'baseline.json', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe('prodcheck drift on Datadog (stage D of monitoring.metrics)', () => {
  it('re-runs monitoring.metrics and not monitoring.slo, which has no D stage', () => {
    const ids = driftFamilies(FAMILIES).flatMap((f) => f.checks.map((c) => c.id));
    expect(ids).toContain('monitoring.metrics');
    expect(ids).not.toContain('monitoring.slo');
  });

  it('takes a baseline of the flowing series, then reports a series that stopped as a new failure', async () => {
    expect((await drift('--update-baseline')).code).toBe(0);
    const baseline = readFileSync(join(dir, 'baseline.json'), 'utf8');
    expect(baseline).not.toContain(api.apiKey);
    expect(baseline).not.toContain(api.applicationKey);
    const entries = (JSON.parse(baseline) as Baseline).entries.filter((e) => e.target === 'datadog');
    expect(entries.map((e) => [e.control, e.resource, e.status])).toEqual([
      ['monitoring.metrics', 'db', 'pass'],
      ['monitoring.metrics', 'redis', 'pass'],
    ]);
    // New points move the measurement (count, age), which is not drift.
    api.submit('postgresql.connections', ['db:shop'], [[now() - 5, 13]]);
    expect((await drift()).code).toBe(0);
    api.state.points = api.state.points.filter((p) => p.metric !== 'redis.net.clients');
    const r = await drift();
    expect(r.code).toBe(1);
    expect(r.out).toContain('**Drift: 1 new failure (exit 1).**');
    expect(r.out).toContain('- `monitoring.metrics [redis]` Infrastructure / app metrics collected: The Datadog series "redis" (avg:redis.net.clients{db:shop}) has no datapoint in the last 15 min: its metrics are not being collected. (baseline: pass)\n');
    expect(r.out + r.err).not.toContain(api.applicationKey);
  });
});
