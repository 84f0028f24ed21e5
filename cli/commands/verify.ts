import { Redactor } from '../../report/redact.js';
import { FAMILIES } from '../../verify/registry.js';
import { createProgress } from '../../report/formats/index.js';
import { sourceMapOf } from '../../report/source.js';
import { checkedNothing, checkedNothingNote, exitCodeFor } from '../../report/summary.js';
import { runVerify } from '../../verify/runner.js';
import type { Values } from '../types.js';
import { reportError } from '../errors.js';
import type { Io } from '../io.js';
import { controlSelection, loadStackOption, loadTargetsOption } from '../options.js';
import { emitReports, reportPlan, selectionOf, workspaceRoot } from '../reports.js';

export async function run(values: Values, _positionals: string[], io: Io): Promise<number> {
  const plan = reportPlan(values, io, 'console');
  const select = controlSelection(values);
  const stack = loadStackOption(values, io);
  const targets = loadTargetsOption(values, io);
  const redactor = new Redactor().add(...targets.secrets);
  try {
    const color = io.isTTY && !io.env.NO_COLOR;
    // Live progress only where it cannot corrupt a machine-readable report on stdout.
    const progressTo = plan.out !== undefined ? io.stderr : plan.format === 'console' ? io.stdout : undefined;
    const progress = progressTo
      ? createProgress({ write: progressTo, isTTY: io.isTTY, color: color && plan.out === undefined, redactor, title: 'prodcheck verify', summary: { width: io.columns, quiet: plan.quiet, failOn: plan.failOn } })
      : undefined;
    // Every report below renders this one run: acting checks (--active) never run twice.
    const report = await runVerify({
      stack: stack.stack,
      spec: stack.spec,
      targets: targets.targets,
      families: FAMILIES,
      redactor,
      select,
      active: values.active === true,
      onResults: progress ? (r) => progress.onResults(r) : undefined,
    });
    await emitReports(plan, report, {
      io,
      redactor,
      title: 'prodcheck verify',
      source: sourceMapOf(stack.file, workspaceRoot(io)),
      selection: selectionOf(values),
      ...(progress && { finishProgress: (r) => progress.finish(r) }),
    });
    if (checkedNothing(report.summary)) io.stderr(`prodcheck verify: ${checkedNothingNote(report.summary)}\n`);
    return exitCodeFor(report, plan.failOn);
  } catch (e) {
    return reportError(e, 'verify', io, (s) => redactor.redact(s));
  }
}
