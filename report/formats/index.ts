import type { Report } from '../../report/types.js';
import { renderConsole } from './console.js';
import { renderAnnotations, renderGithub } from './github.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './md.js';
import { renderRedacted, type RenderOptions } from './results.js';
import { renderSarif } from './sarif.js';

import { FORMATS, type Format } from './names.js';

export { FORMATS, type Format } from './names.js';

export type { RenderOptions } from './results.js';
export { createProgress, type Progress, type ProgressOptions } from './console.js';
export { appendStepSummary } from './github.js';

const RENDERERS: Readonly<Record<Format, (report: Report, opts: RenderOptions) => string>> = {
  console: renderConsole,
  json: renderJson,
  junit: renderJunit,
  md: renderMarkdown,
  sarif: renderSarif,
  github: renderGithub,
  html: renderHtml,
};

export function isFormat(value: string): value is Format {
  return (FORMATS as readonly string[]).includes(value);
}

/**
 * The complete report document in one format. The only way the commands reach a reporter, so no
 * format can skip redaction: the report is redacted before rendering and the document after.
 */
export function render(format: Format, report: Report, opts: RenderOptions): string {
  return renderRedacted(report, opts, RENDERERS[format]);
}

/** The GitHub workflow commands alone, redacted like every format: for the log when the github report goes to a file. */
export function renderAnnotationsOnly(report: Report, opts: RenderOptions): string {
  return renderRedacted(report, opts, renderAnnotations);
}
