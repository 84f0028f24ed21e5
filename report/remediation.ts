import { findControl } from '../checklist/index.js';

/** `P: ...; G: ...; V: ...` → each stage's text: the catalogue writes its how-to-check that way. */
function stageTexts(check: string): Map<string, string> {
  const parts = new Map<string, string>();
  for (const m of check.matchAll(/(?:^|;\s*)([PGVDA]):\s*(.*?)(?=;\s*[PGVDA]:|;\s*[PGVDA]$|$)/g)) {
    const [, stage, text] = m;
    if (stage && text && !parts.has(stage)) parts.set(stage, text.trim());
  }
  return parts;
}

/**
 * What to do about a failed control, from the catalogue: how the stack provisions it (the fix, where
 * prodcheck provisions the control) and what the check looks at (what must hold afterwards).
 * Undefined for an id outside the catalogue.
 */
export function remediationOf(controlId: string): string | undefined {
  const control = findControl(controlId);
  if (!control) return undefined;
  const stages = stageTexts(control.check);
  const provision = stages.get('P');
  const check = stages.get('V') ?? stages.get('G') ?? stages.get('A');
  const parts = [provision && `Provision it: ${provision}.`, check && `Then this must hold: ${check}.`].filter((p): p is string => typeof p === 'string');
  return parts.length > 0 ? parts.join(' ') : `See "prodcheck controls" for ${controlId}: ${control.check}`;
}

