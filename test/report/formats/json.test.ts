import { describe, expect, it } from 'vitest';
import { renderJson } from '../../../report/formats/json.js';
import type { Report } from '../../../report/types.js';
import { ADVISORY_RESULT, REPORT } from './fixture.js';

const TOP_KEYS = ['version', 'stack', 'startedAt', 'durationMs', 'summary', 'results'];
const RESULT_KEYS = ['control', 'title', 'severity', 'status', 'message', 'expected', 'actual', 'resource', 'advisory', 'waiver', 'durationMs'];

describe('json reporter', () => {
  it('round-trips the report, pretty-printed with a trailing newline', () => {
    const text = renderJson(REPORT);
    const doc = JSON.parse(text) as Report;
    expect(doc).toEqual(REPORT);
    expect(text).toBe(`${JSON.stringify(doc, null, 2)}\n`);
    expect(text.startsWith('{\n  "version": 1,\n  "stack": "prod",')).toBe(true);
  });

  it('keeps the DESIGN.md keys in their order and omits the optionals a result does not have', () => {
    const doc = JSON.parse(renderJson(REPORT)) as Record<string, unknown> & { summary: object; results: Record<string, unknown>[] };
    expect(Object.keys(doc)).toEqual(TOP_KEYS);
    expect(Object.keys(doc.summary)).toEqual(['pass', 'fail', 'error', 'skip', 'waived']);
    for (const r of doc.results) {
      const keys = Object.keys(r);
      expect(keys).toEqual(RESULT_KEYS.filter((k) => keys.includes(k)));
      expect(keys.slice(0, 5)).toEqual(RESULT_KEYS.slice(0, 5));
      expect(keys.at(-1)).toBe('durationMs');
    }
    expect(Object.keys(doc.results[0] ?? {})).toEqual(['control', 'title', 'severity', 'status', 'message', 'durationMs']);
    expect(Object.keys(doc.results[2] ?? {})).toEqual(['control', 'title', 'severity', 'status', 'message', 'expected', 'actual', 'resource', 'durationMs']);
    expect(doc.results[3]?.waiver).toEqual({ reason: 'moving to AWS Backup', owner: 'alice', expires: '2026-03-01', expired: false });
  });

  it('writes no key for an optional field set to undefined, and nothing beyond the schema', () => {
    const extra = { ...REPORT.results[0], expected: undefined, resource: undefined, debug: 'internal' } as unknown as Report['results'][number];
    const doc = JSON.parse(renderJson({ ...REPORT, results: [extra] })) as { results: object[] };
    expect(Object.keys(doc.results[0] ?? {})).toEqual(['control', 'title', 'severity', 'status', 'message', 'durationMs']);
  });

  it('marks an advisory gate violation with advisory: true, and nothing else', () => {
    const doc = JSON.parse(renderJson({ ...REPORT, results: [REPORT.results[0]!, ADVISORY_RESULT] })) as { results: Record<string, unknown>[] };
    expect(doc.results.map((r) => r.advisory)).toEqual([undefined, true]);
    expect(Object.keys(doc.results[1] ?? {})).toEqual(['control', 'title', 'severity', 'status', 'message', 'resource', 'advisory', 'durationMs']);
  });
});
