import type { SloSpec, StackSpec } from '../../spec/index.js';
import { datadogWindowMinutes, sloKindOf } from '../../spec/index.js';
import type { Check, Finding } from '../types.js';
import type { DatadogSlo, DatadogSnapshot, SeriesReading } from './collect.js';
import { sloNamed, statusKey } from './collect.js';

const pct = (n: number) => `${Number(n.toFixed(4))} %`;
/** Queries compared as Datadog normalises them: whitespace aside. */
const sameQuery = (a: string | undefined, b: string) => a !== undefined && a.replace(/\s+/g, '') === b.replace(/\s+/g, '');
const KIND_NAME: Readonly<Record<string, string>> = { metric: 'metric-based', monitor: 'monitor-based', time_slice: 'time-slice' };
const kindName = (type: string) => KIND_NAME[type] ?? type;

/** The stack's objective in words a checklist states: "at most 1 % bad", "< 2 s in >= 99 % of 5-minute slices". */
export function objectiveOf(want: SloSpec): string {
  const over = `over ${want.timeframe}`;
  if (want.metric) return `>= ${pct(want.target)} good events ${over} (at most ${pct(100 - want.target)} bad)`;
  if (want.monitorIds) return `>= ${pct(want.target)} uptime of monitor${want.monitorIds.length === 1 ? '' : 's'} ${want.monitorIds.join(', ')} ${over}`;
  const ts = want.timeSlice;
  if (!ts) return `>= ${pct(want.target)} ${over}`;
  const unit = ts.unit === undefined ? '' : ts.unit === '%' ? ' %' : ` ${ts.unit}`;
  return `${ts.query} ${ts.comparator} ${ts.threshold}${unit} in >= ${pct(want.target)} of ${ts.intervalSeconds / 60}-minute slices ${over}`;
}

/** What the SLO measures differs from the stack's description: the sentence that says how, or undefined. */
function measuresOtherwise(slo: DatadogSlo, want: SloSpec, where: string): string | undefined {
  if (want.metric && !(sameQuery(slo.numerator, want.metric.numerator) && sameQuery(slo.denominator, want.metric.denominator))) {
    return `counts ${slo.numerator ?? 'nothing'} over ${slo.denominator ?? 'nothing'}, not ${want.metric.numerator} over ${want.metric.denominator} (${where}.metric)`;
  }
  if (want.monitorIds) {
    const missing = want.monitorIds.filter((id) => !slo.monitorIds.includes(id));
    if (missing.length > 0) return `does not follow monitor${missing.length === 1 ? '' : 's'} ${missing.join(', ')} (it follows ${slo.monitorIds.join(', ') || 'none'}; ${where}.monitorIds)`;
  }
  const ts = want.timeSlice;
  if (ts && !(slo.timeSlice && sameQuery(slo.timeSlice.query, ts.query) && slo.timeSlice.comparator === ts.comparator && slo.timeSlice.threshold === ts.threshold)) {
    const found = slo.timeSlice ? `${slo.timeSlice.query ?? 'a formula'} ${slo.timeSlice.comparator} ${slo.timeSlice.threshold}` : 'no condition';
    return `counts the slices where ${found}, not ${ts.query} ${ts.comparator} ${ts.threshold} (${where}.timeSlice)`;
  }
  return undefined;
}

