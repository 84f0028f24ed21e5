import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { StartedSandbox } from '../sandbox/run.js';

const ROOT = new URL('../', import.meta.url).pathname;

export interface ChildRun {
  readonly runsMs: readonly number[];
  readonly maxRssMb: number;
  readonly results: number;
  /** redis.latency's p95 in the last run, from its `actual`. */
  readonly redisLatencyP95Ms?: number;
}

/**
 * Runs bench/verify-child.ts against the sandbox. Asynchronous on purpose: the sandbox's fakes
 * (Vercel API, DNS, Stripe, the sample app) answer from this process while the child runs.
 */
export async function verifyInChild(sandbox: StartedSandbox, mode: string, runs: number): Promise<ChildRun> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bench/verify-child.ts', sandbox.stack.file, sandbox.targetsFile, mode, String(runs)], {
    cwd: ROOT,
    timeout: 300_000,
  });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as ChildRun;
}
