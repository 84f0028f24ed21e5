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
export function nodeBaseline(runs: number): { command: string; medianMs: number; runsMs: readonly number[] } {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    times.push(performance.now() - t0);
  }
  return { command: 'node -e 0', medianMs: round(median(times)), runsMs: times.map((t) => round(t)) };
}

/**
 * Wall time of a fresh `node dist/cli/run.js ARGS` process (exit codes in `ok` accepted), and which
 * @pulumi modules it loaded. The timed runs are plain; one more run, untimed, has
 * bench/trace-imports.mjs preloaded: its loader hooks run on a thread of their own and slow every
 * import, which `node -e 0` beside it would not pay.
 */
export function coldStart(args: readonly string[], runs: number, ok: readonly number[] = [0]): ColdStart {
  const dir = mkdtempSync(join(tmpdir(), 'prodcheck-bench-'));
  const trace = join(dir, 'pulumi-modules.txt');
  const times: number[] = [];
  try {
    for (let i = 0; i <= runs; i++) {
      const traced = i === runs;
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [...(traced ? ['--import', join(ROOT, 'bench/trace-imports.mjs')] : []), join(ROOT, 'dist/cli/run.js'), ...args], {
        env: { ...process.env, ...(traced && { PRODCHECK_TRACE_FILE: trace }) },
        encoding: 'utf8',
      });
      if (!traced) times.push(performance.now() - t0);
      if (!ok.includes(r.status ?? -1)) throw new Error(`prodcheck ${args.join(' ')} exited ${String(r.status)}: ${r.stderr}`);
    }
    let loaded: string[] = [];
    try {
      loaded = [...new Set(readFileSync(trace, 'utf8').split('\n').filter(Boolean))];
    } catch {
      loaded = [];
    }
    return { command: `prodcheck ${args.join(' ')}`, medianMs: round(median(times)), runsMs: times.map((t) => round(t)), pulumiModules: loaded };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
