import type { Report, Result } from '../../report/types.js';
import { DEFAULT_TITLE, exitMeaning, groupByControl, groupByFamily, isAdvisory, skipReason, waiverNote, type RenderOptions } from './results.js';

/**
 * Plain text inside Markdown: one line, and every character that could start emphasis, a link, a table
 * cell or raw HTML escaped (`>` only quotes at the start of a line, where this text never stands), so a message from a live system renders as the text it is (the GitHub step
 * summary renders HTML).
 */
export function mdText(s: string): string {
  return s.replace(/\r\n|\r|\n/g, ' ').replace(/[\\`*_[\]<|&~]/g, '\\$&');
}

/** An inline code span whose fence is longer than any backtick run inside it. */
export function mdCode(s: string): string {
  const text = s.replace(/\r\n|\r|\n/g, ' ');
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

const DONE = new Set(['pass', 'waived']);

/** A Markdown checklist: a heading, the totals, then per family one item per control. */
export function renderMarkdown(report: Report, opts: RenderOptions): string {
  const s = report.summary;
  const lines = [
    `# ${mdText(opts.title ?? DEFAULT_TITLE)}: ${mdText(report.stack)}`,
    '',
    `Started ${mdText(report.startedAt)}, took ${(report.durationMs / 1000).toFixed(1)} s. **${mdText(exitMeaning(report, opts.failOn))}**`,
    '',
    '| passed | failed | errors | skipped | waived |',
    '|---:|---:|---:|---:|---:|',
    `| ${s.pass} | ${s.fail} | ${s.error} | ${s.skip} | ${s.waived} |`,
  ];
  for (const { family, results } of groupByFamily(report.results)) {
    lines.push('', `## ${mdText(family)}`, '');
    for (const control of groupByControl(results)) lines.push(...controlItem(control));
  }
  return `${lines.join('\n')}\n`;
}

function controlItem(results: readonly Result[]): string[] {
  const [first] = results;
  if (first === undefined) return [];
  const head = `${mdCode(first.control)} ${mdText(first.title)}`;
  if (results.length === 1 && first.resource === undefined) return [`- ${box(first)} ${head}${outcome(first)}`];
  const checked = results.every((r) => DONE.has(r.status)) ? '[x]' : '[ ]';
  return [`- ${checked} ${head}`, ...results.map((r) => `  - ${box(r)} ${r.resource === undefined ? mdCode(r.control) : mdCode(r.resource)}${outcome(r)}`)];
}

function box(r: Result): string {
  return DONE.has(r.status) ? '[x]' : '[ ]';
}

function outcome(r: Result): string {
  const message = mdText(r.message);
  switch (r.status) {
    case 'pass':
      return isAdvisory(r) ? ` — ⚠️ ${message}` : ` — ${message}`;
    case 'waived': {
      const note = waiverNote(r);
      return ` — _waived:_ ${message}${note === undefined ? '' : ` (${mdText(note)})`}`;
    }
    case 'fail':
      return ` — **failed:** ${message}${evidence(r)}`;
    case 'error':
      return ` — **could not check:** ${message}`;
    case 'skip':
      return ` (skipped: ${mdText(skipReason(r))})`;
  }
}

function evidence(r: Result): string {
  const parts = [r.expected !== undefined && `expected ${mdCode(r.expected)}`, r.actual !== undefined && `found ${mdCode(r.actual)}`].filter(Boolean);
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}
