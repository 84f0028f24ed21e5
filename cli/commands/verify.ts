import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Redactor } from '../../report/redact.js';
import { FAMILIES } from '../../verify/registry.js';
import { FORMATS, appendStepSummary, createProgress, render } from '../../report/formats/index.js';
import { checkedNothing, checkedNothingNote, exitCodeOf } from '../../report/summary.js';
import { runVerify } from '../../verify/runner.js';
import type { Values } from '../types.js';
import { reportError } from '../errors.js';
import type { Io } from '../io.js';
import { choice, controlSelection, loadStackOption, loadTargetsOption } from '../options.js';

export async function run(values: Values, _positionals: string[], io: Io): Promise<number> {
  const format = choice(values, 'format', FORMATS);
  const select = controlSelection(values);
  const stack = loadStackOption(values, io);
  const targets = loadTargetsOption(values, io);
  const redactor = new Redactor().add(...targets.secrets);
  try {
    const out = values.out ? resolve(io.cwd, String(values.out)) : undefined;
    const color = io.isTTY && !io.env.NO_COLOR;
    // Live progress only where it cannot corrupt a machine-readable report on stdout.
    const progress = format === 'console' || out ? createProgress({ write: out ? io.stderr : io.stdout, isTTY: io.isTTY, color, redactor }) : undefined;
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
    const text = render(format, report, { redactor, color: color && !out, title: 'prodcheck verify', configFile: stack.file });
    if (out) {
      writeFileSync(out, text);
      progress?.finish(report);
    } else if (format === 'console' && progress) {
      progress.finish(report);
    } else {
      io.stdout(text);
    }
    if (format === 'github' && io.env.GITHUB_STEP_SUMMARY) await appendStepSummary(io.env.GITHUB_STEP_SUMMARY, report, { redactor, title: 'prodcheck verify' });
    if (checkedNothing(report.summary)) io.stderr(`prodcheck verify: ${checkedNothingNote(report.summary)}\n`);
    return exitCodeOf(report.summary);
  } catch (e) {
    return reportError(e, 'verify', io, (s) => redactor.redact(s));
  }
}
