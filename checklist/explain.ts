import { identities } from './identities.js';
import { scanChecklist } from './items.js';
import type { Because } from './mapping.js';
import { mapItem } from './mapping.js';

export interface ExplainedItem {
  /** 1-based, as an editor shows it. */
  readonly line: number;
  readonly text: string;
  readonly controls: readonly Because[];
  /** Why a person judges it, when it maps to no control. */
  readonly manual?: string;
  /** Names, routes and thresholds a result must have judged before the item may be ticked. */
  readonly mustJudge: readonly string[];
}

/** How `checklist fill` would read each item of a checklist, without any report: the controls and why, or why not. */
export function explainChecklist(markdown: string): ExplainedItem[] {
  return scanChecklist(markdown).items.map((item) => {
    const mapping = mapItem(item);
    return {
      line: item.line + 1,
      text: item.text,
      controls: mapping.controls,
      ...(mapping.manual !== undefined && { manual: mapping.manual }),
      mustJudge: mapping.controls.length > 0 ? identities(item.text).map((i) => i.text) : [],
    };
  });
}

/** The explanation as a person reads it: one block per item, mapped or manual, and a summary line. */
export function renderExplanation(file: string, items: readonly ExplainedItem[]): string {
  const mapped = items.filter((i) => i.controls.length > 0).length;
  const width = String(items.at(-1)?.line ?? 0).length;
  const blocks = items.map((i) => {
    const head = `line ${String(i.line).padStart(width)}  ${i.text}`;
    const pad = ' '.repeat(width + 7);
    const body =
      i.controls.length > 0
        ? [
            ...i.controls.map((c) => `${pad}→ ${c.control}  (${c.why})`),
            ...(i.mustJudge.length > 0 ? [`${pad}  ticked only by results that judged exactly: ${i.mustJudge.join(', ')}`] : []),
          ]
        : [`${pad}manual: ${i.manual ?? ''}`];
    return [head, ...body].join('\n');
  });
  return `${blocks.join('\n')}\n\n${file}: ${items.length} items, ${mapped} mapped to controls, ${items.length - mapped} for people.\n`;
}
