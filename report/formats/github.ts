import { appendFile } from 'node:fs/promises';
import type { Report, Result } from '../../report/types.js';
import { renderMarkdown } from './md.js';
import { ADVISORY_LABEL, isAdvisory, renderRedacted, waiverNote, type RenderOptions } from './results.js';

/** Workflow-command data, escaped as @actions/core does: a raw newline would end the command and start another. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Property values additionally escape `:` and `,`, which separate the properties from each other and from the data. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function command(r: Result): 'error' | 'warning' | 'notice' | undefined {
  if (r.status === 'waived') return 'notice';
  if (isAdvisory(r)) return 'warning';
  if (r.status !== 'fail' && r.status !== 'error') return undefined;
  if (r.severity === 'critical' || r.severity === 'high') return 'error';
  return r.severity === 'medium' ? 'warning' : 'notice';
}

/**
 * One annotation per result that needs attention, at the stack file's key for the control:
 * `::error file=Pulumi.prod.yaml,line=74,title=pg.rls::[public.orders] RLS must be enabled...`. GitHub
 * resolves `file` against the workspace, so only a workspace-relative path is given.
 */
export function renderAnnotations(report: Report, opts: RenderOptions): string {
  const lines: string[] = [];
  for (const r of report.results) {
    const level = command(r);
    if (level === undefined) continue;
    const at = opts.source?.relative ? [`file=${escapeProperty(opts.source.uri)}`, `line=${opts.source.lineOf(r)}`] : [];
    const props = [...at, `title=${escapeProperty(isAdvisory(r) ? `${r.control} (${ADVISORY_LABEL})` : r.control)}`];
    const note = r.status === 'waived' ? waiverNote(r) : undefined;
    const text = `${r.resource === undefined ? '' : `[${r.resource}] `}${r.message}${note === undefined ? '' : ` (${note})`}`;
    lines.push(`::${level} ${props.join(',')}::${escapeData(text)}\n`);
  }
  return lines.join('');
}

/** The annotations for the log, then the Markdown summary (what the step summary page shows). */
export function renderGithub(report: Report, opts: RenderOptions): string {
  const annotations = renderAnnotations(report, opts);
  const summary = renderMarkdown(report, opts);
  return annotations === '' ? summary : `${annotations}\n${summary}`;
}

/**
 * Appends the summary to the step-summary file. The caller passes the path (from GITHUB_STEP_SUMMARY)
 * so the renderers stay free of the environment; the text goes through the same redaction as `render`.
 */
export async function appendStepSummary(path: string, report: Report, opts: RenderOptions): Promise<void> {
  await appendFile(path, renderRedacted(report, opts, renderMarkdown), 'utf8');
}
