import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { PolicyPackConfig } from '../../gate/policy-config.js';
import { policyPackConfigFor } from '../../gate/policy-config.js';
import { PREVIEW_UNKNOWN } from '../../gate/report.js';
import type { ConfigSource } from '../../gate/run.js';
import { runGate } from '../../gate/run.js';
import { ConfigError, UsageError } from '../../spec/index.js';
import { Redactor } from '../../report/redact.js';
import { sourceMapOf } from '../../report/source.js';
import { exitCodeFor } from '../../report/summary.js';
import type { Values } from '../types.js';
import type { Io } from '../io.js';
import { EXIT } from '../io.js';
import { loadStackOption } from '../options.js';
import { emitReports, reportPlan, workspaceRoot } from '../reports.js';
import { reportError } from '../errors.js';

/** A `--policy-pack-config` file: the same JSON `pulumi preview` takes, laid over the config derived from the stack. */
function readPolicyConfig(file: string): PolicyPackConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(file, [{ path: '', message: `cannot read the policy config (${(e as NodeJS.ErrnoException).code ?? String(e)})` }]);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(file, [{ path: '', message: `is not JSON: ${(e as Error).message}` }]);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new ConfigError(file, [{ path: '', message: 'must be a JSON object of policy names (or "all") to settings' }]);
  return doc as PolicyPackConfig;
}

/** Says in the summary that skipped is not passed, and what the gate could not see. */
function unjudgedNote(count: number, source: ConfigSource): string {
  const what = `Not judged: ${count} ${count === 1 ? 'check rests' : 'checks rest'} on values the gate could not see (skipped, not passed).`;
  if (source.unseen.length === 0) return `${what} They are outputs known only once \`pulumi up\` creates the resources.`;
  const keys = `Config not seen: ${source.unseen.join(', ')}`;
  return source.from === 'file'
    ? `${what}\n${keys} (${source.reason ?? 'offline'}): run where \`pulumi config --show-secrets --stack <stack>\` works to judge them.`
    : `${what}\n${keys} (not set in the stack).`;
}

export async function run(values: Values, _positionals: string[], io: Io): Promise<number> {
  const plan = reportPlan(values, io, 'console');
  const stack = loadStackOption(values, io);

  if (values['print-policy-config'] === true) {
    const text = `${JSON.stringify(policyPackConfigFor(stack.spec), null, 2)}\n`;
    if (plan.out) writeFileSync(plan.out, text);
    else io.stdout(text);
    return EXIT.ok;
  }
  if (!existsSync(resolve(io.cwd, 'Pulumi.yaml'))) throw new UsageError(`no Pulumi.yaml in ${io.cwd}: run prodcheck gate in the project directory (where the program and policies/ are)`);
  const configFile = values['policy-config'] ? resolve(io.cwd, String(values['policy-config'])) : undefined;
  // The gate registers the stack's secret config values here: a policy or the program may quote one.
  const redactor = new Redactor();
  let gate: Awaited<ReturnType<typeof runGate>>;
  try {
    gate = await runGate({
      stack,
      projectDir: io.cwd,
      redactor,
      ...(configFile && { policyConfig: readPolicyConfig(configFile), policyConfigSource: configFile }),
    });
  } catch (e) {
    return reportError(e, 'gate', io, (s) => redactor.redact(s));
  }
  // Advisory violations are passes marked `advisory`: every format shows them (console and HTML in their own section).
  await emitReports(plan, gate.report, { io, redactor, title: 'prodcheck gate', source: sourceMapOf(stack.file, workspaceRoot(io)), selection: 'all policies' });
  const unjudged = gate.report.results.filter((r) => r.status === 'skip' && PREVIEW_UNKNOWN.test(r.message));
  if (unjudged.length > 0) (plan.format === 'console' && plan.out === undefined ? io.stdout : io.stderr)(`\n${unjudgedNote(unjudged.length, gate.configSource)}\n`);
  if (gate.unknownPolicyNames.length > 0) {
    io.stderr(`prodcheck gate: ${configFile ?? 'the policy config'} names ${gate.unknownPolicyNames.join(', ')}, which the pack does not have: ignored, as \`pulumi preview --policy-pack-config\` ignores it\n`);
  }
  for (const log of gate.engineLogs) if (log.severity === 'warning' || log.severity === 'error') io.stderr(redactor.redact(`prodcheck gate: the policy pack logged (${log.severity}): ${log.message}\n`));
  return exitCodeFor(gate.report, plan.failOn);
}
