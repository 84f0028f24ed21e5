import { LINK } from './identities.js';
import type { ChecklistItem } from './items.js';
import type { Rule } from './rules.js';
import { ELSEWHERE, LOCAL_ONLY, PEOPLE_TASK, RULES, SECTIONS } from './rules.js';

/** Lower case, a doubled box and links reduced to their text, code and emphasis marks dropped (`_` stays: env var names need it). */
export function plain(markdown: string): string {
  return markdown
    .replace(/^\[[ xX]\]\s*/, '')
    .replace(LINK, '$1')
    .replace(/[`*]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** A control an item maps to, and the words that made it so. */
export interface Because {
  readonly control: string;
  readonly why: string;
}

export interface ItemMapping {
  readonly controls: readonly Because[];
  /** Why a person judges the item, when no control applies. */
  readonly manual?: string;
}

type Mappable = Pick<ChecklistItem, 'text' | 'headings' | 'parents'>;

/** The n-th rule for a control, counted from 1 as they stand in rules.ts: how explain names a rule. */
function ruleName(rule: Rule): string {
  const same = RULES.filter((r) => r.control === rule.control);
  return same.length > 1 ? `${rule.control} rule ${same.indexOf(rule) + 1}` : `${rule.control} rule`;
}

const quote = (s: string) => `"${s.length > 60 ? `${s.slice(0, 57)}…` : s}"`;

/** The catalogue controls an item claims, by the rules in rules.ts, with the reason for each; none means a person judges it. */
export function mapItem(item: Mappable): ItemMapping {
  const own = plain(item.text);
  const parents = item.parents.map(plain);
  const near = [...item.headings.slice(-2).map(plain), ...parents].join(' › ');
  const decided = SECTIONS.find((s) => s.section.test(near));
  if (decided) {
    const under = quote(decided.section.exec(near)?.[0] ?? '');
    if (decided.controls.length === 0) return { controls: [], manual: `under ${under}: ${decided.why}` };
    const other = decided.except?.find((e) => e.item.test(own));
    if (other) return { controls: other.controls.map((control) => ({ control, why: `under ${under}: ${other.why}` })) };
    return { controls: decided.controls.map((control) => ({ control, why: `under ${under}: ${decided.why}` })) };
  }
  const task = PEOPLE_TASK.exec(own);
  if (task) return { controls: [], manual: `${quote(task[0])} is work for a person (monitor, review, plan, a step in a console…), whatever system it names` };
  const around = [...item.headings.map(plain), ...parents].join(' › ');
  const everything = `${around} › ${own}`;
  const local = LOCAL_ONLY.exec(own) ?? (/\bvercel\b/.test(own) ? null : LOCAL_ONLY.exec(near));
  if (local) return { controls: [], manual: `it is about ${quote(local[0])}, a developer's machine, which prodcheck does not read` };
  // A variable set on another platform is no evidence about Vercel's environment, which the env.* checks read.
  const elsewhere = ELSEWHERE.exec(own) ?? (/\bvercel\b/.test(own) ? null : ELSEWHERE.exec(near));
  const found: Because[] = [];
  for (const rule of RULES) {
    const words = rule.item.exec(own);
    if (!words) continue;
    const context = rule.within?.exec(everything);
    if (rule.within && !context) continue;
    if (rule.unless?.test(own) || rule.outside?.test(around)) continue;
    if (elsewhere && rule.control.startsWith('env.')) continue;
    if (found.some((f) => f.control === rule.control)) continue;
    const where = context ? ` with ${quote(context[0])} around it` : '';
    found.push({ control: rule.control, why: `${ruleName(rule)}: the words ${quote(words[0])}${where}` });
  }
  if (found.length > 0) return { controls: found };
  if (elsewhere) return { controls: [], manual: `it is about ${quote(elsewhere[0])}, and prodcheck reads the environment from Vercel` };
  return { controls: [], manual: 'no rule matches its words: nothing prodcheck checks claims it' };
}

/** The catalogue controls an item claims; none means a person judges it. */
export function controlsFor(item: Mappable): string[] {
  return mapItem(item).controls.map((c) => c.control);
}
