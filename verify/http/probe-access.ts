import { createHmac, randomBytes } from 'node:crypto';
import type { StackSpec } from '../../spec/index.js';
import { BURST_MAX_MS, burst } from './burst.js';
import { parseSetCookie } from './cookies.js';
import { findLeaks } from './leaks.js';
import { mapProbe } from './probe-site.js';
import { ACCEPT_HTML, responseInfo, type HttpTargets, type Site } from './site.js';
import type { CookieInfo, HttpSnapshot, LeakProbe } from './snapshot.js';
import { EXPIRED_EVENT_AGE_S, ignoredEventType, signedTestEvent } from './webhook.js';

/** An origin no app allows: its preflight must get no Access-Control-Allow-Origin. */
export const DISALLOWED_ORIGIN = 'https://evil.example';
/** A body that no JSON parser accepts. */
export const MALFORMED_JSON = '{"prodcheck": ';
/** An id no router decodes: a lone, truncated percent-escape. */
export const MALFORMED_ID = '%E0%A4%A';
const MAX_ERROR_PROBES = 4;

/** At most this many hostile origins are tried: each costs a preflight and a GET. */
const MAX_HOSTILE_ORIGINS = 12;

/**
 * Origins an attacker would try against an allow-list (each with why it is hostile): a look-alike suffix
 * and prefix of every allowed origin (or of the site itself), its http:// twin, `null` (sandboxed iframes,
 * file:) and an unrelated origin. None of them may be reflected.
 */
export function hostileOrigins(allowed: readonly string[], site: string): { origin: string; hostile?: string }[] {
  const out = new Map<string, string | undefined>([[DISALLOWED_ORIGIN, undefined]]);
  for (const base of allowed.length > 0 ? allowed : [site]) {
    const u = new URL(base);
    const port = u.port ? `:${u.port}` : '';
    out.set(`${u.protocol}//${u.hostname}.evil.net${port}`, `look-alike suffix of ${base}`);
    out.set(`${u.protocol}//evil${u.hostname}${port}`, `look-alike prefix of ${base}`);
    if (u.protocol === 'https:') out.set(`http://${u.host}`, `the http:// scheme of ${base}`);
  }
  out.set('null', 'the null origin of sandboxed frames and files');
  const allowedSet = new Set(allowed);
  return [...out].filter(([o]) => !allowedSet.has(o)).slice(0, MAX_HOSTILE_ORIGINS).map(([origin, hostile]) => (hostile ? { origin, hostile } : { origin }));
}

/**
 * From each hostile origin a preflight and a credentialed GET (with a cookie of the session's name, as a
 * browser would send it); from each allowed origin a preflight.
 */
export async function probeCors(site: Site, spec: StackSpec): Promise<HttpSnapshot['cors']> {
  const path = spec.http.cors.probePath;
  const hostile = hostileOrigins(spec.http.cors.allowedOrigins, site.origin.origin);
  const requests = [
    ...hostile.flatMap((h) => [
      { ...h, allowed: false, method: 'OPTIONS' as const },
      { ...h, allowed: false, method: 'GET' as const },
    ]),
    ...spec.http.cors.allowedOrigins.map((origin) => ({ origin, allowed: true, method: 'OPTIONS' as const })),
  ];
  const preflights = await Promise.all(
    requests.map(async (r) => {
      const headers: Record<string, string> =
        r.method === 'OPTIONS'
          ? { origin: r.origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'content-type' }
          : { origin: r.origin, accept: 'application/json', cookie: `${spec.http.sessionCookie}=prodcheck-cors-probe` };
      const response = await site.probe(async () => responseInfo(await site.send({ method: r.method, url: site.url(path), headers })));
      return { ...r, response };
    }),
  );
  return { path, preflights };
}

/**
 * Signs the test user in (targets http.signIn), reads the session cookie's flags, and asks each
 * protected route for a page without a session and, when signed in, with it. Credentials and the
 * session only travel over TLS that verifies.
 */
