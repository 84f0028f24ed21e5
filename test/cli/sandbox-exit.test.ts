import { describe, expect, it } from 'vitest';
import { sandboxExit } from '../../cli/commands/sandbox.js';
import type { Report, Result } from '../../report/types.js';

const fail = (control: string, severity: Result['severity']): Result => ({ control, title: control, severity, status: 'fail', message: `${control} failed`, durationMs: 1 });
const report = (results: Result[]): Report =>
  ({ version: 1, stack: 'sandbox', startedAt: '2026-01-01T00:00:00.000Z', durationMs: 1, summary: { pass: 5, fail: results.length, error: 0, skip: 0, waived: 0 }, results }) as unknown as Report;

describe('prodcheck sandbox --fail-on', () => {
  const unexpected = [fail('redis.ttl', 'medium')];
  const run = { missed: [], unexpected, report: report(unexpected) };

  it('an unexpected failure fails the run without --fail-on and at or below its severity', () => {
    expect(sandboxExit(run)).toBe(1);
    expect(sandboxExit(run, 'medium')).toBe(1);
    expect(sandboxExit(run, 'low')).toBe(1);
  });

  it('an unexpected failure below --fail-on is let through', () => {
    expect(sandboxExit(run, 'high')).toBe(0);
    expect(sandboxExit(run, 'critical')).toBe(0);
  });

  it('a planted fault that did not fail fails the run whatever --fail-on says', () => {
    expect(sandboxExit({ missed: ['pg.tls'], unexpected: [], report: report([]) }, 'critical')).toBe(1);
  });
});
