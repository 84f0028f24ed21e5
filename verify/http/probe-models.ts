import type { StackSpec } from '../../spec/index.js';
import type { Site } from './site.js';
import type { ModelCatalogue } from './snapshot.js';

/** Ids kept from a catalogue: far beyond any real one, and a bound on what a hostile answer can make us hold. */
export const MAX_MODEL_IDS = 20_000;

/** GET on the model-discovery route, read as JSON: the list under spec http.models.listKey and each entry's id. */
export async function probeModels(site: Site, spec: StackSpec): Promise<ModelCatalogue | undefined> {
  const m = spec.http.models;
  if (!m) return undefined;
  const response = await site.probe(async () => {
    const a = await site.get(m.path, { accept: 'application/json' });
    return { status: a.status, ...readCatalogue(a.body.toString('utf8'), m.listKey) };
  });
  return { path: m.path, response };
}

/** The catalogue in a body: `{ "<listKey>": [ "id" | { "id": "…" } ] }`, or why it is not one. */
export function readCatalogue(body: string, listKey: string): { count?: number; ids: string[]; problem?: string } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ids: [], problem: 'the body is not JSON' };
  }
  const list = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>)[listKey] : undefined;
  if (!Array.isArray(list)) return { ids: [], problem: `the body has no "${listKey}" array` };
  const ids = list.slice(0, MAX_MODEL_IDS).flatMap((e): string[] => {
    if (typeof e === 'string') return [e];
    const id = typeof e === 'object' && e !== null ? (e as Record<string, unknown>).id : undefined;
    return typeof id === 'string' ? [id] : [];
  });
  return { count: list.length, ids };
}
