import { CONTROLS } from './catalogue.js';
import type { Control } from './types.js';

export { CONTROLS } from './catalogue.js';
export type { Control, Implementation, Severity, Stage } from './types.js';
export { STAGES } from './types.js';

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

export interface ControlSelection {
  readonly select: (id: string) => boolean;
  /** Globs that match no control id: almost always a typo. */
  readonly unknown: readonly string[];
}

/** The --only / --skip selection, each a comma-separated list of control globs (`pg.*,redis.tls`). */
export function selectControls(only: string | undefined, skip: string | undefined): ControlSelection {
  const list = (csv: string | undefined) =>
    (csv ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const onlyGlobs = list(only);
  const skipGlobs = list(skip);
  const inOnly = onlyGlobs.length > 0 ? controlMatcher(onlyGlobs) : () => true;
  const inSkip = skipGlobs.length > 0 ? controlMatcher(skipGlobs) : () => false;
  return {
    select: (id) => inOnly(id) && !inSkip(id),
    unknown: [...onlyGlobs, ...skipGlobs].filter((glob) => !CONTROLS.some((c) => controlMatcher([glob])(c.id))),
  };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}
