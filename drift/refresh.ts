import { spawn } from 'node:child_process';
import { trackGroup } from '../verify/children.js';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { getControl } from '../checklist/index.js';
import type { Result } from '../report/types.js';

/** The catalogue control that `pulumi refresh --preview-only --expect-no-changes` judges. */
export const REFRESH_CONTROL = 'iac.stack-converged';
/** What `--expect-no-changes` exits with when there are changes (pulumi/pulumi#5144); older CLIs exit 255 for changes and errors alike. */
export const PULUMI_CHANGES_EXIT = 7;
const DEFAULT_TIMEOUT_MS = 10 * 60_000;
const MAX_OUTPUT = 1024 * 1024;
const KILL_GRACE_MS = 5_000;

export interface RefreshOutcome {
  /** pass: no changes; fail: drift; error: could not check; skip: no pulumi CLI. */
  readonly status: 'pass' | 'fail' | 'error' | 'skip';
  readonly message: string;
  readonly durationMs: number;
}

export interface RefreshOptions {
  readonly stack: string;
  /** Where Pulumi.yaml is: the directory of the stack config. */
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
}

export function refreshArgs(stack: string): string[] {
  // --non-interactive: a scheduled job must fail rather than wait on a prompt nobody will answer.
  return ['refresh', '--preview-only', '--expect-no-changes', '--non-interactive', '--stack', stack];
}

export function findOnPath(command: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, command);
    try {
      accessSync(file, constants.X_OK);
      if (statSync(file).isFile()) return file;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** The "Resources:" block Pulumi ends with (`~ 1 to update`, `4 unchanged`), on one line. */
export function resourceSummary(output: string): string | undefined {
  const lines = stripVTControlCharacters(output).split(/\r?\n/);
  const start = lines.findIndex((l) => /^\s*Resources:\s*$/.test(l));
  if (start < 0) return undefined;
  const block: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === '') break;
    block.push(line.trim().replace(/\s+/g, ' '));
  }
  return block.length > 0 ? block.join(', ') : undefined;
}

/** The line that says why Pulumi failed: its last `error:` line, else its last line. */
export function failureLine(output: string): string {
  const lines = stripVTControlCharacters(output)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const line = [...lines].reverse().find((l) => /^error:/i.test(l)) ?? lines[lines.length - 1] ?? 'no output';
  return line.replace(/[.\s]+$/, '');
}

export async function pulumiRefresh(opts: RefreshOptions): Promise<RefreshOutcome> {
  const t0 = performance.now();
  const took = () => Math.round(performance.now() - t0);
  const pulumi = findOnPath('pulumi', opts.env);
  if (pulumi === undefined) return { status: 'skip', message: 'Pulumi refresh skipped: no pulumi CLI on PATH.', durationMs: 0 };
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const run = await new Promise<{ code: number | null; timedOut: boolean; output: string; spawnError?: Error }>((resolve) => {
    let output = '';
    let timedOut = false;
    // Its own process group, so a timeout stops the provider plugins too: they hold the output pipes open.
    const child = trackGroup(spawn(pulumi, refreshArgs(opts.stack), { cwd: opts.cwd, env: { ...opts.env, PULUMI_SKIP_UPDATE_CHECK: 'true' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true }));
    const stopGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stopGroup('SIGTERM');
      setTimeout(() => stopGroup('SIGKILL'), KILL_GRACE_MS).unref();
    }, timeoutMs);
    const collect = (chunk: Buffer) => {
      if (output.length < MAX_OUTPUT) output += chunk.toString('utf8');
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: null, timedOut, output, spawnError: e });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, timedOut, output });
    });
  });
  const where = `stack ${opts.stack}`;
  if (run.spawnError) return { status: 'error', message: `Could not start ${pulumi}: ${run.spawnError.message}.`, durationMs: took() };
  if (run.timedOut) return { status: 'error', message: `pulumi refresh did not finish for ${where} within ${timeoutMs / 1000} s (stopped).`, durationMs: took() };
  if (run.code === null) return { status: 'error', message: `pulumi refresh was killed by a signal before finishing for ${where}.`, durationMs: took() };
  if (run.code === 0) return { status: 'pass', message: `pulumi refresh --preview-only found no changes in ${where}.`, durationMs: took() };
  if (run.code === PULUMI_CHANGES_EXIT) {
    const summary = resourceSummary(run.output);
    return { status: 'fail', message: `pulumi refresh --preview-only found resources changed outside Pulumi in ${where}${summary ? ` (${summary})` : ''}.`, durationMs: took() };
  }
  const hint = run.code === 255 ? ' Pulumi CLIs before exit code 7 also exit 255 when there are changes: upgrade the CLI to tell the two apart.' : '';
  return { status: 'error', message: `pulumi refresh could not check ${where} (exit ${run.code}): ${failureLine(run.output)}.${hint}`, durationMs: took() };
}

/** The refresh as a result of the drift report, so every report format shows it. */
export function refreshResult(outcome: RefreshOutcome): Result {
  const control = getControl(REFRESH_CONTROL);
  return { control: control.id, title: control.title, severity: control.severity, status: outcome.status, message: outcome.message, durationMs: outcome.durationMs };
}
