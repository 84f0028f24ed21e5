import { describe, expect, it } from 'vitest';
import { findControl } from '../../checklist/index.js';
import { loadCorpus, measure } from './corpus.js';

// Public production checklists nobody here wrote (test/fixtures/checklists/corpus/), each classified item by
// item by hand before the rules were tuned to them. Three further public checklists are kept out of the
// corpus on purpose, for a measurement independent of anything the rules were tuned on.
const corpus = loadCorpus();

describe('the corpus of public checklists', () => {
  it('holds at least 12 checklists, each with its origin and a classification naming only catalogue controls', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(12);
    for (const c of corpus) {
      expect(c.repository, c.name).toMatch(/^[\w.-]+\/[\w.-]+$/);
      expect(c.path, c.name).toMatch(/\.md$/i);
      expect(c.commit, c.name).toMatch(/^[0-9a-f]{40}$/);
      for (const { expected } of c.items) for (const id of expected) expect(findControl(id), `${c.name}: ${id}`).toBeDefined();
    }
    expect(new Set(corpus.map((c) => c.repository)).size).toBe(corpus.length);
    for (const kept of ['rosalindgash/pingbuoy', 'Lemagicrach/Stripe-RevenuLeaks-Detector', 'Vamsi-027/tara-hub']) expect(corpus.map((c) => c.repository)).not.toContain(kept);
  });

  it('maps automatable items with precision >= 95% and recall >= 85% over (item, control) pairs', () => {
    const m = measure(corpus);
    const report = `precision ${(m.precision * 100).toFixed(1)}% (${m.truePairs}/${m.mappedPairs}), recall ${(m.recall * 100).toFixed(1)}% (${m.truePairs}/${m.expectedPairs}); misses:\n${m.wrong
      .map((w) => `  ${w.checklist}:${w.line} ${w.text} — expected ${w.expected.join(',') || 'manual'}, mapped ${w.mapped.join(',') || 'manual'}`)
      .join('\n')}`;
    expect(m.precision, report).toBeGreaterThanOrEqual(0.95);
    expect(m.recall, report).toBeGreaterThanOrEqual(0.85);
    expect(m.items).toBe(562);
    expect(m.automatable).toBe(149);
  });
});
