/**
 * The scripts a script loads without a <script> tag: dynamic import(), Next.js chunk paths (in chunks and
 * _buildManifest.js), webpack's chunk-id → hash maps, Vite's preload lists, and its source map.
 */

/** Where Next.js serves "static/…" paths from (its default assetPrefix). */
const NEXT_BASE = '/_next/';

const DYNAMIC_IMPORT = /\bimport\(\s*["'`]([^"'`\s]+\.m?js)["'`]\s*\)/g;
/** "static/chunks/…js" and "/_next/static/…js" string literals. */
const NEXT_CHUNK = /["'`]((?:\/_next\/)?static\/[^"'`\s]+?\.js)["'`]/g;
/** Absolute-path or ./-relative .js string literals, and Vite's "assets/…js". */
const SCRIPT_LITERAL = /["'`]((?:\/|\.\.?\/|assets\/)[^"'`\s<>]+?\.m?js)["'`]/g;
/** webpack's chunk filename function: "static/chunks/" + ({names}[id] || id) + "." + {hashes}[id] + ".js". */
const CHUNK_MAP = /["'`](static\/chunks\/(?:app\/)?)["'`]\s*\+\s*(?:\(\s*\{([^{}]*)\}\s*\[\s*\w+\s*\]\s*\|\|\s*\w+\s*\)|\w+)\s*\+\s*["'`]\.["'`]\s*\+\s*\{([^{}]*)\}\s*\[\s*\w+\s*\]\s*\+\s*["'`]\.js["'`]/g;
const SOURCE_MAP = /\/\/[#@]\s*sourceMappingURL=(\S+?\.map)\s*$/m;

function entries(body: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of body.matchAll(/(?:"([^"]+)"|(\w+))\s*:\s*"([^"]+)"/g)) out.set(m[1] ?? m[2] ?? '', m[3] ?? '');
  return out;
}

function resolve(ref: string, base: string): string | undefined {
  if (!URL.canParse(ref, base)) return undefined;
  const u = new URL(ref, base);
  u.hash = '';
  return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : undefined;
}

/** Script URLs `text` (served at `url`) refers to, in order of appearance, deduplicated. */
export function referencedScripts(text: string, url: string): string[] {
  const origin = new URL(url).origin;
  const out = new Set<string>();
  const add = (ref: string | undefined, base: string) => {
    const r = ref === undefined ? undefined : resolve(ref, base);
    if (r && r !== url) out.add(r);
  };
  for (const m of text.matchAll(DYNAMIC_IMPORT)) add(m[1], url);
  for (const m of text.matchAll(NEXT_CHUNK)) add(m[1]?.startsWith('static/') ? `${NEXT_BASE}${m[1]}` : m[1], origin);
  for (const m of text.matchAll(SCRIPT_LITERAL)) {
    const ref = m[1] ?? '';
    add(ref, ref.startsWith('assets/') ? origin : url);
  }
  for (const m of text.matchAll(CHUNK_MAP)) {
    const names = entries(m[2] ?? '');
    for (const [id, hash] of entries(m[3] ?? '')) add(`${NEXT_BASE}${m[1] ?? ''}${names.get(id) ?? id}.${hash}.js`, origin);
  }
  return [...out];
}

/** The source map a script names (SourceMap header, or a sourceMappingURL comment), resolved against it. */
export function sourceMapUrl(text: string, url: string, headers: Readonly<Record<string, string>>): string | undefined {
  const ref = headers.sourcemap ?? headers['x-sourcemap'] ?? SOURCE_MAP.exec(text.slice(-2048))?.[1];
  return ref === undefined || ref.startsWith('data:') ? undefined : resolve(ref, url);
}
