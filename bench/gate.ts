import { analyzeSynthetic } from '../gate/bench.js';
import { median, round } from './stats.js';

export interface GateFigures {
  readonly resources: number;
  readonly analyzeMs: number;
  readonly resourcesPerSecond: number;
  readonly startMs: number;
}

/** The real pack's Analyze throughput over gRPC for each size (medians over `runs`), to show it grows linearly. */
export async function benchGate(sizes: readonly number[], runs: number): Promise<GateFigures[]> {
  const out: GateFigures[] = [];
  for (const n of sizes) {
    const samples = [];
    for (let i = 0; i < runs; i++) samples.push(await analyzeSynthetic(n));
    const analyzeMs = median(samples.map((s) => s.analyzeMs));
    out.push({ resources: n, analyzeMs: round(analyzeMs), resourcesPerSecond: Math.round((n / analyzeMs) * 1000), startMs: round(median(samples.map((s) => s.startMs))) });
  }
  return out;
}
