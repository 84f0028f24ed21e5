import type { StackSpec } from '../../spec/index.js';
import type { Probe } from '../types.js';
import { probeCertificate } from './certificate.js';
import type { HttpAnswer } from './client.js';
import { gradeWithObservatory, observatoryCorsOrigin, observatoryInstalled, type ObservatoryExchange, type ObservatoryGrade } from './observatory.js';
import { ACCEPT_HTML, responseInfo, type Site } from './site.js';
import type { HealthResponse, HttpSnapshot, RouteProbe } from './snapshot.js';

/** Each spec page; `/` reuses the root answer. Bodies are returned for the bundle scan, not kept. */
export async function probePages(site: Site, spec: StackSpec, root: HttpAnswer): Promise<{ probes: RouteProbe[]; html: HttpAnswer[] }> {
  const answers = await Promise.all(
    spec.http.pages.map(async (path) => ({ path, answer: await site.probe(() => (path === '/' ? Promise.resolve(root) : site.get(path, { accept: ACCEPT_HTML }))) })),
  );
  const html = answers.flatMap(({ answer }) => (answer.ok && answer.value.status === 200 && isHtml(answer.value) ? [answer.value] : []));
  if (!spec.http.pages.includes('/') && root.status === 200 && isHtml(root)) html.unshift(root);
  const probes = answers.map(({ path, answer }) => ({ method: 'GET', path, response: mapProbe(answer, responseInfo) }));
  return { probes, html };
}

export function probeApiSmoke(site: Site, spec: StackSpec): Promise<RouteProbe[]> {
  return Promise.all(
    spec.http.apiSmoke.map(async ({ path, method }) => ({
      method,
      path,
      response: await site.probe(async () => responseInfo(await site.send({ method, url: site.url(path), headers: { accept: 'application/json' } }))),
    })),
  );
}

export function probeHealth(site: Site, spec: StackSpec): Promise<RouteProbe<HealthResponse>[]> {
  return Promise.all(
    spec.http.health.map(async ({ path }) => ({
      method: 'GET',
      path,
      response: await site.probe(async () => {
        const a = await site.get(path, { accept: 'application/json' });
        return { ...responseInfo(a), json: parseJson(a.body.toString('utf8')) };
      }),
    })),
  );
}

/** GET http://<canonical host>/ without following: the redirect to https://, and the start of the Observatory's http route. */
export async function probeHttpRedirect(site: Site): Promise<{ probe: HttpSnapshot['httpRedirect']; answer?: HttpAnswer }> {
  const url = `http://${site.origin.hostname.includes(':') ? `[${site.origin.hostname}]` : site.origin.hostname}/`;
  const answer = await site.probe(() => site.send({ method: 'GET', url, headers: { accept: ACCEPT_HTML } }));
  return { probe: { url, response: mapProbe(answer, responseInfo) }, answer: answer.ok ? answer.value : undefined };
}

/** One handshake per host name the app serves: the canonical host, the apex and www (unless canonicalHost is none). */
export function probeCertificates(site: Site): Promise<HttpSnapshot['certificates']> {
  const hosts = [...new Set([site.canonical, site.apex, ...(site.www ? [site.www] : [])])];
  return Promise.all(
    hosts.map(async (host) => ({
      host,
      handshake: await site.probe(() => probeCertificate(site.client, host, host === site.canonical && site.origin.port ? Number(site.origin.port) : undefined, site.signal)),
    })),
  );
}

/** The non-canonical host (www for apex, the apex for www) must redirect to the canonical one. */
export async function probeWwwRedirect(site: Site, spec: StackSpec): Promise<HttpSnapshot['wwwRedirect']> {
  if (spec.app.canonicalHost === 'none' || !site.www) return undefined;
  const [fromHost, toHost] = spec.app.canonicalHost === 'apex' ? [site.www, site.apex] : [site.apex, site.www];
  const from = `https://${fromHost}/`;
  const response = await site.probe(async () => responseInfo(await site.send({ method: 'GET', url: from, headers: { accept: ACCEPT_HTML } })));
  return { from, to: `https://${toHost}/`, response };
}

/** The Observatory's view: both redirect routes, the final page and its own CORS preflight, graded by its analyzers. */
export async function probeObservatory(site: Site, root: HttpAnswer, httpFirst: HttpAnswer | undefined): Promise<Probe<ObservatoryGrade> | undefined> {
  if (!observatoryInstalled()) return undefined;
  return site.probe(async () => {
    const [https, http] = await Promise.all([site.follow(root), httpFirst ? site.follow(httpFirst) : Promise.resolve([])]);
    const final = https[https.length - 1] ?? root;
    const corsOrigin = await observatoryCorsOrigin();
    const requestHeaders = { origin: corsOrigin, 'access-control-request-method': 'GET' };
    // Like the Observatory's retriever, a preflight that gets no answer is graded as no CORS at all.
    const cors = await site.send({ method: 'OPTIONS', url: final.url, headers: requestHeaders }).then(
      (a) => ({ ...exchange(a), requestHeaders }),
      () => undefined,
    );
    return gradeWithObservatory({ hostname: site.canonical, https: https.map(exchange), http: http.map(exchange), cors });
  });
}

function exchange(a: HttpAnswer): ObservatoryExchange {
  return { url: a.url, status: a.status, headers: a.headers, setCookies: a.setCookies, body: a.body.toString('utf8'), verified: a.tlsVerified ?? true };
}

export function isHtml(a: HttpAnswer): boolean {
  return /^(text\/html|application\/xhtml\+xml)/i.test(a.headers['content-type'] ?? '');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function mapProbe<A, B>(p: Probe<A>, f: (a: A) => B): Probe<B> {
  return p.ok ? { ok: true, value: f(p.value) } : p;
}
