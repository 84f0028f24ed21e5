import type { StackSpec } from '../../spec/index.js';
import type { Check, Finding } from '../types.js';
import type { PerfSnapshot, Timing, VitalsRun } from './snapshot.js';

const cannot = (what: string, why: string): Finding => ({ status: 'error', message: `Could not ${what}: ${why}.` });

/** Nearest-rank percentile: a value that was actually measured, never an interpolation. */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? Number.NaN) + (sorted[mid] ?? Number.NaN)) / 2;
}

const ms = (v: number): string => `${Math.round(v)} ms`;
const secs = (v: number): string => `${(v / 1000).toFixed(2)} s`;

/**
 * A timing judged against a p95 budget: n, p50 and p95 in the message. Answers that were not 2xx/3xx make
 * it an error: how fast an error page comes back says nothing about the route.
 */
function judgeTiming(label: string, timing: Timing, budgetMs: number, resource: string, extra = ''): Finding {
  const { samplesMs, statuses, method } = timing;
  if (samplesMs.length === 0) return { ...cannot(`time ${label}`, 'no request was timed'), resource };
  const bad = statuses.filter((s) => s < 200 || s > 399);
  if (bad.length > 0) return { ...cannot(`time ${label}`, `${bad.length} of ${statuses.length} answers were not 2xx/3xx (first: ${bad[0]})`), resource };
  const p50 = percentile(samplesMs, 50);
  const p95 = percentile(samplesMs, 95);
  const figures = `n=${samplesMs.length}, p50 ${ms(p50)}, p95 ${ms(p95)}`;
  const expected = `p95 at most ${ms(budgetMs)}`;
  const actual = `p95 ${ms(p95)} (${figures})`;
  return p95 <= budgetMs
    ? { status: 'pass', message: `${label} p95 is ${ms(p95)} (budget ${ms(budgetMs)}; ${figures}${extra}), measured with ${method}.`, expected, actual, resource }
    : { status: 'fail', message: `${label} p95 must be at most ${ms(budgetMs)} (found ${ms(p95)}; ${figures}${extra}), measured with ${method}.`, expected, actual, resource };
}

export const perfApiLatency: Check<PerfSnapshot> = {
  id: 'perf.api-latency',
  target: 'perf',
  evaluate(s, spec) {
    const a = spec.perf?.apiLatency;
    if (!a) return [{ status: 'skip', message: 'No API latency budget (spec perf.apiLatency is not set).' }];
    return a.routes.map((r): Finding => {
      const label = `${r.method} ${r.path}`;
      const found = s.apiLatency.find((t) => t.method === r.method && t.path === r.path);
      if (!found) return { ...cannot(`time ${label}`, 'it was not measured'), resource: label };
      if (!found.timing.ok) return { ...cannot(`time ${label}`, found.timing.error), resource: label };
      return judgeTiming(label, found.timing.value, r.p95Ms, label);
    });
  },
};

export const perfModelsCacheLatency: Check<PerfSnapshot> = {
  id: 'perf.models-cache-latency',
  target: 'perf',
  evaluate(s, spec) {
    const m = spec.perf?.modelsCache;
    if (!m || !s.modelsCache) return [{ status: 'skip', message: 'No cached model API budget (spec perf.modelsCache is not set).' }];
    const label = `GET ${m.path}`;
    const { first, timing } = s.modelsCache;
    if (!first.ok) return [cannot(`time ${label}`, first.error)];
    if (!timing.ok) return [cannot(`time ${label}`, timing.error)];
    const f = judgeTiming(`Cached ${label}`, timing.value, m.p95Ms, label, `; first request ${ms(first.value.ms)}`);
    const { resource: _resource, ...finding } = f;
    return [finding];
  },
};

interface Budget {
  readonly name: string;
  readonly value: number;
  readonly limit: number;
  readonly ok: boolean;
  readonly show: (v: number) => string;
}