export async function probeSessionAndRoutes(
  site: Site,
  spec: StackSpec,
  t: HttpTargets,
  pagesSetCookies: readonly { path: string; setCookies: readonly string[] }[],
): Promise<{ session: HttpSnapshot['session']; protectedRoutes: HttpSnapshot['protectedRoutes'] }> {
  const name = spec.http.sessionCookie;
  let cookie: (CookieInfo & { setBy: string }) | undefined;
  let value: string | undefined;
  const take = (setBy: string, headers: readonly string[]) => {
    for (const h of headers) {
      const c = parseSetCookie(h);
      if (!c || c.name !== name || cookie) continue;
      site.redactor.add(c.value);
      cookie = { name: c.name, httpOnly: c.httpOnly, secure: c.secure, sameSite: c.sameSite, setBy };
      value = c.value;
    }
  };
  let signIn: HttpSnapshot['session']['signIn'];
  if (t.signIn) {
    const { path, method, contentType, credentials } = t.signIn;
    const answer = await site.probe(() =>
      site.send({ method, url: site.url(path), headers: { 'content-type': contentType, accept: 'application/json' }, body: credentials, verifyTls: true }),
    );
    if (answer.ok) take(`${method} ${path}`, answer.value.setCookies);
    signIn = { method, path, response: mapProbe(answer, responseInfo) };
  }
  for (const p of pagesSetCookies) take(`GET ${p.path}`, p.setCookies);

  const protectedRoutes = await Promise.all(
    spec.http.protectedRoutes.map(async (path) => {
      const anonymous = await site.probe(async () => responseInfo(await site.get(path, { accept: ACCEPT_HTML })));
      const withSession =
        value === undefined || !t.signIn
          ? undefined
          : await site.probe(async () => responseInfo(await site.send({ method: 'GET', url: site.url(path), headers: { accept: ACCEPT_HTML, cookie: `${name}=${value}` }, verifyTls: true })));
      // A cookie of the right name that no sign-in issued must not get through, nor one whose time is up.
      const withCookie = (v: string) => site.probe(async () => responseInfo(await site.send({ method: 'GET', url: site.url(path), headers: { accept: ACCEPT_HTML, cookie: `${name}=${v}` } })));
      const [forged, expired] = await Promise.all([withCookie(forgedSessionValue()), withCookie(expiredSessionValue())]);
      return { path, anonymous, forged, expired, withSession };
    }),
  );
  return { session: { signIn, cookie }, protectedRoutes };
}

/** A session value no sign-in issued: 32 random bytes, base64url, the shape of most session ids. */
export function forgedSessionValue(): string {
  return randomBytes(32).toString('base64url');
}

