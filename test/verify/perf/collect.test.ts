import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppFault } from '../../../sandbox/app/faults.js';
import { startSampleApp, type SampleApp } from '../../../sandbox/app/server.js';
import { sampleAppTargets } from '../../../sandbox/http/index.js';
import { targetsSchema, type StackSpec } from '../../../spec/index.js';
import { Redactor } from '../../../report/redact.js';
import { perfCollector } from '../../../verify/perf/collect.js';
import { BROWSER_CANDIDATES, findBrowser } from '../../../verify/perf/lighthouse.js';
import { PERF_CHECKS } from '../../../verify/perf/checks.js';
import { LATENCY, sampleAppPerfStack } from './stack.js';

const VITALS = sampleAppPerfStack({ webVitals: { pages: ['/'], runs: 1 } });
const BROWSER = BROWSER_CANDIDATES.find((p) => {
  try {
    return findBrowser(p, {}) === p;
  } catch {
    return false;
  }
});

let app: SampleApp;
let dir: string;
let caFile: string;

beforeAll(async () => {
  app = await startSampleApp({ spec: LATENCY });
  dir = await mkdtemp(join(tmpdir(), 'prodcheck-perf-'));
  caFile = join(dir, 'ca.crt');
  await writeFile(caFile, app.caCert);
});

