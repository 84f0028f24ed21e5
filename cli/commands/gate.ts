import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { PolicyPackConfig } from '../../gate/policy-config.js';
import { policyPackConfigFor } from '../../gate/policy-config.js';
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
  const gate = await runGate({
    stack,
    projectDir: io.cwd,
    ...(configFile && { policyConfig: readPolicyConfig(configFile), policyConfigSource: configFile }),
  });
  // Advisory violations are passes marked `advisory`: every format shows them (console and HTML in their own section).
  await emitReports(plan, gate.report, { io, redactor: new Redactor(), title: 'prodcheck gate', source: sourceMapOf(stack.file, workspaceRoot(io)), selection: 'all policies' });
  for (const log of gate.engineLogs) if (log.severity === 'warning' || log.severity === 'error') io.stderr(`prodcheck gate: the policy pack logged (${log.severity}): ${log.message}\n`);
  return exitCodeFor(gate.report, plan.failOn);
}
