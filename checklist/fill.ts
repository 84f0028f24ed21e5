import type { ReportedResult } from './fill-report.js';
import type { Identity } from './identities.js';
import { identities, judgedBy, MAX_IDENTITIES } from './identities.js';
import { bySubject } from './subjects.js';
import type { ChecklistItem } from './items.js';
import { TICK_MARK, scanChecklist } from './items.js';
import { controlsFor } from './mapping.js';

/** What fill did with an item: `passed` items are ticked on prodcheck's word; `waived` is never a pass. */
export type Outcome = 'passed' | 'failed' | 'error' | 'waived' | 'manual' | 'done-by-hand';

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

type Relevant = { readonly results: readonly ReportedResult[] } | { readonly unjudged: readonly string[] };

/**
 * The results that speak for an item about one control. An item naming a resource the control reports
 * on ("`STRIPE_SECRET_KEY`", "`users`", "`/api/health`") is judged by that resource's results alone; one
 * whose names, routes or thresholds none of the control's results judged is not judged by them at all.
 */
function relevantResults(ids: readonly Identity[], results: readonly ReportedResult[]): Relevant {
  const judged = results.filter((r) => r.status !== 'skip');
  if (ids.length === 0) return { results: judged };
  const byResource = judged.filter((r) => ids.some((id) => judgedBy(id, r) === 'resource'));
  if (byResource.length > 0) return { results: byResource };
  const byText = judged.filter((r) => ids.some((id) => judgedBy(id, r) === 'text'));
  if (byText.length > 0) return { results: byText };
  // Results each about a resource of their own (another table, another variable) say nothing of this item.
  if (judged.length > 0 && judged.every((r) => r.resource !== undefined)) return { unjudged: ids.map((i) => i.text) };
  return { results: judged };
}

interface Verdict {
  readonly outcome: Outcome;
  readonly annotation: string;
}

function judge(item: ChecklistItem, controls: readonly string[], byControl: ReadonlyMap<string, readonly ReportedResult[]>, opts: FillOptions): Verdict {
  if (controls.length === 0) return { outcome: 'manual', annotation: ' _(manual)_' };
  const ids = identities(item.text);
  // Each name is matched against every result: an item naming hundreds of things is no single claim.
  if (ids.length > MAX_IDENTITIES) return { outcome: 'manual', annotation: ` _(manual: the item names ${ids.length} things; prodcheck judges items that name at most ${MAX_IDENTITIES})_` };
  const subjects = controls.map((c) => ({ control: c, ...bySubject(c, item.text, byControl.get(c) ?? []) }));
  const relevant = subjects.map((s) => (s.unjudged.length > 0 ? { control: s.control, unjudged: s.unjudged } : { control: s.control, ...relevantResults(ids, s.results) }));
  const all = relevant.flatMap((r) => ('results' in r ? r.results : []));
  const first = (status: ReportedResult['status']) => {
    const found = all.filter((r) => r.status === status);
    return found[0] ? `${opts.sanitize(found[0].message)}${MORE(found.length - 1)}` : undefined;
  };
  const failed = first('fail');
  if (failed) return { outcome: 'failed', annotation: ` — ❌ prodcheck: ${failed}` };
  const error = first('error');
  if (error) return { outcome: 'error', annotation: ` — ⚠️ prodcheck could not check: ${error}` };
  // A waiver accepts a known failure for a while: it is not a pass, and the item says so.
  const waived = first('waived');
  if (waived) return { outcome: 'waived', annotation: ` — ⏸️ prodcheck: waived, not passed: ${waived}` };
  const unchecked = relevant.filter((r) => 'results' in r && r.results.length === 0).map((r) => r.control);
  if (unchecked.length > 0) return { outcome: 'manual', annotation: ` _(manual: prodcheck did not check ${unchecked.join(', ')})_` };
  // Every name, route and threshold the item states must have been judged by a result that passed.
  const unjudged = relevant.flatMap((r) => ('unjudged' in r ? r.unjudged : []));
  const missing = ids.filter((id) => !all.some((r) => judgedBy(id, r) !== false)).map((id) => id.text);
  const notJudged = [...new Set([...unjudged, ...missing])];
  if (notJudged.length > 0) return { outcome: 'manual', annotation: ` _(manual: prodcheck did not judge ${opts.sanitize(notJudged.join(', '))})_` };
  return { outcome: 'passed', annotation: TICK_MARK };
}

/**
 * The same document with each item judged: ticked (and marked as prodcheck's tick) where every claim of
 * the item was backed by a passing result, annotated where one failed, could not be checked or is waived,
 * marked manual otherwise. Only item lines change, and on them only the box and the end of the line, so the
 * rest stays byte for byte as written. A person's tick is left as it is (annotated if a check contradicts
 * it); a tick an earlier fill made is judged again, so a regression unticks it. An annotation from an
 * earlier fill is replaced, never repeated.
 */
export function fillChecklist(markdown: string, results: readonly ReportedResult[], opts: FillOptions): Filled {
  const { lines, items } = scanChecklist(markdown);
  const byControl = new Map<string, ReportedResult[]>();
  for (const r of results) byControl.set(r.control, [...(byControl.get(r.control) ?? []), r]);
  const out = [...lines];
  const filled = items.map((item): FilledItem => {
    const controls = controlsFor(item);
    const verdict = judge(item, controls, byControl, opts);
    const byPerson = item.checked && !item.tickedByProdcheck;
    const outcome: Outcome = byPerson && verdict.outcome === 'manual' ? 'done-by-hand' : verdict.outcome;
    const checked = byPerson || outcome === 'passed';
    const raw = lines[item.line] ?? '';
    const eol = /\r?\n$/.exec(raw)?.[0] ?? '';
    // A person's tick that nothing contradicts carries no annotation; its line stays exactly as written.
    const annotation = byPerson && (outcome === 'done-by-hand' || outcome === 'passed') ? '' : verdict.annotation;
    const kept = raw.slice(0, item.end);
    const box = byPerson ? kept[item.box] : checked ? 'x' : ' ';
    out[item.line] = `${kept.slice(0, item.box)}${box}${kept.slice(item.box + 1)}${annotation}${eol}`;
    return { line: item.line, text: item.text, controls, outcome, checked };
  });
  return { text: out.join(''), items: filled };
}

/**
 * `N / M items checked (K automated)`: N items are ticked in the written document, by a person or by
 * prodcheck, of M items in all; K of those N have every claim backed by a passing result (prodcheck ticked
 * them, or confirms a person's tick). K counts ticks only, never failures, waivers or checks that could
 * not run, so it is never above N.
 */
export function countsLine(items: readonly FilledItem[]): string {
  const checked = items.filter((i) => i.checked).length;
  const automated = items.filter((i) => i.checked && i.outcome === 'passed').length;
  return `${checked} / ${items.length} items checked (${automated} automated)`;
}
