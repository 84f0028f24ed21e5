import { describe, expect, it } from 'vitest';
import { parseStackConfig, type StackSpec } from '../../../spec/index.js';
import { median, percentile, perfApiLatency, perfModelsCacheLatency, perfWebVitals, type PerfSnapshot, type VitalsRun } from '../../../verify/perf/index.js';
import { readRun } from '../../../verify/perf/lighthouse.js';
import type { Check } from '../../../verify/types.js';

export function perfStack(perf: Record<string, unknown>): StackSpec {
  return parseStackConfig({ 'prodcheck:app': { name: 'shop', domain: 'shop.example.com' }, 'prodcheck:perf': perf }, 'inline').spec;
}

const SPEC = perfStack({
  apiLatency: { routes: [{ path: '/api/models', p95Ms: 1000 }] },
  modelsCache: { path: '/api/models', p95Ms: 500 },
  webVitals: { pages: ['/'], runs: 3, budgets: { fcpMs: 1500, ttiMs: 3500 } },
});
const ok = <T>(value: T) => ({ ok: true as const, value });
const err = (error: string) => ({ ok: false as const, error });
const HOW = '20 sequential GETs on one kept-alive connection';
/** 20 samples: 1..19 ms and one slow outlier. */
const timing = (outlier: number, statuses: number[] = Array(20).fill(200)) => ok({ samplesMs: [...Array.from({ length: 19 }, (_, i) => i + 1), outlier], statuses, method: HOW });
const run = (v: Partial<VitalsRun> = {}): { ok: true; value: VitalsRun } => ok({ score: 0.98, lcpMs: 900, cls: 0.01, tbtMs: 40, fcpMs: 600, ttiMs: 1200, ...v });
const VITALS_HOW = 'Lighthouse desktop runs in headless Chromium, 3 per page, after every other probe';

function snapshot(part: Partial<PerfSnapshot> = {}): PerfSnapshot {
  return {
    origin: 'https://shop.example.com',
    apiLatency: [{ method: 'GET', path: '/api/models', timing: timing(30) }],
    modelsCache: { path: '/api/models', first: ok({ ms: 900, status: 200 }), timing: timing(30) },
    webVitals: ok({ pages: [{ path: '/', runs: [run(), run({ score: 0.95 }), run({ score: 0.99 })] }], method: VITALS_HOW }),
    ...part,
  };
}
const judge = (check: Check<PerfSnapshot>, part: Partial<PerfSnapshot> = {}, spec = SPEC) => check.evaluate(snapshot(part), spec).map((f) => [f.status, f.message]);

describe('percentile and median', () => {
  it('takes nearest-rank percentiles and the middle value', () => {
    const s = [...Array.from({ length: 19 }, (_, i) => i + 1), 500];
    expect([percentile(s, 50), percentile(s, 95), percentile(s, 100)]).toEqual([10, 19, 500]);
    expect([median([3, 1, 2]), median([4, 1, 2, 3])]).toEqual([2, 2.5]);
  });
});

describe('perf.api-latency', () => {
  it('passes a p95 within budget, with the method in the message', () => {
    expect(judge(perfApiLatency)).toEqual([['pass', `GET /api/models p95 is 19 ms (budget 1000 ms; n=20, p50 10 ms, p95 19 ms), measured with ${HOW}.`]]);
  });

  it('fails a p95 over budget', () => {
    const slow = ok({ samplesMs: Array.from({ length: 20 }, (_, i) => 1000 + i * 10), statuses: Array(20).fill(200), method: HOW });
    expect(judge(perfApiLatency, { apiLatency: [{ method: 'GET', path: '/api/models', timing: slow }] })).toEqual([
      ['fail', `GET /api/models p95 must be at most 1000 ms (found 1180 ms; n=20, p50 1090 ms, p95 1180 ms), measured with ${HOW}.`],
    ]);
  });

  it('errors on error answers, on a timing that failed, and on a route not measured; skips without a budget', () => {
    expect(judge(perfApiLatency, { apiLatency: [{ method: 'GET', path: '/api/models', timing: timing(30, [...Array(18).fill(200), 500, 500]) }] })).toEqual([
      ['error', 'Could not time GET /api/models: 2 of 20 answers were not 2xx/3xx (first: 500).'],
    ]);
    expect(judge(perfApiLatency, { apiLatency: [{ method: 'GET', path: '/api/models', timing: err('not measured: the measure phase did not finish') }] })).toEqual([
      ['error', 'Could not time GET /api/models: not measured: the measure phase did not finish.'],
    ]);
    expect(judge(perfApiLatency, { apiLatency: [] })).toEqual([['error', 'Could not time GET /api/models: it was not measured.']]);
    expect(judge(perfApiLatency, {}, perfStack({}))).toEqual([['skip', 'No API latency budget (spec perf.apiLatency is not set).']]);
  });
});

