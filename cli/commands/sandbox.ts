import { readFileSync } from 'node:fs';
import type { Severity } from '../../checklist/index.js';
import { SANDBOX_FAMILIES } from '../../sandbox/families.js';
import { countsLine, fillChecklist } from '../../checklist/fill.js';
import { profileChecklist, runSandbox, sandboxExitCode } from '../../sandbox/run.js';
import type { SandboxRun } from '../../sandbox/run.js';
import { Redactor } from '../../report/redact.js';
import { FAMILIES } from '../../verify/registry.js';
import { createProgress, render } from '../../report/formats/index.js';
import { sourceMapOf } from '../../report/source.js';
import { atLeast } from '../../report/summary.js';
import { mdText } from '../../report/formats/md.js';
import type { Values } from '../types.js';
import { reportError } from '../errors.js';
import type { Io } from '../io.js';
import { emitReports, reportPlan, workspaceRoot } from '../reports.js';
import { EXIT_INTERRUPTED, atInterrupt, whenInterrupted } from '../interrupt.js';

export async function run(values: Values, _positionals: string[], io: Io): Promise<number> {
  const plan = reportPlan(values, io, 'console');
  const format = plan.format;
  const breaks = String(values.break ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const out = plan.out;
  const redactor = new Redactor();
  const color = io.isTTY && !io.env.NO_COLOR;
  // Machine-readable output on stdout stays clean: logs and progress then go to stderr.
  const human = format === 'console' && !out ? io.stdout : io.stderr;
  const progress = createProgress({ write: human, isTTY: io.isTTY, color, redactor, title: 'prodcheck sandbox', summary: { width: io.columns, quiet: plan.quiet } });
  let sandbox: SandboxRun | undefined;
  try {
    sandbox = await runSandbox({
      profile: values.profile as string | undefined,
      breaks,
      families: SANDBOX_FAMILIES,
      verifyFamilies: FAMILIES,
      redactor,
      log: (line) => (plan.quiet ? undefined : human(`${redactor.redact(line)}\n`)),
      onResults: (r) => progress.onResults(r),
      registerCleanup: atInterrupt,
    });
    const { report } = sandbox;
    // One run, every report: the sandbox's active checks are not repeated for a second format.
    const ctx = { io, redactor, title: 'prodcheck sandbox', source: sourceMapOf(sandbox.stack.file, workspaceRoot(io)), finishProgress: (r: typeof report) => progress.finish(r) };
    await emitReports(plan, report, ctx);
    if (format === 'console' && !out && !plan.quiet) {
      const checklist = profileChecklist(values.profile as string | undefined);
      if (checklist) {
        const filled = fillChecklist(readFileSync(checklist, 'utf8'), report.results, { sanitize: (s) => mdText(redactor.redact(s)) });
        io.stdout(`\n--- ${checklist}, filled in from this run ---\n\n${filled.text}\n${countsLine(filled.items)}\n`);
      } else {
        io.stdout(`\n${render('md', report, { redactor, title: 'prodcheck sandbox' })}`);
      }
    }
    human(plantedSummary(sandbox, sandboxExit(sandbox, plan.failOn)));
    if (values.keep) {
      await keepRunning(sandbox, (s) => human(redactor.redact(s)));
      return EXIT_INTERRUPTED;
    }
    return sandboxExit(sandbox, plan.failOn);
  } catch (e) {
    return reportError(e, 'sandbox', io, (s) => redactor.redact(s));
  } finally {
    await sandbox?.stop();
  }
}

/** The sandbox's exit code; --fail-on lets unexpected failures below it through, a planted fault that did not fail never. */
export function sandboxExit(run: Pick<SandboxRun, 'missed' | 'unexpected' | 'report'>, failOn?: Severity): 0 | 1 | 3 {
  return sandboxExitCode(failOn === undefined ? run : { ...run, unexpected: run.unexpected.filter((r) => atLeast(r.severity, failOn)) });
}

/** What was planted and how it went; with planted faults the report's own exit line is not the sandbox's, so the last line says what it exits. */
function plantedSummary(run: SandboxRun, code: 0 | 1 | 3): string {
  const lines: string[] = [];
  if (run.planted.length > 0) lines.push(`Planted faults: ${run.planted.join(', ')}.`);
  for (const id of run.missed) lines.push(`MISSED: the planted fault for ${id} did not make ${id} fail.`);
  for (const r of run.unexpected) lines.push(`UNEXPECTED: ${r.control} failed without a planted fault: ${r.message}`);
  if (run.planted.length > 0 && run.missed.length === 0 && run.unexpected.length === 0) lines.push(`Exactly the planted faults failed: the sandbox exits ${code}.`);
  else if (run.planted.length > 0) lines.push(`The sandbox exits ${code}.`);
  return lines.length > 0 ? `\n${lines.join('\n')}\n` : '';
}

/** The command that verifies the kept sandbox as this run did: its raised budgets, without what it skipped. */
export function verifyCommand(run: Pick<SandboxRun, 'configFile' | 'targetsFile' | 'skipped'>): string {
  const skip = run.skipped.size > 0 ? ` --skip ${[...run.skipped.keys()].join(',')}` : '';
  return `npx prodcheck verify --config ${run.configFile} --targets ${run.targetsFile}${skip}`;
}

async function keepRunning(run: SandboxRun, write: (s: string) => void): Promise<void> {
  run.keep();
  write(`\nThe sandbox keeps running (Ctrl-C stops it):\n${run.describe.map((d) => `  ${d}`).join('\n')}\n`);
  write(`Verify it yourself: ${verifyCommand(run)}\n`);
  // The interrupt handler stops the sandbox, removes its files and exits 130.
  await whenInterrupted();
}
