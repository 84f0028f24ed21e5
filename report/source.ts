import { readFileSync } from 'node:fs';
import { isAbsolute, relative, sep } from 'node:path';
import { LineCounter, isMap, isScalar, parseDocument, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Result } from './types.js';

/** Where a report's results point: the stack file, relative to the workspace root, and a line per result. */
export interface SourceMap {
  /** Forward-slash path relative to the root (`infra/Pulumi.prod.yaml`), or absolute when the file lies outside it. */
  readonly uri: string;
  readonly relative: boolean;
  lineOf(result: Pick<Result, 'control' | 'resource'>): number;
}

/** Catalogue families whose stack-config section has another name. */
const SECTION: Readonly<Record<string, string>> = { pg: 'postgres' };

function camel(part: string): string {
  return part.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function keyOf(pair: Pair): string | undefined {
  return isScalar(pair.key) ? String(pair.key.value) : undefined;
}

/** The pair of `map` that best names `part`: the same key, or one of the two a prefix of the other (`encryption` ~ `encryption-at-rest`). */
function pairFor(map: YAMLMap, part: string): Pair | undefined {
  const want = camel(part).toLowerCase();
  const pairs = map.items.filter((p) => keyOf(p) !== undefined);
  return (
    pairs.find((p) => keyOf(p)?.toLowerCase() === want) ??
    pairs.find((p) => {
      const k = keyOf(p)?.toLowerCase() ?? '';
      return k.length >= 2 && (want.startsWith(k) || k.startsWith(want));
    })
  );
}

/** A key named `name` anywhere below `node` (an env var, a table, a key prefix...), depth first. */
function findKey(node: Node | null | undefined, name: string): Pair | undefined {
  if (!isMap(node)) return undefined;
  for (const p of node.items) {
    if (keyOf(p) === name) return p;
    const below = findKey(p.value as Node, name);
    if (below) return below;
  }
  return undefined;
}

/**
 * Reads the stack file once and answers, for each result, the line of the config key its control
 * reads: the resource's own key if the section has one, else the deepest key the control id names
 * (`redis.eviction-policy` → `prodcheck:redis` / `evictionPolicy`), else the section, else `config:`.
 */
export function sourceMapOf(file: string, root: string): SourceMap {
  const rel = relative(root, file);
  const inside = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  const uri = (inside ? rel : file).split(sep).join('/');
  // Parsed on the first line asked for: a report that shows no lines (json, console, md) never reads it.
  let parsed: ParsedStack | null | undefined;
  const stack = (): ParsedStack | null => (parsed === undefined ? (parsed = parseStack(file)) : parsed);
  return {
    uri,
    relative: inside,
    lineOf(result) {
      const p = stack();
      if (!p) return 1;
      const { config, fallback, lineAt } = p;
      const [family = '', ...parts] = result.control.split('.');
      const section = isMap(config?.value) ? config.value.items.find((q) => keyOf(q) === `prodcheck:${SECTION[family] ?? family}`) : undefined;
      if (!section) return fallback;
      const byResource = result.resource === undefined ? undefined : findKey(section.value as Node, result.resource);
      if (byResource) return lineAt(byResource) ?? fallback;
      let best: Pair = section;
      for (const part of parts) {
        const next = isMap(best.value) ? pairFor(best.value, part) : undefined;
        if (!next) break;
        best = next;
      }
      return lineAt(best) ?? fallback;
    },
  };
}

interface ParsedStack {
  readonly config: Pair | undefined;
  readonly fallback: number;
  readonly lineAt: (pair: Pair | undefined) => number | undefined;
}

/** The stack file's `config:` pair and a key-to-line lookup; null when the file cannot be read. */
function parseStack(file: string): ParsedStack | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, keepSourceTokens: false });
  const lineAt = (pair: Pair | undefined): number | undefined => {
    const offset = (pair?.key as Node | undefined)?.range?.[0];
    return offset === undefined ? undefined : lines.linePos(offset).line;
  };
  const config = isMap(doc.contents) ? doc.contents.items.find((p) => keyOf(p) === 'config') : undefined;
  return { config, fallback: lineAt(config) ?? 1, lineAt };
}
