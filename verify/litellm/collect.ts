import type { CollectContext, Collector, Probe } from '../types.js';
import { describeError } from '../net.js';
import { LitellmApiError, LitellmClient, litellmErrorText, refusedKey, type LitellmAnswer } from './client.js';

/** GET /health/readiness: `{"status": "healthy", "db": "connected" | "Not connected" | "disconnected", "litellm_version", …}`. */
export interface Readiness {
  readonly status: number;
  /** The body's `status` ("healthy"), undefined when the body is not LiteLLM's readiness JSON. */
  readonly state: string | undefined;
  /** The body's `db`: "connected", "disconnected", or "Not connected" (no database configured). */
  readonly db: string | undefined;
  readonly version: string | undefined;
  /** For a non-200: the proxy's own words. */
  readonly detail: string;
}

/** One deployment in GET /health: the provider model and, where it failed, why. */
export interface HealthEndpoint {
  readonly model: string;
  readonly apiBase: string | undefined;
  readonly error: string | undefined;
}

export type Health =
  | { readonly kind: 'report'; readonly healthy: readonly HealthEndpoint[]; readonly unhealthy: readonly HealthEndpoint[] }
  /** Background health checks are on and have not run yet: the proxy answers `{}`. */
  | { readonly kind: 'pending' };

export interface LitellmSnapshot {
  /** Where prodcheck reached the proxy. */
  readonly base: string;
  readonly liveliness: { readonly status: number; readonly body: string };
  readonly readiness: Probe<Readiness>;
  /** The model names GET /v1/models lists with the master key. */
  readonly models: Probe<readonly string[]>;
  readonly health: Probe<Health>;
  readonly healthTimeoutMs: number;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function readiness(a: LitellmAnswer): Readiness {
  const body = (a.json ?? {}) as { status?: unknown; db?: unknown; litellm_version?: unknown };
  const json = typeof a.json === 'object' && a.json !== null;
  return { status: a.status, state: json ? str(body.status) : undefined, db: json ? str(body.db) : undefined, version: json ? str(body.litellm_version) : undefined, detail: litellmErrorText(a) };
}

function models(a: LitellmAnswer): string[] {
  const refused = refusedKey(a, 'the model list (/v1/models)');
  if (refused) throw new LitellmApiError('/v1/models', a.status, refused);
  if (a.status !== 200) throw new LitellmApiError('/v1/models', a.status, `GET /v1/models answered HTTP ${a.status} (${litellmErrorText(a)})`);
  const data = (a.json as { data?: unknown } | undefined)?.data;
  if (!Array.isArray(data)) throw new LitellmApiError('/v1/models', a.status, `GET /v1/models answered without an OpenAI-style model list ({"data": [...]}): ${a.text.slice(0, 120)}`);
  return data.map((m) => str((m as { id?: unknown } | null)?.id)).filter((id): id is string => id !== undefined);
}

/**
 * Provider errors sometimes echo the key they refused (`Incorrect API key provided: sk-proj-…`), whole or in
 * part; prodcheck was never given those keys, so the redactor cannot know them. Key-like runs are masked here,
 * before the text enters the snapshot.
 */
export function scrubProviderError(text: string): string {
  return text.replace(/\b((?:sk|rk|pk|key|api[-_]?key)[-_])[A-Za-z0-9_*.-]{8,}/gi, '$1[REDACTED]').replace(/[A-Za-z0-9_-]{32,}/g, '[REDACTED]');
}

function endpoints(v: unknown, path: string): HealthEndpoint[] {
  if (!Array.isArray(v)) throw new LitellmApiError('/health', 200, `GET /health answered without the ${path} list LiteLLM reports`);
  return v.map((e) => {
    const o = (e ?? {}) as { model?: unknown; api_base?: unknown; error?: unknown };
    return { model: str(o.model) ?? '(unnamed model)', apiBase: str(o.api_base), error: o.error === undefined || o.error === null ? undefined : scrubProviderError((str(o.error) ?? JSON.stringify(o.error)).slice(0, 2000)) };
  });
}

function health(a: LitellmAnswer): Health {
  const refused = refusedKey(a, 'the model health (/health)');
  if (refused) throw new LitellmApiError('/health', a.status, refused);
  if (a.status !== 200) throw new LitellmApiError('/health', a.status, `GET /health answered HTTP ${a.status} (${litellmErrorText(a)})`);
  const body = a.json as { healthy_endpoints?: unknown; unhealthy_endpoints?: unknown } | undefined;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new LitellmApiError('/health', a.status, `GET /health answered with something other than LiteLLM's health report: ${a.text.slice(0, 120)}`);
  if (Object.keys(body).length === 0) return { kind: 'pending' };
  return { kind: 'report', healthy: endpoints(body.healthy_endpoints, 'healthy_endpoints'), unhealthy: endpoints(body.unhealthy_endpoints, 'unhealthy_endpoints') };
}

async function read<T>(run: () => Promise<T>, onTimeout?: () => string): Promise<Probe<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (e) {
    if (e instanceof LitellmApiError && e.timedOut && onTimeout) return { ok: false, error: onTimeout() };
    return { ok: false, error: e instanceof LitellmApiError ? e.message : describeError(e) };
  }
}

export const litellmCollector: Collector<LitellmSnapshot> = {
  target: 'litellm',
  applies(spec, targets) {
    if (!spec.litellm) return 'The stack has no prodcheck:litellm section.';
    if (!targets.litellm) return 'No litellm entry in the targets file (baseUrl, masterKey).';
    return undefined;
  },
  async collect(ctx: CollectContext): Promise<LitellmSnapshot> {
    const target = ctx.targets.litellm;
    const spec = ctx.spec.litellm;
    if (!target || !spec) throw new Error('the litellm family runs only when applies() found its spec and target');
    ctx.redactor.add(target.masterKey);
    const client = new LitellmClient(target, target.baseUrl ?? spec.url, ctx.signal);
    // Unauthenticated, as a container probe calls it: no answer here means the proxy is not reachable at all.
    const live = await client.get('/health/liveliness', { auth: false });
    const slow = () =>
      `GET ${client.base}/health did not answer within ${target.healthTimeoutMs} ms: LiteLLM calls every model's provider before it answers, so a slow or hanging provider holds it up; raise targets litellm.healthTimeoutMs or turn on background_health_checks in the proxy's general_settings`;
    const [ready, listed, checked] = await Promise.all([
      read(async () => readiness(await client.get('/health/readiness', { auth: true }))),
      read(async () => models(await client.get('/v1/models', { auth: true }))),
      read(async () => health(await client.get('/health', { auth: true, timeoutMs: target.healthTimeoutMs })), slow),
    ]);
    return { base: client.base, liveliness: { status: live.status, body: live.text }, readiness: ready, models: listed, health: checked, healthTimeoutMs: target.healthTimeoutMs };
  },
};
