import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONTROLS, controlMatcher, getControl } from '../../checklist/index.js';
import { computeCoverage } from '../../checklist/coverage.js';

const tsv = readFileSync(new URL('../../checklist/controls.tsv', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split('\t'));

describe('catalogue', () => {
  it('holds all 134 controls of controls.tsv, in order, with ids, titles, stages and checks as written', () => {
    expect(CONTROLS).toHaveLength(134);
    expect(CONTROLS.map((c) => [c.id, c.title, c.stages.join(' '), c.check])).toEqual(tsv.map((r) => [r[0], r[1], r[2], r[3]]));
  });

  it('has unique ids, a family equal to the id prefix, and a severity for each', () => {
    expect(new Set(CONTROLS.map((c) => c.id)).size).toBe(134);
    for (const c of CONTROLS) {
      expect(c.family).toBe(c.id.split('.')[0]);
      expect(['critical', 'high', 'medium', 'low']).toContain(c.severity);
    }
  });

  it('looks controls up by id and refuses an unknown id', () => {
    expect(getControl('redis.tls').title).toBe('Redis TLS in transit');
    expect(() => getControl('redis.tsl')).toThrow('Unknown control id "redis.tsl"');
  });

  it('matches control globs', () => {
    const m = controlMatcher(['pg.*', 'redis.tls']);
    expect(['pg.rls', 'pg.grants.append-only', 'redis.tls', 'redis.ttl', 'env.redis-url'].filter(m)).toEqual(['pg.rls', 'pg.grants.append-only', 'redis.tls']);
  });
});

describe('coverage', () => {
  it('counts a stage as implemented only when something registered carries the id', () => {
    const cov = computeCoverage(CONTROLS, [
      { control: 'redis.tls', stage: 'V', source: 'verify/redis/checks.ts' },
      { control: 'redis.tls', stage: 'G', source: 'policies/cache.ts' },
    ]);
    const row = cov.rows.find((r) => r.control.id === 'redis.tls');
    expect(row?.stages).toEqual({ P: false, G: true, V: true, D: false });
    expect(cov.totals.find((t) => t.stage === 'V')).toEqual({ stage: 'V', required: 126, implemented: 1 });
    expect(cov.problems).toEqual([]);
  });

  it('reports implementations with an unknown id or a stage the control does not have', () => {
    const cov = computeCoverage(CONTROLS, [
      { control: 'redis.tsl', stage: 'V', source: 'verify/redis/checks.ts' },
      { control: 'pg.migrations', stage: 'G', source: 'policies/database.ts' },
    ]);
    expect(cov.problems).toEqual([
      'verify/redis/checks.ts: "redis.tsl" is not a control id of the catalogue.',
      'policies/database.ts: pg.migrations has no stage G in the catalogue (it has V D).',
    ]);
    expect(cov.totals.every((t) => t.implemented === 0)).toBe(true);
  });
});