/** One Datadog SLO carrying a listed name, judged against the stack's description of it. */
function judge(slo: DatadogSlo, want: SloSpec, where: string, s: DatadogSnapshot): Finding {
  const resource = want.name;
  const named = `The Datadog SLO "${slo.name}"`;
  const kind = sloKindOf(want);
  if (slo.type !== kind) return { status: 'fail', resource, message: `${named} is ${kindName(slo.type)}, not the ${kindName(kind)} SLO ${where} describes.`, expected: kind, actual: slo.type };
  const other = measuresOtherwise(slo, want, where);
  if (other) return { status: 'fail', resource, message: `${named} ${other}: it measures something else than the stack says.` };
  const objective = `${pct(want.target)} over ${want.timeframe}`;
  const threshold = slo.thresholds.find((t) => t.timeframe === want.timeframe);
  if (!threshold) {
    const has = slo.thresholds.map((t) => `${pct(t.target)} over ${t.timeframe}`).join(', ') || 'none';
    return { status: 'fail', resource, message: `${named} has no ${want.timeframe} target (it has ${has}): the stack's objective is ${objective}.`, expected: objectiveOf(want), actual: has };
  }
  if (threshold.target < want.target) {
    return { status: 'fail', resource, message: `${named} targets ${pct(threshold.target)} over ${want.timeframe}, looser than the stack's ${pct(want.target)}.`, expected: objectiveOf(want), actual: `${pct(threshold.target)} over ${want.timeframe}` };
  }
  const status = s.status[statusKey(slo.id, want.timeframe)];
  if (!status) return { status: 'error', resource, message: `The status of ${named.slice(4)} was not read.` };
  if (!status.ok) return { status: 'error', resource, message: `Could not read the status of the Datadog SLO "${slo.name}": ${status.error}.` };
  const sli = status.value.sli;
  const defined = `${named} targets ${pct(threshold.target)} over ${want.timeframe}`;
  if (sli === null) return { status: 'skip', resource, message: `${defined} but has no data over the last ${want.timeframe}: nothing says what it measures.` };
  // The control is "SLOs defined": a breached SLO is defined and measured; its state is reported, not judged here.
  const state = sli >= threshold.target ? `is met (SLI ${pct(sli)})` : `is breached (SLI ${pct(sli)}, below ${pct(threshold.target)}): the objective is defined and measured, and the app misses it`;
  return { status: 'pass', resource, message: `${defined} and ${state}.`, expected: objectiveOf(want) };
}

/** The API key was refused (or Datadog did not answer): nothing could be judged. */
const unusable = (error: string): Finding => ({ status: 'error', message: `Could not use the Datadog API: ${error}.` });

const RANK: Readonly<Record<Finding['status'], number>> = { pass: 0, skip: 1, error: 2, fail: 3 };

export const monitoringSlo: Check<DatadogSnapshot> = {
  id: 'monitoring.slo',
  target: 'datadog',
  evaluate(s, spec: StackSpec) {
    const wanted = spec.datadog?.slos ?? [];
    if (wanted.length === 0) return [{ status: 'skip', message: 'The stack lists no SLO (prodcheck:datadog.slos).' }];
    if (!s.auth.ok) return [unusable(s.auth.error)];
    const slos = s.slos;
    if (!slos) return [{ status: 'error', message: 'The Datadog SLOs were not read.' }];
    if (!slos.ok) return [{ status: 'error', message: `Could not read the Datadog SLOs: ${slos.error}.` }];
    return wanted.map((want, i): Finding => {
      const where = `prodcheck:datadog.slos[${i}]`;
      const found = sloNamed(slos.value, want);
      if (found.length === 0) {
        return { status: 'fail', resource: want.name, message: `Datadog has no SLO named "${want.name}": the stack's objective (${pct(want.target)} over ${want.timeframe}) is not defined.`, expected: want.name, actual: `not among ${slos.value.length} SLO${slos.value.length === 1 ? '' : 's'}` };
      }
      // Several SLOs under one name: the best of them stands for it.
      return found.map((slo) => judge(slo, want, where, s)).sort((a, b) => RANK[a.status] - RANK[b.status])[0] as Finding;
    });
  },
};

/** No datapoint within the last `windowMinutes` before the reading. */
const stale = (r: SeriesReading, s: DatadogSnapshot, windowMinutes: number) => r.lastPointMs === null || s.readAt - r.lastPointMs > windowMinutes * 60_000;

const ago = (ms: number) => (ms < 90_000 ? `${Math.max(0, Math.round(ms / 1000))} s ago` : `${Math.round(ms / 60_000)} min ago`);

