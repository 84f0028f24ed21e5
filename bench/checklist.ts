// Mapping precision and recall of `checklist fill` on the corpus of public checklists (test/fixtures/checklists/corpus/),
// against the hand classification kept beside each checklist. The same figures are asserted in npm test.
import { HOLDOUT, loadCorpus, measure } from '../test/checklist/corpus.js';

export interface MappingFigures {
  readonly checklists: number;
  readonly items: number;
  readonly automatable: number;
  readonly precision: number;
  readonly recall: number;
  readonly exactItems: number;
  readonly misses: readonly string[];
}

const pct = (x: number) => Math.round(x * 1000) / 10;

export interface ChecklistBench {
  /** The 12 checklists the rules were revised on. */
  readonly corpus: MappingFigures;
  /** A checklist classified after that work; its first measurement is in bench/README.md. */
  readonly holdout: MappingFigures;
}

function figures(dir?: URL): MappingFigures {
  const corpus = loadCorpus(dir);
  const m = measure(corpus);
  return {
    checklists: corpus.length,
    items: m.items,
    automatable: m.automatable,
    precision: pct(m.precision),
    recall: pct(m.recall),
    exactItems: m.exact,
    misses: m.wrong.map((w) => `${w.checklist}:${w.line} ${w.text} (expected ${w.expected.join(',') || 'manual'}, mapped ${w.mapped.join(',') || 'manual'})`),
  };
}

export function benchChecklist(): ChecklistBench {
  return { corpus: figures(), holdout: figures(HOLDOUT) };
}