function budgets(v: VitalsRun, b: NonNullable<NonNullable<StackSpec['perf']>['webVitals']>['budgets']): Budget[] {
  const at = (name: string, value: number, limit: number, show: (n: number) => string): Budget => ({ name, value, limit, ok: value <= limit, show });
  const out: Budget[] = [
    // Shown 0–100 as Lighthouse's report and checklists ("Lighthouse score > 90") put it; the spec keeps the JSON's 0..1.
    { name: 'score', value: v.score, limit: b.performanceScore, ok: v.score >= b.performanceScore, show: (n) => String(Math.round(n * 100)) },
    at('LCP', v.lcpMs, b.lcpMs, secs),
    at('CLS', v.cls, b.cls, (n) => n.toFixed(3)),
    at('TBT', v.tbtMs, b.tbtMs, ms),
  ];
  if (b.fcpMs !== undefined) out.push(at('FCP', v.fcpMs, b.fcpMs, secs));
  if (b.ttiMs !== undefined) out.push({ ...at('TTI', v.ttiMs ?? Number.POSITIVE_INFINITY, b.ttiMs, secs), show: (n) => (Number.isFinite(n) ? secs(n) : 'not reported') });
  return out;
}

/** Each figure's median across the runs that finished (figures are taken one by one, as Lighthouse CI's assertions do). */
function medianRun(runs: readonly VitalsRun[]): VitalsRun {
  const tti = runs.flatMap((r) => (r.ttiMs === undefined ? [] : [r.ttiMs]));
  return {
    score: median(runs.map((r) => r.score)),
    lcpMs: median(runs.map((r) => r.lcpMs)),
    cls: median(runs.map((r) => r.cls)),
    tbtMs: median(runs.map((r) => r.tbtMs)),
    fcpMs: median(runs.map((r) => r.fcpMs)),
    ...(tti.length ? { ttiMs: median(tti) } : {}),
  };
}

export const perfWebVitals: Check<PerfSnapshot> = {
  id: 'perf.web-vitals',
  target: 'perf',
  evaluate(s, spec) {
    const w = spec.perf?.webVitals;
    if (!w || !s.webVitals) return [{ status: 'skip', message: 'No web-vitals budget (spec perf.webVitals is not set): Lighthouse does not run.' }];
    if (!s.webVitals.ok) return [cannot('run Lighthouse', s.webVitals.error)];
    const { pages, method } = s.webVitals.value;
    return pages.map(({ path, runs }): Finding => {
      const done = runs.flatMap((r) => (r.ok ? [r.value] : []));
      const failed = runs.flatMap((r) => (r.ok ? [] : [r.error]));
      if (done.length === 0) return { ...cannot(`measure the web vitals of ${path}`, failed[0] ?? 'no Lighthouse run finished'), resource: path };
      const checked = budgets(medianRun(done), w.budgets);
      const figures = checked.map((c) => `${c.name} ${c.show(c.value)}`).join(', ');
      const over = checked.filter((c) => !c.ok);
      const lost = failed.length ? `; ${failed.length} failed: ${failed[0]}` : '';
      const how = `median of ${done.length} run${done.length === 1 ? '' : 's'}${lost}; ${method}`;
      const expected = checked.map((c) => `${c.name} ${c.name === 'score' ? '≥' : '≤'} ${c.show(c.limit)}`).join(', ');
      if (over.length === 0) return { status: 'pass', message: `${path} is within its web-vitals budget: ${figures} (${how}).`, expected, actual: figures, resource: path };
      const why = over.map((c) => `${c.name} ${c.show(c.value)}, budget ${c.name === 'score' ? '≥' : '≤'} ${c.show(c.limit)}`).join('; ');
      return { status: 'fail', message: `${path} must be within its web-vitals budget (found ${why}; all figures: ${figures}; ${how}).`, expected, actual: figures, resource: path };
    });
  },
};

export const PERF_CHECKS: readonly Check<PerfSnapshot>[] = [perfApiLatency, perfModelsCacheLatency, perfWebVitals];
