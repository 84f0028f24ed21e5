// The speed figures of a bench run, one line each, beside the baseline each is judged against.
import { round } from './stats.js';

interface Cold {
  readonly command: string;
  readonly medianMs: number;
  readonly ratioToBaseline: number;
  readonly met: boolean;
}

export interface SpeedFigures {
  readonly loadavg: { readonly start: readonly number[]; readonly end: readonly number[] };
  readonly baseline?: { readonly medianMs: number };
  readonly cliColdStart?: readonly Cold[];
  readonly gateStackProd?: { readonly medianMs: number; readonly met: boolean };
  readonly verify?: { readonly concurrentMs: number; readonly slowestTarget: string; readonly slowestTargetMs: number; readonly sequentialMs: number; readonly met: boolean };
  readonly verifyWall?: {
    readonly medianMs: number;
    readonly overSlowestMs?: number;
    readonly overConcurrentMs?: number;
    readonly slowestTargetWall?: { readonly command: string; readonly medianMs: number };
    readonly overSlowestWallMs?: number;
    readonly met?: boolean;
  };
}

const ms = (n: number) => `${round(n)} ms`;
const signed = (n: number) => `${n >= 0 ? '+' : ''}${ms(n)}`;
const met = (ok: boolean | undefined) => (ok === undefined ? '' : ok ? 'met' : 'NOT met');

export function speedSummary(f: SpeedFigures): string {
  const lines = [`Speed, beside the baselines of the same run (load average ${f.loadavg.start.join(' / ')} at the start, ${f.loadavg.end.join(' / ')} at the end; 2 cores):`];
  const w = 30;
  if (f.baseline) lines.push(`  ${'node -e 0 (baseline)'.padEnd(w)} ${ms(f.baseline.medianMs)}`);
  for (const c of f.cliColdStart ?? []) lines.push(`  ${c.command.padEnd(w)} ${ms(c.medianMs)} = ${c.ratioToBaseline} × node -e 0   target ≤ 1.5 ×: ${met(c.met)}`);
  if (f.gateStackProd) lines.push(`  ${'prodcheck gate --stack prod'.padEnd(w)} ${ms(f.gateStackProd.medianMs)}   target < 4000 ms: ${met(f.gateStackProd.met)}`);
  const v = f.verify;
  if (v) lines.push(`  ${'verify, all targets in-process'.padEnd(w)} ${ms(v.concurrentMs)} beside the slowest target alone (${v.slowestTarget}, ${ms(v.slowestTargetMs)}) and all one after another (${ms(v.sequentialMs)})   target ≤ 1.5 × slowest: ${met(v.met)}`);
  const vw = f.verifyWall;
  if (vw) {
    const beside = [
      vw.overSlowestMs === undefined ? '' : `${signed(vw.overSlowestMs)} over the slowest target alone (target ≤ +500 ms: ${met(vw.met)})`,
      vw.overConcurrentMs === undefined ? '' : `${signed(vw.overConcurrentMs)} over all targets in-process (a warm second run)`,
      vw.slowestTargetWall === undefined || vw.overSlowestWallMs === undefined
        ? ''
        : `${signed(vw.overSlowestWallMs)} over the slowest target alone as a CLI process (${ms(vw.slowestTargetWall.medianMs)})`,
    ].filter(Boolean);
    lines.push(`  ${'prodcheck verify (sandbox)'.padEnd(w)} ${ms(vw.medianMs)}${beside.length ? `: ${beside.join('; ')}` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}
