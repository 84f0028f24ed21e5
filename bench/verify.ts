import type { StartedSandbox } from '../sandbox/run.js';
import { FAMILIES } from '../verify/registry.js';
import { verifyInChild } from './child.js';
import { median, round } from './stats.js';

export interface VerifyFigures {
  readonly runs: number;
  readonly concurrentMs: number;
  readonly perTargetMs: Readonly<Record<string, number>>;
  readonly slowestTarget: string;
  readonly slowestTargetMs: number;
  readonly sequentialMs: number;
  /** Target: <= 1.5 (the run takes about as long as its slowest target). */
  readonly ratioToSlowest: number;
  readonly ratioToSequential: number;
}

/** Verify on the full sandbox: all targets at once, each target alone, and all one after another (medians). */
export async function benchVerify(sandbox: StartedSandbox, runs: number): Promise<VerifyFigures> {
  // One more run than measured, dropped: the first pays for lazy imports and TLS session setup.
  const timed = async (mode: string) => median((await verifyInChild(sandbox, mode, runs + 1)).runsMs.slice(1));
  const concurrent = await timed('all');
  const perTarget: Record<string, number> = {};
  for (const family of FAMILIES) perTarget[family.collector.target] = round(await timed(family.collector.target));
  const sequential = await timed('sequential');
  const [slowestTarget, slowestTargetMs] = Object.entries(perTarget).sort((a, b) => b[1] - a[1])[0] ?? ['none', 0];
  return {
    runs,
    concurrentMs: round(concurrent),
    perTargetMs: perTarget,
    slowestTarget,
    slowestTargetMs,
    sequentialMs: round(sequential),
    ratioToSlowest: round(concurrent / Math.max(slowestTargetMs, 1), 2),
    ratioToSequential: round(concurrent / Math.max(sequential, 1), 2),
  };
}
