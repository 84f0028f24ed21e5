import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Severity } from '../checklist/index.js';
import { FORMATS, appendStepSummary, render, renderAnnotationsOnly, type Format, type RenderOptions } from '../report/formats/index.js';
import type { Redactor } from '../report/redact.js';
import type { SourceMap } from '../report/source.js';
import { SEVERITIES } from '../report/summary.js';
import type { Report } from '../report/types.js';
import { UsageError } from '../spec/index.js';
import type { Io } from './io.js';
import { checkWritableFile } from './output-paths.js';
import type { Values } from './types.js';
import { VERSION, packageProjectUrl } from './version.js';
import { oneOf } from './options.js';

export interface ReportPlan {
  readonly format: Format;
  readonly out?: string;
  readonly extra: readonly { readonly format: Format; readonly file: string }[];
  readonly quiet: boolean;
  readonly failOn?: Severity;
}

/** The usual extension of each format, for the example a message gives. */
const EXTENSION: Readonly<Record<Format, string>> = { console: 'txt', json: 'json', junit: 'xml', sarif: 'sarif', github: 'txt', md: 'md', html: 'html' };

/** Reads --format, --out, --report, --fail-on and --quiet; every mistake is a usage error before anything runs. */
export function reportPlan(values: Values, io: Io, defaultFormat: Format): ReportPlan {
  const format = oneOf(String(values.format ?? defaultFormat), '--format', FORMATS);
  const extra = ((values.report as string[] | undefined) ?? []).map((spec) => {
    const m = /^([a-z]+)=(.+)$/.exec(spec);
    if (!m?.[1] || !m[2]) throw new UsageError(`--report takes FORMAT=FILE, e.g. --report junit=out.xml (found "${spec}")`);
    const report = { format: oneOf(m[1], `--report ${spec}: format`, FORMATS), file: resolve(io.cwd, m[2]) };
    // A report that cannot be written is found now, not after the run (and its acting probes).
    checkWritableFile(report.file, `--report ${spec}`, { example: `report.${EXTENSION[report.format]}` });
    return report;
  });
  const out = values.out === undefined ? undefined : resolve(io.cwd, String(values.out));
  const files = [...(out ? [out] : []), ...extra.map((e) => e.file)];
  const twice = files.find((f, i) => files.indexOf(f) !== i);
  if (twice !== undefined) throw new UsageError(`${twice} is named by two reports: give each --out/--report its own file`);
  if (out !== undefined) checkWritableFile(out, `--out ${String(values.out)}`, { example: `report.${EXTENSION[format]}` });
  const failOn = values['fail-on'] === undefined ? undefined : oneOf(String(values['fail-on']), '--fail-on', SEVERITIES);
  return { format, ...(out && { out }), extra, quiet: values.quiet === true, ...(failOn !== undefined && { failOn }) };
}

export interface EmitContext {
  readonly io: Io;
  readonly redactor: Redactor;
  readonly title: string;
  readonly source?: SourceMap;
  readonly selection?: string;
  /** The console summary goes through the live progress when there is one (it clears its status line first). */
  readonly finishProgress?: (report: Report) => void;
}

/** What every format of this run is rendered with. */
export function renderOptions(plan: ReportPlan, ctx: Omit<EmitContext, 'finishProgress'>): RenderOptions {
  return {
    redactor: ctx.redactor,
    title: ctx.title,
    toolVersion: VERSION,
    ...(packageProjectUrl() !== undefined && { toolUri: packageProjectUrl() }),
    width: ctx.io.columns ?? 100,
    quiet: plan.quiet,
    ...(ctx.source && { source: ctx.source }),
    ...(ctx.selection !== undefined && { selection: ctx.selection }),
    ...(plan.failOn && { failOn: plan.failOn }),
  };
}

/**
 * Writes every report of the run from the one result set: the --format report to stdout (or --out),
 * each --report to its file. GitHub annotations written to a file still go to stdout, where the runner
 * reads them, and the Markdown summary to GITHUB_STEP_SUMMARY.
 */
export async function emitReports(plan: ReportPlan, report: Report, ctx: EmitContext): Promise<void> {
  await writeReportFiles(plan, report, ctx);
  if (plan.out === undefined) {
    const color = ctx.io.isTTY && !ctx.io.env.NO_COLOR && plan.format === 'console';
    if (plan.format === 'console' && ctx.finishProgress) ctx.finishProgress(report);
    else ctx.io.stdout(render(plan.format, report, { ...renderOptions(plan, ctx), color }));
  } else {
    ctx.finishProgress?.(report);
  }
}

/** The reports that go to files (--out, every --report), and what GitHub reads of them from the log and the step summary. */
export async function writeReportFiles(plan: ReportPlan, report: Report, ctx: EmitContext): Promise<void> {
  const opts = renderOptions(plan, ctx);
  if (plan.out !== undefined) writeFileSync(plan.out, render(plan.format, report, opts));
  for (const { format, file } of plan.extra) writeFileSync(file, render(format, report, opts));
  const githubInFile = (plan.out !== undefined && plan.format === 'github') || plan.extra.some((e) => e.format === 'github');
  if (githubInFile) ctx.io.stdout(renderAnnotationsOnly(report, opts));
  const github = plan.format === 'github' || plan.extra.some((e) => e.format === 'github');
  if (github && ctx.io.env.GITHUB_STEP_SUMMARY) await appendStepSummary(ctx.io.env.GITHUB_STEP_SUMMARY, report, opts);
}

/** `--only`/`--skip` as SARIF's automationDetails records them. */
export function selectionOf(values: Values): string {
  const parts = [values.only !== undefined && `only ${String(values.only)}`, values.skip !== undefined && `skip ${String(values.skip)}`].filter(Boolean);
  return parts.length === 0 ? 'all controls' : parts.join(' ');
}

/** The workspace root results are relative to: GITHUB_WORKSPACE in GitHub Actions, else the working directory. */
export function workspaceRoot(io: Io): string {
  return io.env.GITHUB_WORKSPACE ?? io.cwd;
}