/** A JWT-shaped session (HS256, signed with a throwaway key) whose exp passed an hour ago. */
export function expiredSessionValue(now = Date.now()): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const at = Math.floor(now / 1000);
  const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: 'prodcheck-expired-session', iat: at - 7200, exp: at - 3600 })}`;
  return `${head}.${createHmac('sha256', randomBytes(32)).update(head).digest('base64url')}`;
}

/** An unsigned POST always; with --active and a secret, a signed event of a type the app ignores. */
export async function probeWebhook(site: Site, spec: StackSpec, t: HttpTargets, active: boolean, withheld?: string): Promise<HttpSnapshot['webhook']> {
  if (!spec.stripe) return undefined;
  const path = spec.stripe.webhook.path;
  // A signed event only travels over TLS that verifies: its signature is the secret's work.
  const post = (body: string, signature?: string) =>
    site.send({
      method: 'POST',
      url: site.url(path),
      headers: { 'content-type': 'application/json', accept: 'application/json', ...(signature ? { 'stripe-signature': signature } : {}) },
      body,
      verifyTls: signature !== undefined,
    });
  const unsigned = await site.probe(async () => responseInfo(await post('{"id":"evt_prodcheck_unsigned","object":"event","type":"prodcheck.unsigned"}')));
  const eventType = ignoredEventType(spec.stripe.webhook.events);
  // Signed with a throwaway secret: what a forger can make. Sent without --active, as the unsigned POST is.
  const forged = await site.probe(async () => {
    const event = await signedTestEvent(eventType ?? 'product.created', `whsec_${randomBytes(24).toString('base64')}`);
    return responseInfo(await post(event.payload, event.signature));
  });
  let signed: NonNullable<HttpSnapshot['webhook']>['signed'];
  if (!active) signed = { sent: false, reason: 'the signed test event is sent only with --active' };
  else if (withheld !== undefined) signed = { sent: false, reason: withheld };
  else if (!t.webhookSecret) signed = { sent: false, reason: 'no webhook secret to sign a test event with: set targets http.webhookSecret' };
  else if (!eventType) signed = { sent: false, reason: 'the webhook subscribes to every candidate test event type, so none is ignored' };
  else {
    const secret = t.webhookSecret;
    site.redactor.add(secret);
    const response = await site.probe(async () => {
      const event = await signedTestEvent(eventType, secret);
      return responseInfo(await post(event.payload, event.signature));
    });
    signed = { sent: true, eventType, response };
  }
  const expired: NonNullable<HttpSnapshot['webhook']>['expired'] =
    signed.sent && t.webhookSecret
      ? {
          sent: true,
          response: await site.probe(async () => {
            const event = await signedTestEvent(eventType ?? 'product.created', t.webhookSecret ?? '', EXPIRED_EVENT_AGE_S);
            return responseInfo(await post(event.payload, event.signature));
          }),
        }
      : { sent: false, reason: signed.sent ? 'no webhook secret' : signed.reason };
  return { path, unsigned, forged, expired, signed };
}

/**
 * One burst of at most limit + 1 requests per spec rate limit, one route after the other. All bursts
 * share one BURST_MAX_MS budget, so several routes cannot outlast the run's time for the target.
 */
export async function probeRateLimits(site: Site, spec: StackSpec): Promise<NonNullable<HttpSnapshot['rateLimits']>> {
  const out: NonNullable<HttpSnapshot['rateLimits']>[number][] = [];
  const end = Date.now() + BURST_MAX_MS;
  for (const { path, method, limit, windowSeconds } of spec.http.rateLimits) {
    const body = method === 'GET' || method === 'DELETE' ? undefined : '{}';
    const send = () => site.send({ method, url: site.url(path), headers: { 'content-type': 'application/json', accept: 'application/json' }, body });
    const budget = Math.min(windowSeconds * 1000, end - Date.now());
    out.push({ method, path, limit, response: await site.probe(() => burst(limit, budget, send)) });
  }
  return out;
}

/** Malformed JSON to the API routes the spec names, and an undecodable id under /api. */
export async function probeErrorLeakage(site: Site, spec: StackSpec): Promise<LeakProbe[]> {
  const apiPaths = [...new Set([...spec.http.apiSmoke.map((a) => a.path), spec.http.cors.probePath])].slice(0, MAX_ERROR_PROBES - 1);
  const base = (apiPaths.find((p) => p.startsWith('/api/')) ?? '/api/').replace(/\/+$/, '');
  const requests = [
    ...apiPaths.map((path) => ({ label: `POST ${path} with malformed JSON`, method: 'POST', path, body: MALFORMED_JSON })),
    { label: `GET ${base}/${MALFORMED_ID} with an undecodable id`, method: 'GET', path: `${base}/${MALFORMED_ID}`, body: undefined },
  ];
  return Promise.all(
    requests.map(async ({ label, method, path, body }) => ({
      label,
      response: await site.probe(async () => {
        const a = await site.send({ method, url: site.url(path), headers: { 'content-type': 'application/json', accept: 'application/json' }, body });
        return { ...responseInfo(a), leaks: findLeaks(a.body.toString('utf8'), site.redactor) };
      }),
    })),
  );
}
