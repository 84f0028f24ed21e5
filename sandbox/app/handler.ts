import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import Stripe from 'stripe';
import type { StackSpec } from '../../spec/index.js';
import { pageHtml, type Chunk } from './content.js';
import type { AppFault } from './faults.js';
import type { FixedWindowLimiter } from './rate-limit.js';
import { html, json, send, type Reply } from './respond.js';

/** Where the test user signs in: Auth.js-style credentials route. */
export const SIGN_IN_PATH = '/api/auth/signin';
export const LOGIN_PAGE = '/login';
/** Request bodies beyond this are refused; the app never needs more. */
const MAX_BODY = 1024 * 1024;

export interface AppState {
  readonly spec: StackSpec;
  readonly faults: ReadonlySet<AppFault>;
  readonly webhookSecret: string;
  /** What webhook-wrong-secret checks signatures with instead. */
  readonly otherWebhookSecret: string;
  readonly user: { readonly email: string; readonly password: string };
  readonly sessions: Set<string>;
  readonly limiter: FixedWindowLimiter;
  readonly chunks: readonly Chunk[];
  /** Env values the leaky-errors fault dumps, as a misconfigured app would. */
  readonly leakedEnv: Readonly<Record<string, string>>;
  /** Bearer token of each tier's test identity (spec http.tieredRateLimits), by token. */
  readonly tierOfToken: ReadonlyMap<string, string>;
  /** The model catalogue, built (slowly) on the first request and cached after. */
  models?: unknown;
}

/** What the first GET of the model catalogue costs while the app discovers the models. */
export const MODEL_DISCOVERY_MS = 200;

/** Serves one HTTPS request the way the deployed Next.js app would, with the faults of `state` planted. */
export async function handleHttps(req: IncomingMessage, res: ServerResponse, state: AppState): Promise<void> {
  send(req, res, await route(req, state), state.faults, true);
}

/** The plain-HTTP listener: a 308 to https:// (Vercel's behaviour), or the site itself under no-https-redirect. */
export async function handleHttp(req: IncomingMessage, res: ServerResponse, state: AppState): Promise<void> {
  if (state.faults.has('no-https-redirect')) {
    send(req, res, await route(req, state), state.faults, false);
    return;
  }
  const host = state.faults.has('redirect-off-host') ? `${state.spec.app.name}.example.net` : hostOf(req);
  send(req, res, { status: 308, headers: { location: `https://${host}${req.url ?? '/'}` } }, state.faults, false);
}

