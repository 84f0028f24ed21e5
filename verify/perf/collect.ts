import type { StackSpec, Targets } from '../../spec/index.js';
import { appUrl } from '../../spec/index.js';
import { Site } from '../http/site.js';
import type { CollectContext, Collector, Probe } from '../types.js';
import { findBrowser, LighthouseRunner } from './lighthouse.js';
import { RouteTimer } from './latency.js';
import type { PageVitals, PerfSnapshot, Timing, VitalsRun } from './snapshot.js';

const NOT_MEASURED = { ok: false, error: 'not measured: the measure phase did not finish' } as const;

/**
 * Everything measure() does ends within this: the runner gives a target's measure phase 60 s and keeps
 * nothing of one that overruns. The latencies go first (each route within its own budget), then the
 * web-vitals runs, in rounds (run 1 of every page, then run 2), each cut to the time left.
 */
export const MEASURE_BUDGET_MS = 55_000;
/** A Lighthouse run given less than this would only time out: it is not started. */
export const MIN_RUN_MS = 8_000;

export const perfCollector: Collector<PerfSnapshot> = {
  target: 'perf',
  applies(spec: StackSpec, targets: Targets) {
    if (!spec.perf) return 'The stack has no prodcheck:perf section.';
    return targets.http ? undefined : 'The targets file has no http section (the perf family reaches the app through it).';
  },
  // Nothing is timed while the other targets are being collected: every figure comes from measure().
  collect(ctx: CollectContext): Promise<PerfSnapshot> {
    const { spec } = ctx;
    const p = spec.perf;
    return Promise.resolve({
      origin: new URL(ctx.targets.http?.baseUrl ?? appUrl(spec.app)).origin,
      apiLatency: (p?.apiLatency?.routes ?? []).map((r) => ({ method: r.method, path: r.path, timing: NOT_MEASURED })),
      ...(p?.modelsCache ? { modelsCache: { path: p.modelsCache.path, first: NOT_MEASURED, timing: NOT_MEASURED } } : {}),
      ...(p?.webVitals ? { webVitals: NOT_MEASURED } : {}),
    });
  },
  async measure(snapshot: PerfSnapshot, ctx: CollectContext): Promise<PerfSnapshot> {
    const p = ctx.spec.perf;
    const t = ctx.targets.http;
    if (!p || !t) return snapshot;
    // Only what a running check judges is timed: `--only perf.api-latency` launches no browser.
    const runs = (control: string) => ctx.runs?.(control) ?? true;
    const end = performance.now() + MEASURE_BUDGET_MS;
    const site = await Site.open(ctx.spec, t, ctx.redactor, ctx.signal);
    const clean = (e: unknown) => ctx.redactor.redact((e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '');
    const attempt = async <T>(run: () => Promise<T>): Promise<Probe<T>> => {
      try {
        return { ok: true, value: await run() };
      } catch (e) {
        return { ok: false, error: clean(e) };
      }
    };
    const timer = new RouteTimer(site);
    try {
      const apiLatency: PerfSnapshot['apiLatency'][number][] = [];
      for (const r of runs('perf.api-latency') ? (p.apiLatency?.routes ?? []) : []) {
        const plan = { method: r.method, path: r.path, samples: p.apiLatency?.samples ?? 20, warmup: p.apiLatency?.warmup ?? 0, intervalMs: p.apiLatency?.intervalMs ?? 0 };
        apiLatency.push({ method: r.method, path: r.path, timing: await attempt(() => timer.sample(plan)) });
      }
      let modelsCache = snapshot.modelsCache;
      if (p.modelsCache && runs('perf.models-cache-latency')) {
        const { path, samples } = p.modelsCache;
        // The first answer may have filled the cache; every later one must come from it.
        const first = await attempt(() => timer.once('GET', path));
        const timing: Probe<Timing> = first.ok ? await attempt(() => timer.sample({ method: 'GET', path, samples, warmup: 0, intervalMs: 25 }, 'cached')) : { ok: false, error: 'the first request got no answer' };
        modelsCache = { path, first, timing };
      }
      timer.close();
      const webVitals = p.webVitals && runs('perf.web-vitals') ? await attempt(() => measureVitals(site, t, p.webVitals!, ctx, end)) : undefined;
      return { ...snapshot, apiLatency, ...(modelsCache ? { modelsCache } : {}), ...(webVitals ? { webVitals } : {}) };
    } finally {
      timer.close();
    }
  },
};

type WebVitalsSpec = NonNullable<NonNullable<StackSpec['perf']>['webVitals']>;
type HttpTargets = NonNullable<Targets['http']>;

async function measureVitals(site: Site, t: HttpTargets, w: WebVitalsSpec, ctx: CollectContext, end: number): Promise<{ pages: PageVitals[]; method: string }> {
  const chromePath = findBrowser(ctx.targets.perf?.chromePath, process.env);
  const { flags, notes } = browserFlags(site, t);
  const runner = new LighthouseRunner({ chromePath, extraFlags: flags, formFactor: w.formFactor, pageTimeoutMs: w.pageTimeoutMs, signal: ctx.signal });
  const runs = new Map<string, Probe<VitalsRun>[]>(w.pages.map((path) => [path, []]));
  let cut = false;
  try {
    for (let round = 0; round < w.runs; round++) {
      for (const path of w.pages) {
        const left = end - performance.now();
        if (left < MIN_RUN_MS) {
          cut = true;
          if (round === 0) runs.get(path)?.push({ ok: false, error: `no Lighthouse run fitted in what was left of the measure phase's ${MEASURE_BUDGET_MS / 1000} s` });
          continue;
        }
        const run = await runner.run(site.url(path), Math.min(w.pageTimeoutMs, left));
        runs.get(path)?.push(run.ok ? run : { ok: false, error: ctx.redactor.redact(run.error) });
      }
    }
  } finally {
    await runner.close();
  }
  const budget = cut ? ` (the measure phase's ${MEASURE_BUDGET_MS / 1000} s cut the runs short)` : '';
  const method = `Lighthouse ${w.formFactor} runs in headless Chromium, ${w.runs} per page${budget}, after every other probe${notes}`;
  return { pages: w.pages.map((path) => ({ path, runs: runs.get(path) ?? [] })), method };
}

/**
 * Chromium flags that send it where verify's own requests go: the app's names mapped to targets http.resolve
 * (as curl --resolve), and, with a private CA (targets http.caFile, which Chromium cannot load), certificate
 * errors ignored. Lighthouse sends no credentials; http.tls-certificate judges the certificate.
 */
export function browserFlags(site: Site, t: HttpTargets): { flags: string[]; notes: string } {
  const flags: string[] = [];
  const notes: string[] = [];
  if (t.resolve !== undefined) {
    const hosts = [...new Set([site.canonical, site.apex, ...(site.www ? [site.www] : [])])];
    flags.push(`--host-resolver-rules=${hosts.map((h) => `MAP ${h} ${t.resolve}`).join(', ')}`);
    notes.push(`${site.canonical} mapped to ${t.resolve}`);
  }
  if (t.caFile !== undefined) {
    flags.push('--ignore-certificate-errors');
    notes.push('certificate errors ignored (targets http.caFile names a private CA)');
  }
  return { flags, notes: notes.length ? `; ${notes.join('; ')}` : '' };
}
