import { dirname, resolve } from 'node:path';
import { existingFingerprintKey, makeBaseline, readBaseline, writeBaseline } from '../../drift/baseline.js';
import { diff } from '../../drift/diff.js';
import { wasChecked } from '../../drift/observe.js';
import type { RefreshOutcome } from '../../drift/refresh.js';
import { pulumiRefresh, refreshResult } from '../../drift/refresh.js';
import { runDrift } from '../../drift/run.js';
import { renderDriftSummary } from '../../drift/summary.js';
import { verdictOf } from '../../drift/verdict.js';
import { UsageError } from '../../spec/index.js';
import { Redactor, newFingerprintKey, useFingerprintKey } from '../../report/redact.js';
import { FAMILIES } from '../../verify/registry.js';
import { sourceMapOf } from '../../report/source.js';
import { totalsLine } from '../../report/formats/results.js';
import { checkedNothing, checkedNothingNote, summarize } from '../../report/summary.js';
import type { Values } from '../types.js';
import { reportError } from '../errors.js';
import type { Io } from '../io.js';
import { EXIT } from '../io.js';
import { loadStackOption, loadTargetsOption } from '../options.js';
import { checkWritableFile } from '../output-paths.js';
import { reportPlan, workspaceRoot, writeReportFiles } from '../reports.js';

export async function run(values: Values, _positionals: string[], io: Io): Promise<number> {
  const baselineArg = values.baseline as string | undefined;
  if (!baselineArg) throw new UsageError('which baseline? pass --baseline FILE (create it once with --update-baseline, review it, commit it)');
  const update = values['update-baseline'] === true;
  const refresh = values.refresh === true;
  if (update && refresh) throw new UsageError('--refresh does nothing with --update-baseline: Pulumi keeps its own state, the baseline holds only the checks');
  if (values.format !== undefined && values.out === undefined) throw new UsageError('--format chooses the format of the results report written with --out FILE; stdout always carries the drift summary');
  const plan = reportPlan(values, io, 'json');
  const baselineFile = resolve(io.cwd, baselineArg);
  // The baseline --update-baseline writes at the end: a path it cannot be written to stops the run now.
  if (update) checkWritableFile(baselineFile, `--baseline ${baselineArg}`, { createDirs: true, example: 'baseline.json' });
  const stack = loadStackOption(values, io);
  const targets = loadTargetsOption(values, io);
  const acceptCommand = acceptCommandOf(values, baselineArg);
  // Bad input stops before anything is contacted (exit 2 means nothing was run).
  const baseline = update ? undefined : readBaseline(baselineFile, `Create it from the current state with \`${acceptCommand}\`, review it and commit it.`);
  if (baseline && baseline.stack !== stack.stack) {
    throw new UsageError(`${baselineArg} is the baseline of stack "${baseline.stack}", not "${stack.stack}": pass the baseline of this stack, or take one with \`${acceptCommand}\``);
  }
  const redactor = new Redactor().add(...targets.secrets);
  // Secret fingerprints are keyed by the baseline, so that they compare with it and cannot be reversed without it.
  const fingerprintKey = baseline?.fingerprintKey ?? (update ? existingFingerprintKey(baselineFile) : undefined) ?? newFingerprintKey();
  useFingerprintKey(fingerprintKey);
  try {
    // The refresh talks to the cloud providers, the checks to the live systems: neither waits for the other.
    const refreshing: Promise<RefreshOutcome | undefined> = refresh ? pulumiRefresh({ stack: stack.stack, cwd: dirname(stack.file), env: io.env }) : Promise.resolve(undefined);
    const [{ report: checked, observations }, refreshOutcome] = await Promise.all([
      runDrift({ stack: stack.stack, spec: stack.spec, targets: targets.targets, families: FAMILIES, redactor }),
      refreshing,
    ]);
    const source = sourceMapOf(stack.file, workspaceRoot(io));
    if (!baseline) {
      // An all-skip baseline would accept "nothing could be seen" as the desired state.
      if (checkedNothing(checked.summary)) {
        io.stderr(`prodcheck drift: no baseline written: ${checkedNothingNote(checked.summary)}\n`);
        await writeReportFiles(plan, checked, { io, redactor, title: 'prodcheck drift', source });
        return EXIT.couldNotCheck;
      }
      writeBaseline(baselineFile, makeBaseline(stack.stack, new Date(checked.startedAt), observations, fingerprintKey), redactor);
      const unchecked = observations.filter((o) => !wasChecked(o)).length;
      io.stdout(`Baseline written to ${baselineArg}: ${observations.length} results of stack ${stack.stack} (${totalsLine(checked.summary)}).\n`);
      if (unchecked > 0) io.stderr(redactor.redact(`Note: ${unchecked} of them could not be checked; they count as new results once they can be.\n`));
      await writeReportFiles(plan, checked, { io, redactor, title: 'prodcheck drift', source });
      return EXIT.ok;
    }
    const differences = diff(baseline.entries, observations);
    const verdict = verdictOf(differences, refreshOutcome, plan.failOn);
    const summary = renderDriftSummary({
      stack: stack.stack,
      baselineFile: baselineArg,
      baselineTakenAt: baseline.createdAt,
      checkedAt: checked.startedAt,
      differences,
      verdict,
      acceptCommand,
      quiet: plan.quiet,
      ...(refreshOutcome && { refresh: refreshOutcome }),
    });
    io.stdout(redactor.redact(summary));
    const results = refreshOutcome ? [...checked.results, redactor.redactValue(refreshResult(refreshOutcome))] : checked.results;
    await writeReportFiles(plan, { ...checked, results, summary: summarize(results) }, { io, redactor, title: 'prodcheck drift', source });
    return verdict.exitCode;
  } catch (e) {
    return reportError(e, 'drift', io, (s) => redactor.redact(s));
  }
}

/** The command that accepts the current state: every flag that says which stack and where it lives. */
export function acceptCommandOf(values: Values, baseline: string): string {
  const flags = [values.stack ? `--stack ${String(values.stack)}` : `--config ${String(values.config)}`];
  if (values.targets) flags.push(`--targets ${String(values.targets)}`);
  if (values.outputs) flags.push(`--outputs ${String(values.outputs)}`);
  return `npx prodcheck drift ${flags.join(' ')} --baseline ${baseline} --update-baseline`;
}
