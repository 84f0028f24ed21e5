/** Message helpers every pg check shares. */
import type { PostgresSpec, StackSpec } from '../../../spec/index.js';
import type { Finding } from '../../types.js';
import type { Endpoint, QualifiedName, RelationInfo } from '../snapshot.js';

/** How messages name a relation: "Chat" in public, "audit"."events" elsewhere. */
export function showName(q: QualifiedName): string {
  return q.schema === 'public' ? `"${q.name}"` : `"${q.schema}"."${q.name}"`;
}

export function showColumns(columns: readonly (string | null)[]): string {
  return `(${columns.map((c) => (c === null ? 'expression' : `"${c}"`)).join(', ')})`;
}

export function showList(names: readonly string[], max = 5): string {
  const quoted = names.slice(0, max).map((n) => `"${n}"`);
  return names.length > max ? `${quoted.join(', ')} and ${names.length - max} more` : quoted.join(', ');
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function hostPort(e: Endpoint): string {
  return `${e.host.includes(':') ? `[${e.host}]` : e.host}:${e.port}`;
}

export function formatMs(ms: number): string {
  return ms >= 10 ? `${Math.round(ms)} ms` : ms >= 1 ? `${ms.toFixed(1)} ms` : `${ms.toFixed(2)} ms`;
}

export function couldNotRead(what: string, probe: { readonly error: string }, resource?: string): Finding {
  return { status: 'error', message: `Could not read ${what} (${probe.error}).`, ...(resource !== undefined ? { resource } : {}) };
}

export function skip(message: string): Finding[] {
  return [{ status: 'skip', message }];
}

/** The spec's postgres section; the collector only runs when it exists, so its absence is a wiring bug. */
export function pgSpecOf(spec: StackSpec): PostgresSpec {
  if (!spec.postgres) throw new Error('the stack has no prodcheck:postgres section');
  return spec.postgres;
}

/** The relation a spec name refers to, or why not: missing, or present under another case or as a view. */
export function lookupTable(relations: readonly RelationInfo[], q: QualifiedName): { found: RelationInfo } | { missing: string } {
  const exact = relations.find((r) => r.schema === q.schema && r.name === q.name);
  if (exact && (exact.kind === 'table' || exact.kind === 'partitioned table')) return { found: exact };
  if (exact) return { missing: `found a ${exact.kind}, not a table` };
  const near = relations.find((r) => r.schema === q.schema && r.name.toLowerCase() === q.name.toLowerCase());
  return { missing: near ? `found none; "${near.name}" differs only in case` : `found none in schema "${q.schema}"` };
}
