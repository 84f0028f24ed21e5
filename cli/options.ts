import { CONTROLS, selectControls } from '../checklist/index.js';
import type { LoadedStack, LoadedTargets } from '../spec/index.js';
import { UsageError, loadOutputs, loadStackFile, loadTargets, stackFile } from '../spec/index.js';
import type { Values } from './types.js';
import type { Io } from './io.js';
import { resolve } from 'node:path';

/** `--stack NAME` (./Pulumi.NAME.yaml) or `--config FILE`, exactly one. */
export function loadStackOption(values: Values, io: Io): LoadedStack {
  const stack = values.stack as string | undefined;
  const config = values.config as string | undefined;
  if (stack && config) throw new UsageError('pass either --stack NAME or --config FILE, not both');
  if (!stack && !config) throw new UsageError('which stack? pass --stack NAME (reads ./Pulumi.NAME.yaml) or --config FILE');
  return loadStackFile(config ? resolve(io.cwd, config) : stackFile(stackName(stack as string), io.cwd));
}

/**
 * A Pulumi stack name as the Pulumi CLI takes it: `prod`, `org/prod` or `org/project/prod`. The stack
 * file is named by the last part (Pulumi.prod.yaml).
 */
export function stackName(stack: string): string {
  const parts = stack.split('/');
  const name = parts[parts.length - 1] ?? '';
  if (parts.length > 3 || parts.some((p) => !/^[A-Za-z0-9_.-]+$/.test(p))) {
    throw new UsageError(`--stack "${stack}" is not a stack name: pass NAME, ORG/NAME or ORG/PROJECT/NAME (letters, digits, _ . -); NAME picks ./Pulumi.NAME.yaml`);
  }
  return name;
}

export function loadTargetsOption(values: Values, io: Io): LoadedTargets {
  const file = values.targets as string | undefined;
  if (!file) throw new UsageError('no targets: pass --targets FILE saying where the live systems are (see targets.example.yaml)');
  const outputsFile = values.outputs as string | undefined;
  const outputs = outputsFile ? loadOutputs(resolve(io.cwd, outputsFile)) : undefined;
  return loadTargets(resolve(io.cwd, file), io.env, outputs);
}

/** --only / --skip control globs; a glob that matches no control is a typo worth stopping for. */
export function controlSelection(values: Values): (id: string) => boolean {
  const only = values.only as string | undefined;
  const skip = values.skip as string | undefined;
  // `--only ''` (an unset shell variable) must not widen to every control.
  for (const [flag, globs] of [['only', only], ['skip', skip]] as const) {
    if (globs !== undefined && globs.split(',').every((g) => g.trim() === '')) throw new UsageError(`--${flag} is empty: pass control globs such as pg.* or redis.tls (see prodcheck controls)`);
  }
  const { select, unknown } = selectControls(only, skip);
  const [typo] = unknown;
  if (typo !== undefined) throw new UsageError(`"${typo}" matches no control id (see prodcheck controls)`);
  if (!CONTROLS.some((c) => select(c.id))) {
    throw new UsageError(`${[only !== undefined && `--only ${only}`, skip !== undefined && `--skip ${skip}`].filter(Boolean).join(' ')} leaves no control to check: narrow --skip or widen --only (see prodcheck controls)`);
  }
  return select;
}

/** `value` when it is one of `allowed`; else the usage error every flag gives: `<label> must be one of … (found "v")`. */
export function oneOf<T extends string>(value: string, label: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${label} must be one of ${allowed.join(', ')} (found "${value}")`);
  return value as T;
}
