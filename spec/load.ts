import { basename } from 'node:path';
import type { ConfigProblem } from './errors.js';
import { ConfigError } from './errors.js';
import { INPUT_LIMITS, parseYamlInput, readInputFile } from './input.js';
import type { StackSpec } from './schema/index.js';
import { stackSpecSchema } from './schema/index.js';
import { zodProblems } from './zod-problems.js';

export const NAMESPACE = 'prodcheck';

export interface LoadedStack {
  readonly file: string;
  /** `prod` for Pulumi.prod.yaml. */
  readonly stack: string;
  readonly spec: StackSpec;
  /** Config outside the prodcheck namespace (aws:region, vercel:team...), as written. */
  readonly providerConfig: Readonly<Record<string, unknown>>;
}

/** `--stack NAME` means ./Pulumi.NAME.yaml. */
export function stackFile(stack: string, dir = process.cwd()): string {
  return `${dir}/Pulumi.${stack}.yaml`;
}

export function stackNameOf(file: string): string {
  const m = /^Pulumi\.(.+)\.ya?ml$/.exec(basename(file));
  return m?.[1] ?? basename(file).replace(/\.ya?ml$/, '');
}

/** Reads and validates a Pulumi.<stack>.yaml; throws ConfigError listing every problem at once. */
export function loadStackFile(file: string): LoadedStack {
  const text = readInputFile(file, 'stack config', 'pass --stack NAME for ./Pulumi.NAME.yaml or --config FILE', INPUT_LIMITS.config);
  const root: unknown = parseYamlInput(text, file);
  if (!isMap(root) || !isMap(root.config)) {
    throw new ConfigError(file, [{ path: 'config', message: 'is required: a Pulumi stack file holds its settings under a top-level `config:` map' }]);
  }
  const { spec, providerConfig } = parseStackConfig(root.config, file);
  return { file, stack: stackNameOf(file), spec, providerConfig };
}

/**
 * Validates the config map of a stack (keys `prodcheck:app`, or `app` in the project's own namespace).
 * The Pulumi program calls this with the engine's config; the CLI with the file's.
 */
export function parseStackConfig(config: Readonly<Record<string, unknown>>, file: string): { spec: StackSpec; providerConfig: Record<string, unknown> } {
  const ours: Record<string, unknown> = {};
  const providerConfig: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];
  for (const [key, value] of Object.entries(config)) {
    const [ns, name] = key.includes(':') ? (key.split(/:(.*)/s, 2) as [string, string]) : [NAMESPACE, key];
    if (ns !== NAMESPACE) {
      providerConfig[key] = value;
    } else if (isMap(value) && 'secure' in value && Object.keys(value).length === 1) {
      problems.push({ path: `${NAMESPACE}:${name}`, message: 'is an encrypted secret, but prodcheck settings describe desired state and hold no secrets: keep secrets in env vars sourced from config (env.vars.<KEY>.from: config reads `pulumi config set --secret env:<KEY>`)' });
    } else {
      ours[name] = value;
    }
  }
  const parsed = stackSpecSchema.safeParse(ours, { reportInput: true });
  if (!parsed.success) problems.push(...zodProblems(parsed.error, (p) => `${NAMESPACE}:${p}`));
  if (problems.length > 0 || !parsed.success) throw new ConfigError(file, problems);
  return { spec: parsed.data, providerConfig };
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
