import { readFileSync, readdirSync } from 'node:fs';
import type { ChecklistItem } from '../../checklist/items.js';
import { scanChecklist } from '../../checklist/items.js';
import { controlsFor } from '../../checklist/mapping.js';

/** The corpus the rules were revised on, and checklists kept out of that work for an out-of-sample figure. */
export const CORPUS = new URL('../fixtures/checklists/corpus/', import.meta.url);
export const HOLDOUT = new URL('../fixtures/checklists/holdout/', import.meta.url);

export interface CorpusItem {
  readonly item: ChecklistItem;
  /** The controls a reviewer says the item claims; empty when a person must judge it. */
  readonly expected: readonly string[];
}

export interface CorpusChecklist {
  readonly name: string;
  readonly repository: string;
  readonly path: string;
  readonly commit: string;
  readonly markdown: string;
  readonly items: readonly CorpusItem[];
}

/**
 * The corpus: public checklists nobody here wrote, each `<name>.md` with a sidecar `<name>.tsv` giving its
 * origin and, per item (by line), the controls it claims or `manual`. The sidecar repeats the item's text so
 * an edit of either file that breaks their pairing fails loudly instead of measuring the wrong item.
 */
export function loadCorpus(dir: URL = CORPUS): CorpusChecklist[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((file) => {
      const name = file.slice(0, -3);
      const markdown = readFileSync(new URL(file, dir), 'utf8');
      const sidecar = readFileSync(new URL(`${name}.tsv`, dir), 'utf8').split('\n');
      const meta = new Map(sidecar.filter((l) => l.startsWith('# ')).map((l) => l.slice(2).split('\t') as [string, string]));
      const rows = new Map(
        sidecar
          .filter((l) => /^\d+\t/.test(l))
          .map((l) => {
            const [line = '', controls = '', text = ''] = l.split('\t');
            return [Number(line), { controls: controls === 'manual' ? [] : controls.split(','), text }] as const;
          }),
      );
      const scanned = scanChecklist(markdown).items;
      if (scanned.length !== rows.size) throw new Error(`${name}: ${scanned.length} items in the checklist, ${rows.size} rows in its sidecar`);
      const items = scanned.map((item) => {
        const row = rows.get(item.line + 1);
        if (!row || row.text !== item.text.replace(/\t/g, ' ')) throw new Error(`${name}.tsv: line ${item.line + 1} does not describe the item "${item.text}"`);
        return { item, expected: row.controls };
      });
      return { name, repository: meta.get('repository') ?? '', path: meta.get('path') ?? '', commit: meta.get('commit') ?? '', markdown, items };
    });
}

export interface Measure {
  readonly items: number;
  /** Items classified as claiming at least one control. */
  readonly automatable: number;
  /** (item, control) pairs the rules produce and the classification has. */
  readonly truePairs: number;
  readonly mappedPairs: number;
  readonly expectedPairs: number;
  /** Share of mapped (item, control) pairs the classification has. */
  readonly precision: number;
  /** Share of the classification's (item, control) pairs the rules produce. */
  readonly recall: number;
  /** Automatable items mapped to exactly their classified controls. */
  readonly exact: number;
  readonly wrong: readonly { readonly checklist: string; readonly line: number; readonly text: string; readonly expected: readonly string[]; readonly mapped: readonly string[] }[];
}

/** Mapping precision and recall over (item, control) pairs, against the hand classification. */
export function measure(corpus: readonly CorpusChecklist[]): Measure {
  let items = 0;
  let automatable = 0;
  let truePairs = 0;
  let mappedPairs = 0;
  let expectedPairs = 0;
  let exact = 0;
  const wrong: Measure['wrong'][number][] = [];
  for (const c of corpus) {
    for (const { item, expected } of c.items) {
      const mapped = controlsFor(item);
      items++;
      if (expected.length > 0) automatable++;
      const hits = mapped.filter((m) => expected.includes(m)).length;
      truePairs += hits;
      mappedPairs += mapped.length;
      expectedPairs += expected.length;
      const same = hits === expected.length && hits === mapped.length;
      if (same && expected.length > 0) exact++;
      if (!same) wrong.push({ checklist: c.name, line: item.line + 1, text: item.text, expected, mapped });
    }
  }
  return {
    items,
    automatable,
    truePairs,
    mappedPairs,
    expectedPairs,
    precision: mappedPairs === 0 ? 0 : truePairs / mappedPairs,
    recall: expectedPairs === 0 ? 0 : truePairs / expectedPairs,
    exact,
    wrong,
  };
}
