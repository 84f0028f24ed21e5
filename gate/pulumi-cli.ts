import { spawnSync } from 'node:child_process';

/** One key of `pulumi config --json --show-secrets`: scalars in `value`, structured values also as `objectValue`. */
interface CliConfigValue {
  readonly value?: string;
  readonly objectValue?: unknown;
  readonly secret?: boolean;
}

export interface StackConfigFromCli {
  /** `namespace:key` to the string the engine hands a program (objects as JSON). */
  readonly config: Record<string, string>;
  readonly secretKeys: string[];
}

export type CliConfigResult = { readonly ok: true; readonly value: StackConfigFromCli } | { readonly ok: false; readonly reason: string };

/**
 * The stack's config as `pulumi preview` hands it to the program: read by the Pulumi CLI itself, which
 * decrypts `secure:` values and reads the keys kept only in the backend. Not an error when the CLI is
 * absent or cannot read the stack (no login, no such stack): the gate then judges offline and says why.
 */
export function readConfigWithCli(pulumi: string, projectDir: string, stack: string): CliConfigResult {
  const run = spawnSync(pulumi, ['config', '--json', '--show-secrets', '--stack', stack], { cwd: projectDir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 120_000 });
  if (run.error) {
    const code = (run.error as NodeJS.ErrnoException).code;
    return { ok: false, reason: code === 'ENOENT' ? `the Pulumi CLI (${pulumi}) is not installed` : `\`${pulumi} config\` did not run (${code ?? run.error.message})` };
  }
  if (run.status !== 0) {
    const said = run.stderr.trim().split('\n').slice(-1)[0] ?? '';
    return { ok: false, reason: `\`${pulumi} config --stack ${stack}\` failed (exit ${run.status ?? run.signal}): ${said}` };
  }
  let doc: unknown;
  try {
    doc = JSON.parse(run.stdout);
  } catch {
    return { ok: false, reason: `\`${pulumi} config --json\` printed no JSON` };
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return { ok: false, reason: `\`${pulumi} config --json\` printed no JSON object` };
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, raw] of Object.entries(doc as Record<string, CliConfigValue>)) {
    if (raw.objectValue !== undefined) config[key] = JSON.stringify(raw.objectValue);
    else if (raw.value !== undefined) config[key] = raw.value;
    else continue;
    if (raw.secret === true) secretKeys.push(key);
  }
  return { ok: true, value: { config, secretKeys } };
}
