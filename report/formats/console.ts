import type { Redactor } from '../redact.js';
import type { Report, Result, Status, Summary } from '../../report/types.js';
import { remediationOf } from '../remediation.js';
import {
  ADVISORY_LABEL,
  DEFAULT_TITLE,
  STATUS_LABEL,
  countStatuses,
  exitMeaning,
  groupByControl,
  groupByFamily,
  isAdvisory,
  redactDeep,
  renderRedacted,
  skipReason,
  subject,
  totalsLine,
  waiverNote,
  type RenderOptions,
} from './results.js';

const ANSI: Readonly<Record<Status | 'dim' | 'bold', string>> = { fail: '31', error: '35', waived: '36', pass: '32', skip: '2', dim: '2', bold: '1' };
const DEFAULT_WIDTH = 100;

type Paint = (style: keyof typeof ANSI, text: string) => string;

function painter(color: boolean | undefined): Paint {
  return color ? (style, text) => `\x1b[${ANSI[style]}m${text}\x1b[0m` : (_style, text) => text;
}

/**
 * One line of untrusted text (a server's error message may carry newlines or escape sequences that
 * would rewrite the terminal): line breaks become spaces, other control characters visible escapes.
 */
function oneLine(text: string): string {
  return text.replace(/\r\n|\r|\n/g, ' ').replace(/\p{Cc}/gu, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** `FAIL  redis.eviction-policy  Redis maxmemory-policy must be allkeys-lru (found noeviction).` */
function resultLine(r: Result, paint: Paint): string {
  return `${paint(r.status, STATUS_LABEL[r.status].padEnd(5))} ${oneLine(subject(r))}  ${oneLine(r.message)}`;
}

/**
 * Words over lines of at most `width` characters: the first after `first` (which may carry colour codes,
 * so its visible width is given), the rest after `indent`. A word longer than a line gets a line of its own.
 */
function wrapText(first: string, firstWidth: number, indent: string, text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  let room = Math.max(20, width - firstWidth);
  // Split on single spaces: an empty word keeps a double space (between subject and message) where it stood.
  for (const word of text.split(' ')) {
    if (word === '' && line === '') continue;
    if (line !== '' && line.length + 1 + word.length > room) {
      lines.push(line);
      line = '';
      room = Math.max(20, width - indent.length);
    }
    line += line === '' ? word : ` ${word}`;
  }
  lines.push(line.trimEnd());
  return lines.map((l, i) => `${i === 0 ? first : indent}${l}`);
}

const INDENT = ' '.repeat(8);

/** A result that needs attention, its evidence and waiver, wrapped to the width. */
function attentionLines(r: Result, paint: Paint, width: number): string[] {
  const label = (isAdvisory(r) ? 'WARN' : STATUS_LABEL[r.status]).padEnd(5);
  const head = `  ${paint(isAdvisory(r) ? 'waived' : r.status, label)} `;
  const lines = wrapText(head, 3 + label.length, INDENT, `${oneLine(subject(r))}  ${oneLine(isAdvisory(r) ? r.message.replace(/^advisory, not enforced: /, '') : r.message)}`, width);
  const evidence = [r.expected !== undefined && `expected ${oneLine(r.expected)}`, r.actual !== undefined && `found ${oneLine(r.actual)}`].filter(Boolean);
  if (evidence.length > 0) lines.push(...wrapText(INDENT, INDENT.length, INDENT, evidence.join(' · '), width).map((l) => paint('dim', l)));
  const note = waiverNote(r);
  if (note !== undefined) lines.push(...wrapText(INDENT, INDENT.length, INDENT, oneLine(note), width).map((l) => paint('dim', l)));
  return lines;
}

/**
 * The human summary: per family what passed, was skipped or waived; then advisories; then every failure
 * and error with its evidence and how to fix it, last, right above the totals, where the eye lands.
 * `quiet` keeps only the failures and the totals.
 */
export function renderConsole(report: Report, opts: RenderOptions): string {
  const paint = painter(opts.color);
  const width = opts.width ?? DEFAULT_WIDTH;
  const lines: string[] = [];
  if (!opts.quiet) {
    lines.push(`${paint('bold', oneLine(opts.title ?? DEFAULT_TITLE))}  stack ${oneLine(report.stack)}  started ${report.startedAt}  took ${(report.durationMs / 1000).toFixed(1)} s`);
    for (const { family, results } of groupByFamily(report.results)) {
      lines.push('', `${paint('bold', family)}  ${familyCounts(countStatuses(results))}`);
      lines.push(...familyBody(results, paint, width));
    }
    const advisories = report.results.filter(isAdvisory);
    if (advisories.length > 0) {
      lines.push('', paint('bold', `Advisories (${ADVISORY_LABEL}): ${advisories.length}`));
      for (const r of advisories) lines.push(...attentionLines(r, paint, width));
    }
  }
  lines.push(...failureSection(report.results, paint, width));
  lines.push('', paint('bold', totalsLine(report.summary)), exitMeaning(report, opts.failOn));
  return `${(lines[0] === '' ? lines.slice(1) : lines).join('\n')}\n`;
}

/** Failures, then errors, each control's remediation once after its last failing result. */
function failureSection(results: readonly Result[], paint: Paint, width: number): string[] {
  const failed = results.filter((r) => r.status === 'fail');
  const errors = results.filter((r) => r.status === 'error');
  if (failed.length + errors.length === 0) return [];
  const lines = ['', paint('bold', `Failures: ${failed.length} failed, ${errors.length} could not be checked`)];
  for (const group of groupByControl(failed)) {
    for (const r of group) lines.push(...attentionLines(r, paint, width));
    const fix = remediationOf(group[0]?.control ?? '');
    if (fix !== undefined) lines.push(...wrapText(`${INDENT}${paint('bold', 'How to fix:')} `, INDENT.length + 12, INDENT, oneLine(fix), width));
  }
  for (const r of errors) lines.push(...attentionLines(r, paint, width));
  return lines;
}

function familyCounts(s: Summary): string {
  const parts: [number, string][] = [
    [s.fail, 'failed'],
    [s.error, s.error === 1 ? 'error' : 'errors'],
    [s.waived, 'waived'],
    [s.pass, 'passed'],
    [s.skip, 'skipped'],
  ];
  return parts
    .filter(([n]) => n > 0)
    .map(([n, word]) => `${n} ${word}`)
    .join(', ');
}

/** A family's waived results, passes and skip reasons; its failures come later, in the failure section. */
function familyBody(results: readonly Result[], paint: Paint, width: number): string[] {
  const lines: string[] = [];
  const of = (status: Status) => results.filter((r) => r.status === status);
  for (const r of of('waived')) lines.push(...attentionLines(r, paint, width));
  // Only named here: the failure section at the end has their details.
  for (const status of ['fail', 'error'] as const) {
    const names = of(status).map((r) => oneLine(subject(r)));
    if (names.length > 0) lines.push(...wrap(`  ${paint(status, STATUS_LABEL[status].padEnd(5))} `, names, width));
  }
  const passed = of('pass').map((r) => oneLine(subject(r)));
  if (passed.length > 0) lines.push(...wrap(`  ${paint('pass', 'PASS ')} `, passed, width));
  for (const [reason, count] of skipReasons(of('skip'))) {
    lines.push(...wrapText(`  ${paint('skip', 'SKIP ')} `, 8, INDENT, `${count} × ${oneLine(reason)}`, width));
  }
  return lines;
}

/** Each distinct skip reason once with how many results it covers: one unreachable target skips dozens. */
function skipReasons(skips: readonly Result[]): Map<string, number> {
  const reasons = new Map<string, number>();
  for (const reason of skips.map(skipReason)) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  return reasons;
}

/** Comma-separated items over as many lines as needed, continuation lines aligned under the first item. */
function wrap(prefix: string, items: readonly string[], maxWidth: number): string[] {
  const lines: string[] = [];
  let line = '';
  let width = INDENT.length;
  for (const [i, item] of items.entries()) {
    const text = i < items.length - 1 ? `${item},` : item;
    if (line !== '' && width + 1 + text.length > maxWidth) {
      lines.push(line);
      line = '';
      width = INDENT.length;
    }
    width += (line === '' ? 0 : 1) + text.length;
    line += line === '' ? text : ` ${text}`;
  }
  lines.push(line);
  // The prefix may carry colour codes, so widths are counted on the plain indent it lines up with.
  return lines.map((l, i) => `${i === 0 ? prefix : INDENT}${l}`);
}

export interface ProgressOptions {
  readonly write: (text: string) => void;
  readonly isTTY: boolean;
  readonly color?: boolean;
  readonly redactor: Redactor;
  readonly title?: string;
  /** How the final summary is laid out (width, --quiet, --fail-on); with quiet, nothing is printed live. */
  readonly summary?: Pick<RenderOptions, 'width' | 'quiet' | 'failOn'>;
}

export interface Progress {
  /** Called as each target finishes with that target's results. */
  onResults(results: readonly Result[]): void;
  /** Ends the live part and writes the summary. */
  finish(report: Report): void;
}

/**
 * Live progress for the console format. On a TTY each finished target gets a line and a status line
 * below is rewritten in place; elsewhere (CI logs, pipes) cursor movement would be garbage, so each
 * result is one plain line as it arrives.
 */
export function createProgress(opts: ProgressOptions): Progress {
  const paint = painter(opts.color);
  // The runner reports a target before redacting the report, so progress redacts on its own.
  const write = (text: string) => opts.write(opts.redactor.redact(text));
  const totals: Summary = { pass: 0, fail: 0, error: 0, skip: 0, waived: 0 };
  let targets = 0;
  let statusShown = false;
  const clearStatus = () => {
    if (statusShown) write('\r\x1b[2K');
    statusShown = false;
  };
  return {
    onResults(raw) {
      if (raw.length === 0 || opts.summary?.quiet) return;
      const results = redactDeep(raw, opts.redactor);
      const counts = countStatuses(results);
      for (const k of Object.keys(totals) as Status[]) totals[k] += counts[k];
      targets++;
      if (!opts.isTTY) {
        write(results.map((r) => `${resultLine(r, paint)}\n`).join(''));
        return;
      }
      clearStatus();
      const mark = counts.fail > 0 ? paint('fail', '✗') : counts.error > 0 ? paint('error', '!') : paint('pass', '✓');
      const families = groupByFamily(results).map((g) => g.family).join(', ');
      const attention = results.filter((r) => r.status === 'fail' || r.status === 'error');
      write(`${mark} ${paint('bold', families)}  ${familyCounts(counts)}\n${attention.map((r) => `    ${resultLine(r, paint)}\n`).join('')}`);
      write(paint('dim', `  … ${targets} ${targets === 1 ? 'target' : 'targets'} done: ${totalsLine(totals)}`));
      statusShown = true;
    },
    finish(report) {
      clearStatus();
      const summary = renderRedacted(report, { ...opts.summary, redactor: opts.redactor, color: opts.color, title: opts.title }, renderConsole);
      opts.write(targets > 0 ? `\n${summary}` : summary);
    },
  };
}
