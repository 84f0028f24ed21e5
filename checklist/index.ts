import { CONTROLS } from './catalogue.js';
import type { Control } from './types.js';

export { CONTROLS } from './catalogue.js';
export type { Control, Implementation, Severity, Stage } from './types.js';
export { STAGES, SEVERITIES } from './types.js';

const byId = new Map(CONTROLS.map((c) => [c.id, c]));

export function findControl(id: string): Control | undefined {
  return byId.get(id);
}

export function getControl(id: string): Control {
  const control = byId.get(id);
  if (!control) throw new Error(`Unknown control id "${id}": not in the catalogue (checklist/catalogue.ts).`);
  return control;
}

/** Turns a control glob like `pg.*` or `redis.tls` into a predicate over control ids. */
export function controlMatcher(globs: readonly string[]): (id: string) => boolean {
  const patterns = globs.map((g) => new RegExp(`^${g.trim().split('*').map(escapeRegExp).join('.*')}$`));
  return (id) => patterns.some((p) => p.test(id));
}

function escapeRegExp(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}
