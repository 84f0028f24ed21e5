import { describe, expect, it } from 'vitest';
import { CONTROLS, getControl } from '../../checklist/index.js';
import { computeCoverage } from '../../checklist/coverage.js';
import { loadImplementations } from '../../cli/implementations.js';
import { MEASURED, isMeasured } from '../../drift/measured.js';
import { driftFamilies, driftImplementations, isDriftCheck } from '../../drift/select.js';
import { FAMILIES } from '../../verify/registry.js';
import type { Check, TargetFamily } from '../../verify/types.js';

const check = (id: string, active = false): Check<unknown> => ({ id, target: 'redis', ...(active && { active }), evaluate: () => [] });
const family: TargetFamily<unknown> = {
  collector: { target: 'redis', applies: () => undefined, collect: () => Promise.resolve({}) },
  checks: [check('redis.eviction-policy'), check('redis.maxmemory'), check('http.health', true)],
};

describe('which checks drift re-runs', () => {
  it('checks whose control has stage D, never the ones that act on the system', () => {
    expect(driftFamilies([family]).flatMap((f) => f.checks.map((c) => c.id))).toEqual(['redis.eviction-policy']);
    // http.health has stage D, but its registered check here acts (burst, signed event...): drift stays read-only.
    expect(getControl('http.health').stages).toContain('D');
    expect(isDriftCheck(check('http.health', true))).toBe(false);
    expect(getControl('redis.maxmemory').stages).not.toContain('D');
  });

  it('drops a family left without drift checks, so its target is never contacted', () => {
    expect(driftFamilies([{ ...family, checks: [check('redis.maxmemory')] }])).toEqual([]);
  });

  it('over the real registry: exactly the passive checks with stage D', () => {
    const kept = new Set(driftFamilies(FAMILIES).flatMap((f) => f.checks));
    for (const c of FAMILIES.flatMap((f) => f.checks)) expect(kept.has(c), c.id).toBe(c.active !== true && getControl(c.id).stages.includes('D'));
    expect([...kept].map((c) => c.id)).toContain('redis.eviction-policy');
  });
});

describe('drift in the coverage matrix', () => {
  it('registers stage D for each drift check and for the Pulumi refresh, computed from the registry', () => {
    const impls = driftImplementations([family]);
    expect(impls).toEqual([
      { control: 'redis.eviction-policy', stage: 'D', source: 'drift/redis' },
      { control: 'iac.stack-converged', stage: 'D', source: 'drift/refresh' },
    ]);
  });

  it('fits the catalogue: no unknown id, no stage D claimed for a control without one', async () => {
    const all = await loadImplementations();
    const drift = all.filter((i) => i.stage === 'D');
    expect(drift.length).toBe(driftImplementations(FAMILIES).length);
    expect(computeCoverage(CONTROLS, drift).problems).toEqual([]);
    const coverage = computeCoverage(CONTROLS, all);
    expect(coverage.rows.find((r) => r.control.id === 'redis.eviction-policy')?.stages.D).toBe(true);
    expect(coverage.rows.find((r) => r.control.id === 'iac.stack-converged')?.stages.D).toBe(true);
  });
});

describe('measurements (values that move without anything changing)', () => {
  it('name catalogue controls that drift re-runs', () => {
    for (const entry of MEASURED) {
      const id = entry.replace(/ \[.*\]$/, '');
      expect(getControl(id).stages, entry).toContain('D');
    }
  });

  it('match a whole control, or one resource of it', () => {
    expect(isMeasured('redis.latency', undefined)).toBe(true);
    expect(isMeasured('pg.connectivity', 'max_connections')).toBe(true);
    expect(isMeasured('pg.connectivity', '127.0.0.1:5432')).toBe(false);
    expect(isMeasured('redis.eviction-policy', undefined)).toBe(false);
  });
});
