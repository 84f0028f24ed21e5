import { beforeAll, describe, expect, test } from 'vitest';
import { CONTROLS } from '../../checklist/index.js';
import { computeCoverage } from '../../checklist/coverage.js';
import { loadImplementations } from '../../cli/implementations.js';
import { PROVISIONS } from '../../infra/coverage.js';
import type { StackName } from './helpers/mock-stack.js';
import { ADMIN_URLS, runStackFile, STACK_FILES, stubProviderSerialization } from './helpers/mock-stack.js';

const EXTRA: Partial<Record<StackName, [Record<string, string>, string[]]>> = {
  commerce: [{ 'postgres:adminUrl': ADMIN_URLS.neon }, ['postgres:adminUrl']],
  'llm-gateway': [{ 'postgres:adminUrl': ADMIN_URLS.supabase }, ['postgres:adminUrl']],
};

/** What each component module provisioned, summed over every stack the repository ships. */
const claimed = new Map<string, Set<string>>();

beforeAll(async () => {
  stubProviderSerialization();
  for (const name of Object.keys(STACK_FILES) as StackName[]) {
    const [extra, secrets] = EXTRA[name] ?? [{}, []];
    const { components } = (await runStackFile(name, extra, secrets)).deployment;
    for (const c of Object.values(components)) {
      const set = claimed.get(c.provisioned.declared.source) ?? new Set<string>();
      for (const id of c.provisioned.controls) set.add(id);
      claimed.set(c.provisioned.declared.source, set);
    }
  }
});

describe('stage P of the coverage', () => {
  test('prodcheck controls counts every control a component declares, and each fits the catalogue', async () => {
    const coverage = computeCoverage(CONTROLS, await loadImplementations());
    expect(coverage.problems).toEqual([]);
    const declared = PROVISIONS.flatMap((p) => p.controls);
    const implemented = coverage.rows.filter((r) => r.stages.P === true).map((r) => r.control.id);
    expect(implemented.sort()).toEqual([...new Set(declared)].sort());
    expect(coverage.totals.find((t) => t.stage === 'P')?.implemented).toBe(59);
  });

  test.each(PROVISIONS.map((p) => [p.source, p] as const))('%s declares exactly what its code provisions across the shipped stacks', (source, p) => {
    expect([...(claimed.get(source) ?? [])].sort()).toEqual([...p.controls].sort());
  });
});
