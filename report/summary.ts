import type { Result, Summary } from './types.js';

export function summarize(results: readonly Result[]): Summary {
  const s: Summary = { pass: 0, fail: 0, error: 0, skip: 0, waived: 0 };
  for (const r of results) s[r.status]++;
  return s;
}

/** 1 on any failure, else 3 when something could not be checked, else 0: the exit codes of every command. */
export function exitCodeOf(summary: Summary): 0 | 1 | 3 {
  if (summary.fail > 0) return 1;
  if (summary.error > 0) return 3;
  return 0;
}