describe('perf.models-cache-latency', () => {
  it('passes cached answers within budget, however slow the first', () => {
    expect(judge(perfModelsCacheLatency)).toEqual([['pass', `Cached GET /api/models p95 is 19 ms (budget 500 ms; n=20, p50 10 ms, p95 19 ms; first request 900 ms), measured with ${HOW}.`]]);
  });

  it('fails when the cached answers are slow', () => {
    const slow = ok({ samplesMs: Array(20).fill(800), statuses: Array(20).fill(200), method: HOW });
    expect(judge(perfModelsCacheLatency, { modelsCache: { path: '/api/models', first: ok({ ms: 810, status: 200 }), timing: slow } })).toEqual([
      ['fail', `Cached GET /api/models p95 must be at most 500 ms (found 800 ms; n=20, p50 800 ms, p95 800 ms; first request 810 ms), measured with ${HOW}.`],
    ]);
  });

  it('errors when the first request got no answer; skips without a budget', () => {
    expect(judge(perfModelsCacheLatency, { modelsCache: { path: '/api/models', first: err('GET https://shop.example.com/api/models did not answer within 5000 ms'), timing: err('the first request got no answer') } })).toEqual([
      ['error', 'Could not time GET /api/models: GET https://shop.example.com/api/models did not answer within 5000 ms.'],
    ]);
    expect(judge(perfModelsCacheLatency, {}, perfStack({}))).toEqual([['skip', 'No cached model API budget (spec perf.modelsCache is not set).']]);
  });
});

