import { fingerprint } from '../../report/redact.js';
import type { Probe } from '../types.js';
import { referencedScripts, sourceMapUrl } from './bundle-refs.js';
import type { HttpAnswer } from './client.js';
import { scriptUrls } from './html.js';
import { scanForSecrets } from './secret-scan.js';
import { responseInfo, type Site } from './site.js';
import type { HttpSnapshot, RouteProbe, SecretFinding } from './snapshot.js';

/** Files fetched per run (scripts and source maps): a Next.js app ships a few dozen chunks; more would only slow the run. */
export const MAX_FILES = 60;
/** Bytes fetched per run across all files; a file over the client's body limit fails on its own. */
export const MAX_TOTAL_BYTES = 32 * 1024 * 1024;
const CONCURRENCY = 4;

/**
 * Fetches every same-site script the app ships, breadth-first from the pages' script tags through the chunks
 * those scripts load (import(), chunk maps, _buildManifest.js) and the source maps they name, within
 * MAX_FILES and MAX_TOTAL_BYTES, and scans each for secrets. A secret's value goes to the redactor and into a
 * fingerprint; the snapshot holds only its kind and location.
 */
export async function probeBundle(site: Site, pages: readonly HttpAnswer[]): Promise<{ bundle: HttpSnapshot['bundle']; assets: RouteProbe[] }> {
  const scanned: { path: string; bytes: number }[] = [];
  const failed: { path: string; error: string }[] = [];
  const secrets: SecretFinding[] = [];
  const assets: RouteProbe[] = [];
  const scan = async (answer: HttpAnswer) => {
    const path = displayPath(site, answer.url);
    scanned.push({ path, bytes: answer.body.length });
    for (const hit of await scanForSecrets(answer.body.toString('utf8'), new URL(answer.url).pathname)) {
      site.redactor.add(hit.value);
      secrets.push({ kind: hit.kind, location: `${path}:${hit.line}:${hit.column}`, fingerprint: fingerprint(hit.value) });
    }
  };
  for (const page of pages) await scan(page);

  const seen = new Set<string>();
  const queue: { url: string; map: boolean }[] = [];
  const enqueue = (url: string, map: boolean) => {
    if (seen.has(url) || !site.own(url)) return;
    seen.add(url);
    queue.push({ url, map });
  };
  for (const p of pages) for (const u of scriptUrls(p.body.toString('utf8'), p.url)) enqueue(u, false);
  let fetchedFiles = 0;
  let bytes = 0;
  let skipped = 0;
  const worker = async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      if (fetchedFiles >= MAX_FILES || bytes >= MAX_TOTAL_BYTES) {
        skipped++;
        continue;
      }
      fetchedFiles++;
      const { url, map } = next;
      const answer: Probe<HttpAnswer> = await site.probe(() => site.send({ method: 'GET', url, headers: { accept: map ? 'application/json' : '*/*' } }));
      const path = displayPath(site, url);
      if (!map) assets.push({ method: 'GET', path, response: answer.ok ? { ok: true, value: responseInfo(answer.value) } : answer });
      if (!answer.ok) {
        failed.push({ path, error: answer.error });
        continue;
      }
      const a = answer.value;
      bytes += a.body.length;
      // A source map that is not served is the right answer, not a failure.
      if (map && (a.status === 404 || a.status === 403)) continue;
      if (a.status !== 200) {
        failed.push({ path, error: `answered ${a.status}` });
        continue;
      }
      await scan(a);
      if (map) continue;
      const text = a.body.toString('utf8');
      for (const u of referencedScripts(text, url)) enqueue(u, false);
      const sourceMap = sourceMapUrl(text, url, a.headers);
      if (sourceMap) enqueue(sourceMap, true);
    }
  };
  // Workers run until the queue is empty; a worker that finds it empty while others still fetch comes back.
  while (queue.length > 0) await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  if (skipped > 0) failed.push({ path: `${skipped} more files`, error: `not fetched: the scan stops at ${MAX_FILES} files or ${MAX_TOTAL_BYTES} bytes` });
  const order = (p: string) => [...seen].findIndex((u) => displayPath(site, u) === p);
  assets.sort((a, b) => order(a.path) - order(b.path));
  const pageCount = pages.length;
  const rank = (path: string) => {
    const i = scanned.findIndex((x) => x.path === path);
    return i < pageCount ? i : pageCount + order(path);
  };
  scanned.sort((a, b) => rank(a.path) - rank(b.path));
  const at = (location: string) => location.replace(/:\d+:\d+$/, '');
  secrets.sort((a, b) => rank(at(a.location)) - rank(at(b.location)));
  return { bundle: { scanned, failed, secrets }, assets };
}

/**
 * The path on the canonical host; origin and path for any other host. The query is never shown: script and
 * source-map URLs come from the pages and their headers, and a signed one (`?X-Amz-Signature=`, `?token=`)
 * carries a credential.
 */
function displayPath(site: Site, url: string): string {
  const u = new URL(url);
  return u.hostname === site.canonical ? u.pathname : `${u.origin}${u.pathname}`;
}
