import { fingerprint } from '../../report/redact.js';
import type { Probe } from '../types.js';
import type { HttpAnswer } from './client.js';
import { scriptUrls } from './html.js';
import { findSecrets } from './secrets.js';
import { responseInfo, type Site } from './site.js';
import type { HttpSnapshot, RouteProbe, SecretFinding } from './snapshot.js';

/** Scripts fetched per run: a Next.js page loads a few dozen chunks at most; more would only slow the run. */
export const MAX_SCRIPTS = 30;
const SCRIPT_CONCURRENCY = 4;

/**
 * Fetches the same-site scripts the pages reference and scans them and the pages for secrets. A secret's
 * value goes to the redactor and into a fingerprint; the snapshot holds only its kind and location.
 */
export async function probeBundle(site: Site, pages: readonly HttpAnswer[]): Promise<{ bundle: HttpSnapshot['bundle']; assets: RouteProbe[] }> {
  const scripts = [...new Set(pages.flatMap((p) => scriptUrls(p.body.toString('utf8'), p.url)))].filter((u) => site.own(u)).slice(0, MAX_SCRIPTS);
  const fetched: { url: string; answer: Probe<HttpAnswer> }[] = [];
  const queue = [...scripts];
  const worker = async () => {
    for (let url = queue.shift(); url !== undefined; url = queue.shift()) {
      const u = url;
      fetched.push({ url: u, answer: await site.probe(() => site.send({ method: 'GET', url: u, headers: { accept: '*/*' } })) });
    }
  };
  await Promise.all(Array.from({ length: SCRIPT_CONCURRENCY }, worker));
  fetched.sort((a, b) => scripts.indexOf(a.url) - scripts.indexOf(b.url));

  const scanned: { path: string; bytes: number }[] = [];
  const failed: { path: string; error: string }[] = [];
  const secrets: SecretFinding[] = [];
  const assets: RouteProbe[] = [];
  const scan = (answer: HttpAnswer) => {
    const path = displayPath(site, answer.url);
    const text = answer.body.toString('utf8');
    scanned.push({ path, bytes: answer.body.length });
    for (const hit of findSecrets(text)) {
      site.redactor.add(hit.value);
      secrets.push({ kind: hit.kind, location: `${path}:${hit.line}:${hit.column}`, fingerprint: fingerprint(hit.value) });
    }
  };
  for (const page of pages) scan(page);
  for (const { url, answer } of fetched) {
    const path = displayPath(site, url);
    if (!answer.ok) {
      failed.push({ path, error: answer.error });
      assets.push({ method: 'GET', path, response: answer });
      continue;
    }
    const a = answer.value;
    assets.push({ method: 'GET', path, response: { ok: true, value: responseInfo(a) } });
    if (a.status === 200) scan(a);
    else failed.push({ path, error: `answered ${a.status}` });
  }
  return { bundle: { scanned, failed, secrets }, assets };
}

/** Path and query on the canonical host; the full URL for any other host. */
function displayPath(site: Site, url: string): string {
  const u = new URL(url);
  return u.hostname === site.canonical ? `${u.pathname}${u.search}` : u.href;
}
