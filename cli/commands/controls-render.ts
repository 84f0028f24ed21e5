import { STAGES } from '../../checklist/index.js';
import type { Coverage } from '../../checklist/coverage.js';

/** The three pages of `prodcheck controls`, rendered from a coverage. */
export const CONTROLS_FORMATS = ['table', 'json', 'md'] as const;
export type ControlsFormat = (typeof CONTROLS_FORMATS)[number];

/** x: implemented, -: the catalogue asks for it and nothing implements it yet, blank: not a stage of this control. */
function mark(row: Coverage['rows'][number], stage: (typeof STAGES)[number]): string {
  const v = row.stages[stage];
  return v === undefined ? ' ' : v ? 'x' : '-';
}

function totalsLine(coverage: Coverage): string {
  return coverage.totals.map((t) => `${t.stage} ${t.implemented}/${t.required}`).join('   ');
}

export function renderTable(coverage: Coverage): string {
  const idWidth = Math.max(...coverage.rows.map((r) => r.control.id.length));
  const header = `${'CONTROL'.padEnd(idWidth)}  SEVERITY  ${STAGES.join(' ')}  TITLE`;
  const lines = coverage.rows.map((r) => `${r.control.id.padEnd(idWidth)}  ${r.control.severity.padEnd(8)}  ${STAGES.map((s) => mark(r, s)).join(' ')}  ${r.control.title}`);
  return `${header}\n${lines.join('\n')}\n\n${coverage.rows.length} controls. Implemented/required per stage: ${totalsLine(coverage)}\n(x implemented, - not yet, blank: not a stage of the control. P provision, G gate, V verify, D drift, A active)\n`;
}

export function renderJson(coverage: Coverage): string {
  const controls = coverage.rows.map((r) => ({ ...r.control, coverage: r.stages }));
  return `${JSON.stringify({ version: 1, count: controls.length, totals: coverage.totals, controls }, null, 2)}\n`;
}

export function renderMarkdown(coverage: Coverage): string {
  const cell = (r: Coverage['rows'][number], s: (typeof STAGES)[number]) => ({ x: '✅', '-': '⬜', ' ': '' })[mark(r, s)];
  const rows = coverage.rows.map((r) => `| \`${r.control.id}\` | ${r.control.severity} | ${STAGES.map((s) => cell(r, s)).join(' | ')} | ${r.control.title.replace(/\|/g, '\\|')} |`);
  return `# prodcheck controls\n\n${coverage.rows.length} controls. Implemented/required per stage: ${totalsLine(coverage)}\n\n| control | severity | ${STAGES.join(' | ')} | title |\n|---|---|${STAGES.map(() => ':-:').join('|')}|---|\n${rows.join('\n')}\n\n✅ implemented, ⬜ not yet, blank: not a stage of the control.\n`;
}

export function renderControls(coverage: Coverage): Readonly<Record<ControlsFormat, string>> {
  return { table: renderTable(coverage), json: renderJson(coverage), md: renderMarkdown(coverage) };
}