async function route(req: IncomingMessage, state: AppState): Promise<Reply> {
  const { spec, faults } = state;
  const method = req.method ?? 'GET';
  const host = hostOf(req);
  const url = new URL(req.url ?? '/', 'https://app.invalid');
  const domain = spec.app.domain;
  const www = `www.${domain}`;
  if (host === www && spec.app.canonicalHost === 'apex' && !faults.has('no-www-redirect')) return { status: 308, headers: { location: `https://${domain}${req.url ?? '/'}` } };
  if (host === domain && spec.app.canonicalHost === 'www' && !faults.has('no-www-redirect')) return { status: 308, headers: { location: `https://${www}${req.url ?? '/'}` } };
  if (host === www && spec.app.canonicalHost === 'none') return html(421, '<!DOCTYPE html><p>Misdirected request</p>');

  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch (e) {
    return failure(e, state, 400, 'Bad request');
  }
  const isApi = path.startsWith('/api/');
  const cors = corsHeaders(req, state, isApi || path === spec.http.cors.probePath);
  if (method === 'OPTIONS' && req.headers['access-control-request-method']) return { status: 204, headers: cors };
  const timed = spec.perf?.apiLatency?.routes.find((r) => r.path === path && r.method === method);
  if (timed && faults.has('slow-api')) await sleep(timed.p95Ms + 300);

  const tiered = spec.http.tieredRateLimits.find((r) => r.path === path && r.method === method);
  const bearer = /^Bearer (\S+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
  if (tiered && bearer !== undefined) {
    const tier = state.tierOfToken.get(bearer);
    if (tier === undefined || tiered.tiers[tier] === undefined) return json(401, { error: 'Invalid API key' }, cors);
    const shared = faults.has('shared-tier-limit');
    const tierLimit = shared ? Math.min(...Object.values(tiered.tiers)) : tiered.tiers[tier];
    const hit = state.limiter.hit(shared ? `shared:${method}:${path}` : `${tier}:${bearer}:${method}:${path}`, tierLimit, tiered.windowSeconds);
    if (hit.limited) {
      return json(429, { error: 'Too many requests' }, { ...cors, 'retry-after': String(hit.resetSeconds), 'ratelimit-limit': String(tierLimit), 'ratelimit-remaining': '0', 'ratelimit-reset': String(hit.resetSeconds) });
    }
    return json(200, { ok: true, tier, reply: 'Hello from the sandbox' }, cors);
  }

  const limit = spec.http.rateLimits.find((r) => r.path === path && r.method === method);
  if (limit && !faults.has('no-rate-limit')) {
    const hit = state.limiter.hit(`${req.socket.remoteAddress}:${method}:${path}`, limit.limit, limit.windowSeconds);
    if (hit.limited) {
      const headers = faults.has('rate-limit-no-headers')
        ? cors
        : { ...cors, 'retry-after': String(hit.resetSeconds), 'ratelimit-limit': String(limit.limit), 'ratelimit-remaining': '0', 'ratelimit-reset': String(hit.resetSeconds) };
      return json(429, { error: 'Too many requests' }, headers);
    }
  }

  const webhookPath = spec.stripe?.webhook.path;
  if (webhookPath !== undefined && path === webhookPath && method === 'POST') return webhook(await readBody(req), req.headers['stripe-signature'], state);

  let body: unknown;
  if (isApi && (method === 'POST' || method === 'PUT' || method === 'PATCH')) {
    try {
      const text = await readBody(req);
      body = text === '' ? undefined : JSON.parse(text);
    } catch (e) {
      return failure(e, state, 400, 'Invalid JSON body');
    }
  }

  if (path === SIGN_IN_PATH && method === 'POST') return signIn(body, state);
  const health = spec.http.health.find((h) => h.path === path);
  if (health && (method === 'GET' || method === 'HEAD')) {
    const [first, ...rest] = health.services;
    const sick = faults.has('unhealthy-service');
    const services = Object.fromEntries([...(first ? [[first, sick ? 'unhealthy' : 'healthy']] : []), ...rest.map((s) => [s, 'healthy'])]);
    const reply = json(sick ? 503 : 200, { status: sick ? 'unhealthy' : 'healthy', services, timestamp: new Date().toISOString() }, cors);
    return faults.has('slow-health') ? { ...reply, stall: true } : reply;
  }
  if (spec.http.protectedRoutes.includes(path) && !faults.has('unprotected-route') && !hasSession(req, state)) {
    return isApi ? json(401, { error: 'Unauthorized' }, cors) : { status: 307, headers: { location: `${LOGIN_PAGE}?callbackUrl=${encodeURIComponent(path)}` } };
  }
  if (spec.http.models?.path === path && (method === 'GET' || method === 'HEAD')) {
    const reply = json(200, await modelCatalogue(state), cors);
    return faults.has('api-not-json') ? { ...reply, type: 'text/html; charset=utf-8' } : reply;
  }
  const smoke = spec.http.apiSmoke.find((a) => a.path === path && a.method === method);
  if (smoke) {
    if (faults.has('api-500') && smoke === spec.http.apiSmoke[0]) return json(500, { error: 'Internal Server Error' }, cors);
    return smoke.status === 204 || method === 'OPTIONS' ? { status: smoke.status, headers: cors } : json(smoke.status, { models: ['gpt-4o', 'claude-sonnet'], count: 2 }, cors);
  }
  if (limit) return json(200, { ok: true, reply: 'Hello from the sandbox' }, cors);
  if (isApi) return spec.http.protectedRoutes.includes(path) ? json(200, { active: true, plan: 'pro' }, cors) : json(404, { error: 'Not found' }, cors);

  const chunk = state.chunks.find((c) => c.path === path);
  if (chunk) {
    const cacheControl = faults.has('no-cache-assets') ? 'no-cache' : 'public, max-age=31536000, immutable';
    return { status: 200, body: chunk.body, type: 'application/javascript; charset=utf-8', headers: { 'cache-control': cacheControl } };
  }
  if (method !== 'GET' && method !== 'HEAD') return html(405, '<!DOCTYPE html><p>Method not allowed</p>');
  if (path === failingPage(spec) && faults.has('page-error')) return html(503, '<!DOCTYPE html><p>Service unavailable</p>');
  if (path === '/' && faults.has('root-not-html')) return { status: 200, body: `${spec.app.name} is being deployed.`, type: 'text/plain; charset=utf-8' };
  if (spec.http.pages.includes(path) || spec.http.protectedRoutes.includes(path) || path === LOGIN_PAGE || path === '/') {
    const cacheControl = faults.has('html-cached-immutable') ? 'public, max-age=31536000, immutable' : 'public, max-age=0, must-revalidate';
    return html(200, pageHtml(spec.app.name, path, state.chunks), { 'cache-control': cacheControl });
  }
  return html(404, '<!DOCTYPE html><p>This page could not be found.</p>');
}

/**
 * The catalogue of spec http.models: the required ids and enough others to land mid-band. The first request
 * pays for discovery, later ones come from the cache; under models-uncached every one pays, past the budget.
 */
async function modelCatalogue(state: AppState): Promise<unknown> {
  const { spec, faults } = state;
  const m = spec.http.models;
  if (!m) return { models: [] };
  const uncached = faults.has('models-uncached');
  if (!uncached && state.models !== undefined) return state.models;
  await sleep(uncached ? (spec.perf?.modelsCache?.p95Ms ?? 500) + 300 : MODEL_DISCOVERY_MS);
  const size = Math.max(m.required.length, Math.round((m.minCount + m.maxCount) / 2));
  let ids = [...m.required, ...Array.from({ length: size - m.required.length }, (_, i) => `sandbox/model-${String(i + 1).padStart(3, '0')}`)];
  if (faults.has('models-missing-id')) ids = m.required.length > 0 ? ids.slice(1) : ids.slice(0, Math.max(0, m.minCount - 1));
  const catalogue = { [m.listKey]: ids.map((id) => ({ id, object: 'model', owned_by: id.split('/')[0] ?? 'sandbox' })) };
  state.models = catalogue;
  return catalogue;
}

/** page-error breaks the last spec page, sparing / when another page exists: / carries the scripts and headers other checks read. */
export function failingPage(spec: StackSpec): string {
  const pages = spec.http.pages.filter((p) => p !== '/');
  return pages[pages.length - 1] ?? '/';
}

function webhook(raw: string, signature: string | string[] | undefined, state: AppState): Reply {
  if (state.faults.has('accept-unsigned-webhooks')) return json(200, { received: true });
  const secret = state.faults.has('webhook-wrong-secret') ? state.otherWebhookSecret : state.webhookSecret;
  let event: Stripe.Event;
  try {
    // The SDK refuses timestamps older than five minutes unless told otherwise, as this fault does.
    const tolerance = state.faults.has('webhook-no-tolerance') ? Number.MAX_SAFE_INTEGER : undefined;
    event = Stripe.webhooks.constructEvent(raw, typeof signature === 'string' ? signature : '', secret, tolerance);
  } catch {
    return json(400, { error: 'Webhook signature verification failed' });
  }
  const handled = state.spec.stripe?.webhook.events.includes(event.type) ?? false;
  return json(200, handled ? { received: true } : { received: true, ignored: event.type });
}

function signIn(body: unknown, state: AppState): Reply {
  const b = (body ?? {}) as { email?: unknown; password?: unknown };
  if (b.email !== state.user.email || b.password !== state.user.password) return json(401, { error: 'Invalid credentials' });
  const token = randomBytes(24).toString('base64url');
  state.sessions.add(token);
  const name = state.spec.http.sessionCookie;
  const cookie = state.faults.has('weak-cookie') ? `${name}=${token}; Path=/; SameSite=None` : `${name}=${token}; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=86400`;
  return json(200, { ok: true }, { 'set-cookie': [cookie] });
}

function hasSession(req: IncomingMessage, state: AppState): boolean {
  const name = state.spec.http.sessionCookie;
  return String(req.headers.cookie ?? '')
    .split(';')
    .map((c) => c.trim())
    .some((c) => c.startsWith(`${name}=`) && (state.faults.has('session-any-value') || state.sessions.has(c.slice(name.length + 1))));
}

function corsHeaders(req: IncomingMessage, state: AppState, applies: boolean): Record<string, string> {
  const origin = req.headers.origin;
  if (!applies || !origin) return {};
  const common = { 'access-control-allow-methods': 'GET, POST, OPTIONS', 'access-control-allow-headers': 'content-type, authorization', 'access-control-allow-credentials': 'true' };
  if (state.faults.has('cors-wildcard')) return { ...common, 'access-control-allow-origin': '*' };
  if (state.faults.has('cors-reflect-origin')) return { ...common, 'access-control-allow-origin': origin, vary: 'Origin' };
  return state.spec.http.cors.allowedOrigins.includes(origin) ? { ...common, 'access-control-allow-origin': origin, vary: 'Origin' } : { vary: 'Origin' };
}

/** A request the app cannot process: a terse error, or under leaky-errors the stack and env, as a debug build would. */
function failure(e: unknown, state: AppState, status: number, message: string): Reply {
  if (!state.faults.has('leaky-errors')) return json(status, { error: message });
  const err = e instanceof Error ? e : new Error(String(e));
  return json(500, { error: err.message, stack: err.stack, env: state.leakedEnv });
}

function hostOf(req: IncomingMessage): string {
  const host = String(req.headers.host ?? '');
  return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : (host.split(':')[0] ?? '');
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy(new Error('request body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
