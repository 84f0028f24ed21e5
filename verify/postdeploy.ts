import { resolve } from 'node:path';
import { CONTROLS, selectControls } from '../checklist/index.js';
import type { LoadedStack } from '../spec/index.js';
import { ConfigError, loadOutputs, loadStackFile, loadTargets, stackFile } from '../spec/index.js';
import { Redactor } from '../report/redact.js';
import { FAMILIES } from './registry.js';
import { runVerify } from './runner.js';
import type { Report } from './types.js';

/**
 * Runs verify from environment variables, for the `postdeploy` vitest project:
 * PRODCHECK_STACK or PRODCHECK_CONFIG, PRODCHECK_TARGETS, optional PRODCHECK_OUTPUTS, PRODCHECK_ONLY, PRODCHECK_SKIP, PRODCHECK_ACTIVE=1.
 */
export async function verifyFromEnv(env: NodeJS.ProcessEnv, cwd: string): Promise<{ stack: LoadedStack; report: Report; redactor: Redactor }> {
  const where = 'postdeploy environment';
  const stackPath = env.PRODCHECK_CONFIG ? resolve(cwd, env.PRODCHECK_CONFIG) : env.PRODCHECK_STACK ? stackFile(env.PRODCHECK_STACK, cwd) : undefined;
  if (!stackPath) throw new ConfigError(where, [{ path: 'PRODCHECK_STACK', message: 'is not set: set PRODCHECK_STACK=NAME (./Pulumi.NAME.yaml) or PRODCHECK_CONFIG=FILE' }]);
  if (!env.PRODCHECK_TARGETS) throw new ConfigError(where, [{ path: 'PRODCHECK_TARGETS', message: 'is not set: point it at the targets YAML file' }]);
  const { select, unknown } = selectControls(env.PRODCHECK_ONLY, env.PRODCHECK_SKIP);
  // A typo would otherwise select nothing, and a run of no tests looks green.
  if (unknown.length > 0) throw new ConfigError(where, unknown.map((glob) => ({ path: 'PRODCHECK_ONLY / PRODCHECK_SKIP', message: `"${glob}" matches no control id (see prodcheck controls)` })));
  if (!CONTROLS.some((c) => select(c.id))) throw new ConfigError(where, [{ path: 'PRODCHECK_ONLY / PRODCHECK_SKIP', message: 'leave no control to check: narrow PRODCHECK_SKIP or widen PRODCHECK_ONLY' }]);
  const stack = loadStackFile(stackPath);
  const outputs = env.PRODCHECK_OUTPUTS ? loadOutputs(resolve(cwd, env.PRODCHECK_OUTPUTS)) : undefined;
  const targets = loadTargets(resolve(cwd, env.PRODCHECK_TARGETS), env, outputs);
  const redactor = new Redactor().add(...targets.secrets);
  const report = await runVerify({
    stack: stack.stack,
    spec: stack.spec,
    targets: targets.targets,
    families: FAMILIES,
    redactor,
    active: env.PRODCHECK_ACTIVE === '1' || env.PRODCHECK_ACTIVE === 'true',
    select,
  });
  return { stack, report, redactor };
}
