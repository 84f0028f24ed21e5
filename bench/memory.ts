import type { StartedSandbox } from '../sandbox/run.js';
import { verifyInChild } from './child.js';
import { median, round } from './stats.js';

export interface MemoryFigures {
  readonly runs: number;
  readonly peakRssMb: number;
  readonly runsMb: readonly number[];
}

/** Peak resident memory of a whole verify process (one run each) against the full sandbox. */
export async function benchMemory(sandbox: StartedSandbox, runs: number): Promise<MemoryFigures> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push((await verifyInChild(sandbox, 'all', 1)).maxRssMb);
  return { runs, peakRssMb: round(median(samples)), runsMb: samples.map((s) => round(s)) };
}