afterAll(async () => {
  await app?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** collect, then measure as the runner does, then every perf check: [control, status, message]. */
async function measure(spec: StackSpec, faults: AppFault[], perf: object = {}): Promise<[string, string, string][]> {
  await app.setFaults(faults);
  const targets = targetsSchema.parse({ http: sampleAppTargets(app, caFile), perf });
  const ctx = { spec, targets, active: false, redactor: new Redactor(), signal: new AbortController().signal };
  const collected = await perfCollector.collect(ctx);
  const snapshot = await perfCollector.measure!(collected, ctx);
  return PERF_CHECKS.flatMap((c) => c.evaluate(snapshot, spec).map((f): [string, string, string] => [c.id, f.status, f.message]));
}

describe('perf latency probes against the sample app', () => {
  it('pass a healthy app, with n, p50, p95 and the method in the message', async () => {
    const found = await measure(LATENCY, []);
    expect(found.map(([id, status]) => [id, status])).toEqual([
      ['perf.api-latency', 'pass'],
      ['perf.models-cache-latency', 'pass'],
      ['perf.web-vitals', 'skip'],
    ]);
    expect(found[0]?.[2]).toMatch(
      /^GET \/api\/health p95 is \d+ ms \(budget 400 ms; n=20, p50 \d+ ms, p95 \d+ ms\), measured with 20 sequential GETs on one kept-alive connection after 1 warm-up request, 25 ms apart, time to last byte, with no other probe running\.$/,
    );
    expect(found[1]?.[2]).toMatch(/^Cached GET \/api\/models p95 is \d+ ms \(budget 400 ms; n=20, p50 \d+ ms, p95 \d+ ms; first request \d+ ms\), measured with 20 cached GETs/);
    expect(found[2]?.[2]).toBe('No web-vitals budget (spec perf.webVitals is not set): Lighthouse does not run.');
  });

  it('fail a slow route and a model list rebuilt on every request', async () => {
    const found = await measure(LATENCY, ['slow-api', 'models-uncached']);
    expect(found.map(([id, status]) => [id, status])).toEqual([
      ['perf.api-latency', 'fail'],
      ['perf.models-cache-latency', 'fail'],
      ['perf.web-vitals', 'skip'],
    ]);
    expect(found[0]?.[2]).toMatch(/^GET \/api\/health p95 must be at most 400 ms \(found \d+ ms; n=\d+, p50 \d+ ms, p95 \d+ ms\), measured with \d+ sequential GETs/);
    expect(found[1]?.[2]).toMatch(/^Cached GET \/api\/models p95 must be at most 400 ms \(found \d+ ms; n=\d+, p50 \d+ ms, p95 \d+ ms; first request \d+ ms\)/);
  }, 60_000);

  it('errors when the app does not answer', async () => {
    const found = await measure(LATENCY, ['hang']);
    expect(found.slice(0, 2)).toEqual([
      ['perf.api-latency', 'error', expect.stringMatching(/^Could not time GET \/api\/health: GET https:\/\/shop\.example\.com\/api\/health did not answer within 5000 ms\.$/)],
      ['perf.models-cache-latency', 'error', 'Could not time GET /api/models: GET https://shop.example.com/api/models did not answer within 5000 ms.'],
    ]);
  }, 30_000);

  it('times only what a running check judges: with --only perf.api-latency no model-cache sampling and no browser', async () => {
    await app.setFaults([]);
    // Without the gate, the web-vitals probe would be there: a Lighthouse result, or an error naming the missing browser.
    const spec = sampleAppPerfStack({ apiLatency: { routes: [{ path: '/api/health', p95Ms: 400 }] }, modelsCache: { path: '/api/models', p95Ms: 400 }, webVitals: { pages: ['/'], runs: 1 } });
    const targets = targetsSchema.parse({ http: sampleAppTargets(app, caFile) });
    const ctx = { spec, targets, active: false, redactor: new Redactor(), signal: new AbortController().signal, runs: (id: string) => id === 'perf.api-latency' };
    const collected = await perfCollector.collect(ctx);
    const snapshot = await perfCollector.measure!(collected, ctx);
    expect(snapshot.apiLatency.map((a) => [a.path, a.timing.ok])).toEqual([['/api/health', true]]);
    // Left as collected ("not measured"): no check that reads them runs.
    expect([snapshot.modelsCache, snapshot.webVitals]).toEqual([collected.modelsCache, collected.webVitals]);
    expect(snapshot.modelsCache?.timing).toEqual({ ok: false, error: 'not measured: the measure phase did not finish' });
  }, 30_000);
});

describe('perf.web-vitals with Lighthouse in headless Chromium', () => {
  it('errors, naming how to install one, when the browser is missing', async () => {
    const found = await measure(VITALS, [], { chromePath: join(dir, 'no-chromium') });
    expect(found[2]).toEqual([
      'perf.web-vitals',
      'error',
      `Could not run Lighthouse: targets perf.chromePath ${join(dir, 'no-chromium')} does not exist: install Chromium (Debian/Ubuntu: apt-get install chromium) or point targets perf.chromePath (or $CHROME_PATH) at Chrome or Chromium.`,
    ]);
    expect(() => findBrowser(undefined, {}, () => false)).toThrow(
      `no Chrome or Chromium found (looked at ${BROWSER_CANDIDATES.join(', ')}): install Chromium (Debian/Ubuntu: apt-get install chromium) or point targets perf.chromePath (or $CHROME_PATH) at Chrome or Chromium`,
    );
    expect(() => findBrowser(undefined, { CHROME_PATH: '/opt/none/chrome' }, () => false)).toThrow(/^\$CHROME_PATH \/opt\/none\/chrome does not exist: install Chromium/);
    expect(findBrowser(undefined, { CHROME_PATH: '/opt/chrome' }, (p) => p === '/opt/chrome')).toBe('/opt/chrome');
  });

  it.runIf(BROWSER !== undefined)(
    'passes the sample page and fails it with a long main-thread task planted',
    async () => {
      const good = (await measure(VITALS, []))[2];
      expect(good?.slice(0, 2)).toEqual(['perf.web-vitals', 'pass']);
      expect(good?.[2]).toMatch(
        /^\/ is within its web-vitals budget: score (9\d|100), LCP \d+\.\d\d s, CLS \d\.\d{3}, TBT \d+ ms \(median of 1 run; Lighthouse desktop runs in headless Chromium, 1 per page, after every other probe; shop\.example\.com mapped to 127\.0\.0\.1:\d+; certificate errors ignored \(targets http\.caFile names a private CA\)\)\.$/,
      );
      const slow = (await measure(VITALS, ['slow-page']))[2];
      expect(slow?.slice(0, 2)).toEqual(['perf.web-vitals', 'fail']);
      expect(slow?.[2]).toMatch(/^\/ must be within its web-vitals budget \(found (score \d\d, budget ≥ 90; )?TBT \d{4} ms, budget ≤ 200 ms; all figures: /);
    },
    180_000,
  );
});
