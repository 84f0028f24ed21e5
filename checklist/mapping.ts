import type { ChecklistItem } from './items.js';
import { PEOPLE_TASK, RULES, SECTIONS } from './rules.js';

/** Lower case, links reduced to their text, code and emphasis marks dropped (`_` stays: env var names need it). */
export function plain(markdown: string): string {
  return markdown
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** The catalogue controls an item claims, by the rules in rules.ts; none means a person judges it. */
export function controlsFor(item: Pick<ChecklistItem, 'text' | 'headings' | 'parents'>): string[] {
  const own = plain(item.text);
  const parents = item.parents.map(plain);
  const section = [...item.headings.slice(-2).map(plain), ...parents].join(' › ');
  const decided = SECTIONS.find((s) => s.section.test(section));
  if (decided) return [...decided.controls];
  if (PEOPLE_TASK.test(own)) return [];
  const around = [...item.headings.map(plain), ...parents].join(' › ');
  const everything = `${around} › ${own}`;
  const ids = RULES.filter(
    (r) => r.item.test(own) && (r.within === undefined || r.within.test(everything)) && !(r.unless?.test(own) ?? false) && !(r.outside?.test(around) ?? false),
  ).map((r) => r.control);
  return [...new Set(ids)];
}
