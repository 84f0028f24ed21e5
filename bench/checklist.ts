// Mapping precision and recall of `checklist fill` on the corpus of public checklists (test/fixtures/checklists/corpus/),
// against the hand classification kept beside each checklist. The same figures are asserted in npm test.
import { fillChecklist } from '../checklist/fill.js';
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
  /** `checklist fill` on hostile long lines: linear since issue 14 (a 350 KB line took 20 s, 14 MB over 120 s). */
  readonly longLines: { readonly line350KbMs: number; readonly doc14MbMs: number; readonly doc14MbItems: number };
}

/** One line of each shape that made a rule or identity regex scan from every position to the end of the line. */
function hostileLines(bytes: number): string[] {
  return [
    `- [ ] environment variables set ${'1'.repeat(bytes)} ms`,
    `- [ ] ${'[a]('.repeat(bytes / 4)}`,
    `- [ ] Set it${' _(manual: x'.repeat(bytes / 12)}`,
    `- [ ] backup ${'backup '.repeat(bytes / 7)}retention`,
    `- [ ] ${'www '.repeat(bytes / 4)}`,
    `- [ ] ${'secrets '.repeat(bytes / 8)}`,
    `- [ ] ${Array.from({ length: bytes / 10 }, (_, i) => `VAR_${i}`).join(' ')}`,
  ];
}

function timeFill(md: string): { ms: number; items: number } {
  const t0 = performance.now();
  const filled = fillChecklist(md, [{ control: 'env.required-vars', status: 'pass', message: 'All required variables are set.' }], { sanitize: (s) => s });
  return { ms: Math.round(performance.now() - t0), items: filled.items.length };
}

function longLines(): ChecklistBench['longLines'] {
  const line = timeFill(`- [ ] backup ${'backup '.repeat((350 * 1024) / 7)}retention\n`);
  const doc = timeFill(`${hostileLines(2 * 1024 * 1024).join('\n')}\n`);
  return { line350KbMs: line.ms, doc14MbMs: doc.ms, doc14MbItems: doc.items };
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
  return { corpus: figures(), holdout: figures(HOLDOUT), longLines: longLines() };
}
