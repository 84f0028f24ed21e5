import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, round } from './stats.js';

const ROOT = new URL('../', import.meta.url).pathname;

export interface ColdStart {
  readonly command: string;
  readonly medianMs: number;
  readonly runsMs: readonly number[];
  /** @pulumi/* modules the command loaded (must be none for --help). */
  readonly pulumiModules: readonly string[];
}

/** Wall time of a fresh `node -e 0`: what any Node CLI pays before its first line, on this machine now. */
function timeBaseline(): number {
  const t0 = performance.now();
  spawnSync(process.execPath, ['-e', '0']);
  return performance.now() - t0;
}

function timeCli(args: readonly string[], ok: readonly number[], preload?: { module: string; trace: string }): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [...(preload ? ['--import', preload.module] : []), join(ROOT, 'dist/cli/run.js'), ...args], {
    env: { ...process.env, ...(preload && { PRODCHECK_TRACE_FILE: preload.trace }) },
    encoding: 'utf8',
  });
  const ms = performance.now() - t0;
  if (!ok.includes(r.status ?? -1)) throw new Error(`prodcheck ${args.join(' ')} exited ${String(r.status)}: ${r.stderr}`);
  return ms;
}

/** The @pulumi modules `prodcheck ARGS` loads, from one more run, untimed, with bench/trace-imports.mjs preloaded. */
function pulumiModulesOf(args: readonly string[], ok: readonly number[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'prodcheck-bench-'));
  const trace = join(dir, 'pulumi-modules.txt');
  try {
    timeCli(args, ok, { module: join(ROOT, 'bench/trace-imports.mjs'), trace });
    try {
      return [...new Set(readFileSync(trace, 'utf8').split('\n').filter(Boolean))];
    } catch {
      return [];
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Wall time of a fresh `node dist/cli/run.js ARGS` process (exit codes in `ok` accepted), and which
 * @pulumi modules it loaded. The timed runs are plain; one more run, untimed, has
 * bench/trace-imports.mjs preloaded: its loader hooks run on a thread of their own and slow every
 * import, which `node -e 0` beside it would not pay.
 */
export function coldStart(args: readonly string[], runs: number, ok: readonly number[] = [0]): ColdStart {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(timeCli(args, ok));
  return figuresOf(args, times, ok);
}

/** The figures of `prodcheck ARGS` from its timed runs, and the @pulumi modules it loads (one more run). */
function figuresOf(args: readonly string[], times: readonly number[], ok: readonly number[]): ColdStart {
  return { command: `prodcheck ${args.join(' ')}`, medianMs: round(median(times)), runsMs: times.map((t) => round(t)), pulumiModules: pulumiModulesOf(args, ok) };
}

/**
 * `node -e 0` and each command, run in turn (baseline, command 1, command 2, …, then again): on a machine
 * shared with other jobs the load changes from second to second, and measured one block after another the
 * baseline and the commands would not see the same machine.
 */
export function coldStartsInterleaved(commands: readonly (readonly string[])[], runs: number): { baseline: { command: string; medianMs: number; runsMs: readonly number[] }; commands: ColdStart[] } {
  const base: number[] = [];
  const times = commands.map((): number[] => []);
  for (let i = 0; i < runs; i++) {
    base.push(timeBaseline());
    commands.forEach((args, c) => times[c]?.push(timeCli(args, [0])));
  }
  return {
    baseline: { command: 'node -e 0', medianMs: round(median(base)), runsMs: base.map((t) => round(t)) },
    commands: commands.map((args, c) => figuresOf(args, times[c] ?? [], [0])),
  };
}

/**
 * coldStart without blocking this process: what verify against the sandbox needs, whose fakes (Stripe,
 * Vercel, DNS) answer from this process's event loop. Under spawnSync they could not answer, and the
 * command would wait for its own timeouts.
 */
export async function coldStartAsync(args: readonly string[], runs: number, ok: readonly number[] = [0]): Promise<ColdStart> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const child = spawn(process.execPath, [join(ROOT, 'dist/cli/run.js'), ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-2000)));
    const status = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    times.push(performance.now() - t0);
    if (!ok.includes(status ?? -1)) throw new Error(`prodcheck ${args.join(' ')} exited ${String(status)}: ${stderr}`);
  }
  return { command: `prodcheck ${args.join(' ')}`, medianMs: round(median(times)), runsMs: times.map((t) => round(t)), pulumiModules: [] };
}
