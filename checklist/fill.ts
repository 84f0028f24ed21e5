import type { ReportedResult } from './fill-report.js';
import type { ChecklistItem } from './items.js';
import { scanChecklist } from './items.js';
import { controlsFor } from './mapping.js';

/** What fill did with an item. `passed`, `failed` and `error` are the automated ones. */
export type Outcome = 'passed' | 'failed' | 'error' | 'manual' | 'done-by-hand';

export interface FilledItem {
  readonly line: number;
  readonly text: string;
  readonly controls: readonly string[];
  readonly outcome: Outcome;
  /** Ticked in the written document (ticked by fill, or already ticked). */
  readonly checked: boolean;
}

export interface Filled {
  readonly text: string;
  readonly items: readonly FilledItem[];
}

export interface FillOptions {
  /** Makes a result message safe to append to a Markdown line: the caller redacts and escapes it. */
  readonly sanitize: (message: string) => string;
}

const MORE = (n: number) => (n > 0 ? ` (+${n} more)` : '');

function tokens(s: string): Set<string> {
  return new Set(s.toLowerCase().split(/[^a-z0-9_]+/).filter(Boolean));
}

/** An item names a resource when it carries every word of it but the schema: "`users`" names public.users. */
function names(itemWords: ReadonlySet<string>, resource: string): boolean {
  const words = [...tokens(resource)].filter((w) => w !== 'public');
  return words.length > 0 && words.every((w) => itemWords.has(w));
}

/** A name: a code span such as `AUTH_SECRET`, `users`, `User.email` or `NODE_ENV=production` (not a command), or a bare ENV_VAR_NAME. */
/** Resources that are names of the same kind (env vars, tables, columns, indexes), unlike hosts, URLs and paths. */
const NAME_LIKE = /^[A-Za-z_][\w.]*(?:\([\w, ]*\))?$/;
const NAMED_THING = /`[A-Za-z_][\w.]*(?:=[^`\s]*)?`|\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/;

/**
 * The results that speak for an item about one control. An item that names one of the control's
 * resources ("`STRIPE_SECRET_KEY`", "`users`") is judged by that resource's results alone; one that names
 * a thing the control has no result for ("`ANALYTICS_ID`") is not judged by the others.
 */
function resultsFor(item: ChecklistItem, results: readonly ReportedResult[]): readonly ReportedResult[] {
  const words = tokens(item.text);
  const named = results.filter((r) => r.resource !== undefined && names(words, r.resource));
  if (named.length > 0) return named;
  if (NAMED_THING.test(item.text) && results.length > 0 && results.every((r) => r.resource !== undefined && NAME_LIKE.test(r.resource))) return [];
  return results;
}

interface Judged {
  readonly outcome: Outcome;
  readonly annotation: string;
}

function judge(item: ChecklistItem, controls: readonly string[], byControl: ReadonlyMap<string, readonly ReportedResult[]>, opts: FillOptions): Judged {
  if (controls.length === 0) return item.checked ? { outcome: 'done-by-hand', annotation: '' } : { outcome: 'manual', annotation: ' _(manual)_' };
  const relevant = controls.map((c) => ({ control: c, results: resultsFor(item, byControl.get(c) ?? []).filter((r) => r.status !== 'skip') }));
  const failed = relevant.flatMap((r) => r.results.filter((x) => x.status === 'fail'));
  const first = failed[0];
  if (first) return { outcome: 'failed', annotation: ` — ❌ prodcheck: ${opts.sanitize(first.message)}${MORE(failed.length - 1)}` };
  const errors = relevant.flatMap((r) => r.results.filter((x) => x.status === 'error'));
  const firstError = errors[0];
  if (firstError) return { outcome: 'error', annotation: ` — ⚠️ prodcheck could not check: ${opts.sanitize(firstError.message)}${MORE(errors.length - 1)}` };
  const unchecked = relevant.filter((r) => r.results.length === 0).map((r) => r.control);
  if (unchecked.length > 0) return item.checked ? { outcome: 'done-by-hand', annotation: '' } : { outcome: 'manual', annotation: ` _(manual: prodcheck did not check ${unchecked.join(', ')})_` };
  return { outcome: 'passed', annotation: '' };
}

/**
 * The same document with each item judged: ticked where every mapped control passed, annotated where
 * one failed or could not be checked, marked manual otherwise. Only item lines change, and on them only
 * the box and the end of the line, so the rest stays byte for byte as written. Items already ticked stay
 * ticked; an annotation from an earlier fill is replaced, never repeated.
 */
export function fillChecklist(markdown: string, results: readonly ReportedResult[], opts: FillOptions): Filled {
  const { lines, items } = scanChecklist(markdown);
  const byControl = new Map<string, ReportedResult[]>();
  for (const r of results) byControl.set(r.control, [...(byControl.get(r.control) ?? []), r]);
  const out = [...lines];
  const filled = items.map((item): FilledItem => {
    const controls = controlsFor(item);
    const { outcome, annotation } = judge(item, controls, byControl, opts);
    const checked = item.checked || outcome === 'passed';
    const raw = lines[item.line] ?? '';
    const eol = /\r?\n$/.exec(raw)?.[0] ?? '';
    // An item ticked by hand that nothing contradicts keeps its line exactly as written.
    if (!(outcome === 'done-by-hand' && annotation === '')) {
      const kept = raw.slice(0, item.end);
      out[item.line] = `${kept.slice(0, item.box)}${checked ? (item.checked ? kept[item.box] : 'x') : ' '}${kept.slice(item.box + 1)}${annotation}${eol}`;
    }
    return { line: item.line, text: item.text, controls, outcome, checked };
  });
  return { text: out.join(''), items: filled };
}

/** `N / M items checked (K automated)`: ticked items of all items, and how many prodcheck judged. */
export function countsLine(items: readonly FilledItem[]): string {
  const checked = items.filter((i) => i.checked).length;
  const automated = items.filter((i) => i.outcome === 'passed' || i.outcome === 'failed' || i.outcome === 'error').length;
  return `${checked} / ${items.length} items checked (${automated} automated)`;
}