describe('perf.web-vitals', () => {
  it('passes the median run within every budget', () => {
    expect(judge(perfWebVitals)).toEqual([['pass', `/ is within its web-vitals budget: score 98, LCP 0.90 s, CLS 0.010, TBT 40 ms, FCP 0.60 s, TTI 1.20 s (median of 3 runs; ${VITALS_HOW}).`]]);
  });

  it('fails the figures over budget, judged on the median of each', () => {
    const slow = (tbtMs: number, score: number) => run({ tbtMs, score, ttiMs: 4000 });
    expect(judge(perfWebVitals, { webVitals: ok({ pages: [{ path: '/', runs: [slow(1500, 0.6), slow(1400, 0.7), run()] }], method: VITALS_HOW }) })).toEqual([
      [
        'fail',
        `/ must be within its web-vitals budget (found score 70, budget ≥ 90; TBT 1400 ms, budget ≤ 200 ms; TTI 4.00 s, budget ≤ 3.50 s; all figures: score 70, LCP 0.90 s, CLS 0.010, TBT 1400 ms, FCP 0.60 s, TTI 4.00 s; median of 3 runs; ${VITALS_HOW}).`,
      ],
    ]);
    expect(judge(perfWebVitals, { webVitals: ok({ pages: [{ path: '/', runs: [run({ cls: 0.3, lcpMs: 4200 })] }], method: VITALS_HOW }) })[0]?.[1]).toMatch(
      /^\/ must be within its web-vitals budget \(found LCP 4\.20 s, budget ≤ 2\.50 s; CLS 0\.300, budget ≤ 0\.100; all figures/,
    );
  });

  it('judges on the runs that finished and says how many failed; a page with none is an error', () => {
    const runs = [run(), err('Lighthouse did not finish https://shop.example.com/ within 45000 ms')];
    expect(judge(perfWebVitals, { webVitals: ok({ pages: [{ path: '/', runs }], method: VITALS_HOW }) })[0]?.[1]).toBe(
      `/ is within its web-vitals budget: score 98, LCP 0.90 s, CLS 0.010, TBT 40 ms, FCP 0.60 s, TTI 1.20 s (median of 1 run; 1 failed: Lighthouse did not finish https://shop.example.com/ within 45000 ms; ${VITALS_HOW}).`,
    );
    expect(judge(perfWebVitals, { webVitals: ok({ pages: [{ path: '/', runs: [err('Lighthouse: NO_FCP (The page did not paint any content.)')] }], method: VITALS_HOW }) })).toEqual([
      ['error', 'Could not measure the web vitals of /: Lighthouse: NO_FCP (The page did not paint any content.).'],
    ]);
  });

  it('errors without a browser; skips without a budget', () => {
    expect(judge(perfWebVitals, { webVitals: err('no Chrome or Chromium found (looked at /usr/bin/chromium): install Chromium') })).toEqual([
      ['error', 'Could not run Lighthouse: no Chrome or Chromium found (looked at /usr/bin/chromium): install Chromium.'],
    ]);
    expect(judge(perfWebVitals, { webVitals: undefined }, perfStack({}))).toEqual([['skip', 'No web-vitals budget (spec perf.webVitals is not set): Lighthouse does not run.']]);
  });
});

describe('reading a Lighthouse result', () => {
  const lhr = (audits: Record<string, number | undefined>, score: number | null = 0.97) => ({
    categories: { performance: { score } },
    audits: Object.fromEntries(Object.entries(audits).map(([k, v]) => [k, v === undefined ? {} : { numericValue: v }])),
  });
  const all = { 'largest-contentful-paint': 800, 'cumulative-layout-shift': 0, 'total-blocking-time': 10, 'first-contentful-paint': 500, interactive: 900 };

  it('takes the figures, and never turns a missing one into zero', () => {
    expect(readRun(lhr(all))).toEqual(ok({ score: 0.97, lcpMs: 800, cls: 0, tbtMs: 10, fcpMs: 500, ttiMs: 900 }));
    expect(readRun(lhr({ ...all, 'largest-contentful-paint': undefined }, null))).toEqual(err('Lighthouse reported no performance score, LCP'));
    expect(readRun({ ...lhr(all), runtimeError: { code: 'ERRORED_DOCUMENT_REQUEST', message: 'Lighthouse was unable to reliably load the page (Status code: 503)' } })).toEqual(
      err('Lighthouse: ERRORED_DOCUMENT_REQUEST (Lighthouse was unable to reliably load the page (Status code: 503))'),
    );
  });
});

describe('spec perf', () => {
  const problems = (perf: Record<string, unknown>) => {
    try {
      perfStack(perf);
      return [];
    } catch (e) {
      return (e as { problems: { path: string; message: string }[] }).problems.map((p) => `${p.path}: ${p.message}`);
    }
  };

  it('applies sensible defaults', () => {
    expect(perfStack({ webVitals: {}, modelsCache: {} }).perf).toEqual({
      webVitals: { pages: ['/'], runs: 3, pageTimeoutMs: 45_000, formFactor: 'desktop', budgets: { performanceScore: 0.9, lcpMs: 2500, cls: 0.1, tbtMs: 200 } },
      modelsCache: { path: '/api/models', p95Ms: 500, samples: 20 },
    });
  });

  it('names the path of each mistake', () => {
    expect(problems({ apiLatency: { routes: [{ path: 'api', p95Ms: 0 }], samples: 5 }, webVitals: { runs: 0, budgets: { performanceScore: 90 } } })).toEqual([
      'prodcheck:perf.apiLatency.routes[0].path: must be a path starting with / (no query or fragment)',
      'prodcheck:perf.apiLatency.routes[0].p95Ms: must be > 0 (found 0)',
      'prodcheck:perf.apiLatency.samples: must be >= 20 (found 5)',
      'prodcheck:perf.webVitals.runs: must be >= 1 (found 0)',
      'prodcheck:perf.webVitals.budgets.performanceScore: must be <= 1 (found 90)',
    ]);
  });
});
