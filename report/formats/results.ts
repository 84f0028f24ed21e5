import type { Severity } from '../../checklist/index.js';
import type { Redactor } from '../redact.js';
import type { SourceMap } from '../source.js';
import { blockingFailures, checkedNothing } from '../summary.js';
import type { Report, Result, Status, Summary } from '../../report/types.js';

/** Options every reporter accepts. */
export interface RenderOptions {
  readonly redactor: Redactor;
  readonly color?: boolean;
  /** The command the report comes from, e.g. "prodcheck verify" or "prodcheck gate". */
  readonly title?: string;
  /** The stack file the controls are configured in, with the line of each control's key: SARIF, annotations and HTML point there. */
  readonly source?: SourceMap;
  /** `--only`/`--skip` as given, e.g. `only=pg.*;skip=pg.rls`: part of SARIF's automationDetails.id, so code scanning keeps runs of different selections apart. */
  readonly selection?: string;
  readonly toolVersion?: string;
  /** The tool's public page (package.json homepage or repository): SARIF's informationUri and each rule's helpUri. */
  readonly toolUri?: string;
  /** Console: the terminal width to wrap to (default 100). */
  readonly width?: number;
  /** Console: failures and the totals only. */
  readonly quiet?: boolean;
  /** `--fail-on`: failures below it are reported but do not set exit 1. */
  readonly failOn?: Severity;
}

export const DEFAULT_TITLE = 'prodcheck verify';

export interface FamilyGroup {
  readonly family: string;
  readonly results: readonly Result[];
}

/** The control id prefix (pg, redis, stripe...): gate policies carry catalogue ids too, so this holds for both. */
export function familyOf(control: string): string {
  return control.split('.')[0] ?? control;
}

/** Families in the order they first appear, each with its results in report order. */
export function groupByFamily(results: readonly Result[]): FamilyGroup[] {
  const groups = new Map<string, Result[]>();
  for (const r of results) {
    const family = familyOf(r.control);
    const list = groups.get(family);
    if (list) list.push(r);
    else groups.set(family, [r]);
  }
  return [...groups].map(([family, list]) => ({ family, results: list }));
}

/** A control's results together (one per resource), in the order the control first appears. */
export function groupByControl(results: readonly Result[]): (readonly Result[])[] {
  const groups = new Map<string, Result[]>();
  for (const r of results) {
    const list = groups.get(r.control);
    if (list) list.push(r);
    else groups.set(r.control, [r]);
  }
  return [...groups.values()];
}

export function countStatuses(results: readonly Result[]): Summary {
  const s: Summary = { pass: 0, fail: 0, error: 0, skip: 0, waived: 0 };
  for (const r of results) s[r.status]++;
  return s;
}

export const STATUS_LABEL: Readonly<Record<Status, string>> = { pass: 'PASS', fail: 'FAIL', error: 'ERROR', skip: 'SKIP', waived: 'WAIVED' };

/** `12 passed, 1 failed, 0 errors, 3 skipped, 1 waived`: every count, so scripts can read the line. */
export function totalsLine(s: Summary): string {
  return `${s.pass} passed, ${s.fail} failed, ${s.error} ${s.error === 1 ? 'error' : 'errors'}, ${s.skip} skipped, ${s.waived} waived`;
}

const checks = (n: number): string => `${n} ${n === 1 ? 'check' : 'checks'}`;

/** What the exit code of the run will be and why (DESIGN.md: 0 good, 1 failed, 3 could not check). */
export function exitMeaning(report: Pick<Report, 'summary' | 'results'>, failOn?: Severity): string {
  const s = report.summary;
  const blocking = blockingFailures(report.results, failOn).length;
  const below = failOn === undefined || s.fail === blocking ? '' : ` (${s.fail - blocking} below --fail-on ${failOn})`;
  if (blocking > 0) return `exit 1: ${checks(blocking)} failed${failOn === undefined ? '' : ` at or above ${failOn}`}${below}`;
  if (s.error > 0) return `exit 3: ${checks(s.error)} could not be run, ${s.fail === 0 ? 'none failed' : `none failed at or above ${failOn ?? 'low'}`}${below}`;
  // The same rule as the exit code (exitCodeOf): a run that checked nothing is not a pass.
  if (checkedNothing(s)) return 'exit 3: nothing was checked (every result was skipped)';
  return `exit 0: ${s.fail === 0 ? 'nothing failed' : `nothing failed at or above ${failOn ?? 'low'}`}${below}`;
}

export const ADVISORY_LABEL = 'advisory, not enforced';

/** An advisory gate violation: a pass the reader must still see. */
export function isAdvisory(r: Result): boolean {
  return r.status === 'pass' && r.advisory === true;
}

/**
 * Who waived a result and until when, unless the message already says so: the verify runner writes
 * owner and expiry into the message, and repeating them would only add noise.
 */
export function waiverNote(r: Result): string | undefined {
  const w = r.waiver;
  if (!w) return undefined;
  if (r.message.includes(w.owner) && r.message.includes(w.expires)) return undefined;
  return w.expired ? `waiver by ${w.owner} expired on ${w.expires}: ${w.reason}` : `waived by ${w.owner} until ${w.expires}: ${w.reason}`;
}

/** Why a result was skipped, without the `skipped:` the runner puts before a dependency's failure. */
export function skipReason(r: Result): string {
  return r.message.replace(/^skipped:\s*/i, '');
}

/** `pg.rls [public.users]`: the control and, when it yields one result per resource, which one. */
export function subject(r: Result): string {
  return r.resource === undefined ? r.control : `${r.control} [${r.resource}]`;
}

/**
 * Every string inside a report (or results), redacted where it stands and so before any format escapes
 * it: after escaping (`&amp;`, `%25`, `\"`, a newline made a space) a secret no longer reads as itself, and
 * redacting the finished document alone would miss it.
 */
export function redactDeep<T>(value: T, redactor: Redactor): T {
  if (typeof value === 'string') return redactor.redact(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => redactDeep(v, redactor)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, redactor)])) as T;
  }
  return value;
}

/**
 * The one way to a reporter (`render`, the progress summary, the step summary): renders from the redacted
 * report, then redacts the finished text again for what the options add (title, paths).
 */
export function renderRedacted(report: Report, opts: RenderOptions, produce: (report: Report, opts: RenderOptions) => string): string {
  const source = opts.source && { ...opts.source, uri: opts.redactor.redact(opts.source.uri), lineOf: opts.source.lineOf.bind(opts.source) };
  const safeOpts: RenderOptions = { ...opts, title: opts.title && opts.redactor.redact(opts.title), source, selection: opts.selection && opts.redactor.redact(opts.selection) };
  return opts.redactor.redact(produce(redactDeep(report, opts.redactor), safeOpts));
}

export function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}