export const monitoringMetrics: Check<DatadogSnapshot> = {
  id: 'monitoring.metrics',
  target: 'datadog',
  evaluate(s, spec: StackSpec) {
    const metrics = spec.datadog?.metrics;
    if (!metrics) return [{ status: 'skip', message: 'The stack lists no metric series (prodcheck:datadog.metrics).' }];
    if (!s.auth.ok) return [unusable(s.auth.error)];
    const window = metrics.windowMinutes;
    return Object.entries(metrics.series).map(([name, query]): Finding => {
      const resource = name;
      const read = s.series[name];
      if (!read) return { status: 'error', resource, message: `The Datadog series "${name}" was not queried.` };
      if (!read.ok) return { status: 'error', resource, message: `Could not query the Datadog series "${name}" (${query}): ${read.error}.` };
      const last = read.value.lastPointMs;
      const expected = `datapoints within the last ${window} min`;
      if (last === null || stale(read.value, s, window)) {
        const actual = last === null ? 'no datapoint' : `last datapoint ${ago(s.readAt - last)}`;
        return { status: 'fail', resource, message: `The Datadog series "${name}" (${query}) has no datapoint in the last ${window} min: its metrics are not being collected.`, expected, actual };
      }
      return { status: 'pass', resource, message: `The Datadog series "${name}" (${query}) has ${read.value.points} datapoint${read.value.points === 1 ? '' : 's'} in the last ${window} min.`, expected, actual: `last datapoint ${ago(s.readAt - last)}` };
    });
  },
};

export const monitoringDashboards: Check<DatadogSnapshot> = {
  id: 'monitoring.dashboards',
  target: 'datadog',
  evaluate(s, spec: StackSpec) {
    const titles = spec.datadog?.dashboards ?? [];
    if (titles.length === 0) return [{ status: 'skip', message: 'The stack lists no Datadog dashboard (prodcheck:datadog.dashboards).' }];
    if (!s.auth.ok) return [unusable(s.auth.error)];
    const all = s.dashboards;
    if (!all) return [{ status: 'error', message: 'The Datadog dashboards were not read.' }];
    if (!all.ok) return [{ status: 'error', message: `Could not list the Datadog dashboards: ${all.error}.` }];
    const window = datadogWindowMinutes(spec.datadog);
    return titles.map((title): Finding => {
      const resource = title;
      const found = all.value.find((d) => d.title === title);
      if (!found) {
        const near = all.value.find((d) => d.title.toLowerCase() === title.toLowerCase());
        return { status: 'fail', resource, message: `Datadog has no dashboard titled "${title}"${near ? ` (found "${near.title}", which differs in case)` : ''}.`, expected: title, actual: near ? near.title : 'not found' };
      }
      const named = `The Datadog dashboard "${title}"`;
      const detail = s.dashboardDetails[found.id];
      if (!detail) return { status: 'error', resource, message: `${named} was not read.` };
      if (!detail.ok) return { status: 'error', resource, message: `Could not read the Datadog dashboard "${title}": ${detail.error}.` };
      const { widgets, queries, templated } = detail.value;
      const failed = queries.find((q) => !q.reading.ok);
      if (failed && !failed.reading.ok) return { status: 'error', resource, message: `Could not run the query of the widget "${failed.widget}" on ${named.slice(4)}: ${failed.reading.error}.` };
      const empty = queries.filter((q) => q.reading.ok && stale(q.reading.value, s, window));
      const expected = `a dashboard whose metrics widgets show data from the last ${window} min`;
      if (empty.length > 0) {
        const first = empty[0] as (typeof empty)[number];
        const more = empty.length > 1 ? ` and ${empty.length - 1} other widget quer${empty.length === 2 ? 'y' : 'ies'}` : '';
        return { status: 'fail', resource, message: `The widget "${first.widget}" on ${named.slice(4)} shows no data from the last ${window} min (${first.query})${more}: the dashboard shows nothing current.`, expected, actual: `${empty.length} of ${queries.length} queries without data` };
      }
      const left = templated > 0 ? `; ${templated} quer${templated === 1 ? 'y' : 'ies'} with template variables not run` : '';
      if (queries.length === 0) return { status: 'pass', resource, message: `${named} exists with ${widgets} widget${widgets === 1 ? '' : 's'}, none a metrics query prodcheck can run: their data was not judged${left}.` };
      return { status: 'pass', resource, message: `${named} exists and its ${queries.length} metrics quer${queries.length === 1 ? 'y' : 'ies'} (of ${widgets} widget${widgets === 1 ? '' : 's'}) returned data from the last ${window} min${left}.`, expected };
    });
  },
};

export const DATADOG_CHECKS: readonly Check<DatadogSnapshot>[] = [monitoringSlo, monitoringMetrics, monitoringDashboards];
