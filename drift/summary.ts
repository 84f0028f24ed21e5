import { findControl } from '../checklist/index.js';
import { mdCode, mdText } from '../report/formats/md.js';
import type { Difference, DriftKind } from './diff.js';
import type { RefreshOutcome } from './refresh.js';
import type { Verdict } from './verdict.js';

export interface SummaryInput {
  readonly stack: string;
  readonly baselineFile: string;
  readonly baselineTakenAt: string;
  readonly checkedAt: string;
  readonly differences: readonly Difference[];
  readonly verdict: Verdict;
  readonly refresh?: RefreshOutcome;
  /** The command that accepts the current state, shown when something differs. */
  readonly acceptCommand: string;
  /** `--quiet`: only the sections that are drift or could not be checked. */
  readonly quiet?: boolean;
}

const SECTIONS: readonly (readonly [DriftKind, string])[] = [
  ['new-failure', 'New failures'],
  ['changed', 'Changed values'],
  ['could-not-check', 'Could not check'],
  ['resolved', 'Resolved'],
  ['still-failing', 'Still failing (accepted in the baseline)'],
  ['new', 'New results'],
  ['removed', 'Removed results'],
];

const COLUMNS: readonly (readonly [DriftKind, string])[] = [
  ['new-failure', 'new failures'],
  ['changed', 'changed values'],
  ['could-not-check', 'could not check'],
  ['resolved', 'resolved'],
  ['still-failing', 'still failing'],
  ['new', 'new results'],
  ['removed', 'removed results'],
  ['unchanged', 'unchanged'],
];

const QUIET_SECTIONS: ReadonlySet<DriftKind> = new Set(['new-failure', 'changed', 'could-not-check']);

const ACCEPTABLE: ReadonlySet<DriftKind> = new Set(['new-failure', 'changed', 'resolved', 'new', 'removed']);

const REFRESH_LABEL: Readonly<Record<RefreshOutcome['status'], string>> = { pass: 'no changes', fail: 'drift', error: 'could not check', skip: 'skipped' };

function item(d: Difference): string {
  const title = findControl(d.control)?.title;
  return `- ${mdCode(d.key)}${title === undefined ? '' : ` ${mdText(title)}`}: ${mdText(d.detail)}`;
}

/** Markdown fit for a GitHub step summary or an issue body: the verdict first, then one section per kind of difference. */
export function renderDriftSummary(input: SummaryInput): string {
  const { counts } = input.verdict;
  const lines = [
    `# prodcheck drift: ${mdText(input.stack)}`,
    '',
    `**${mdText(input.verdict.headline)}**`,
    '',
    `Baseline ${mdCode(input.baselineFile)} taken ${mdText(input.baselineTakenAt)}; checked ${mdText(input.checkedAt)}.`,
    '',
    `| ${COLUMNS.map(([, label]) => label).join(' | ')} |`,
    `|${COLUMNS.map(() => '---:').join('|')}|`,
    `| ${COLUMNS.map(([kind]) => counts[kind]).join(' | ')} |`,
  ];
  for (const [kind, heading] of SECTIONS) {
    if (input.quiet === true && !QUIET_SECTIONS.has(kind)) continue;
    const list = input.differences.filter((d) => d.kind === kind);
    if (list.length > 0) lines.push('', `## ${heading}`, '', ...list.map(item));
  }
  if (input.refresh) lines.push('', '## Pulumi refresh', '', `- ${REFRESH_LABEL[input.refresh.status]}: ${mdText(input.refresh.message)}`);
  // Accepting makes sense for what the live system now is; results that could not be checked are not a state.
  if (input.differences.some((d) => ACCEPTABLE.has(d.kind))) {
    lines.push('', `Once reviewed, accept the current state as the new baseline: ${mdCode(input.acceptCommand)}`);
  }
  return `${lines.join('\n')}\n`;
}
