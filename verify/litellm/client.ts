import type { Targets } from '../../spec/index.js';
import { boundedFetch, describeError, errorText, plainErrorText, TimeoutError } from '../net.js';

export type LitellmTarget = NonNullable<Targets['litellm']>;

/** Far above any model list or health report a proxy sends; a flood stops here. */
export const LITELLM_MAX_BODY_BYTES = 4 * 1024 * 1024;

/** A LiteLLM call that did not give an answer to judge: unreachable, too slow, too large, or refused. */
export class LitellmApiError extends Error {
  override readonly name = 'LitellmApiError';
  constructor(
    readonly path: string,
    readonly status: number | undefined,
    message: string,
    /** No answer within the call's timeout. */
    readonly timedOut = false,
  ) {
    super(message);
  }
}

/** What the proxy answered: the HTTP status and the body, parsed when it is JSON. */
export interface LitellmAnswer {
  readonly status: number;
  readonly json: unknown;
  /** The body on one line, shortened, for messages. */
  readonly text: string;
}

/** LiteLLM's error bodies: `{"error": {"message", "type", "code"}}` from the proxy, `{"detail": …}` from FastAPI. */
export function litellmErrorText(a: LitellmAnswer): string {
  const body = a.json as { error?: unknown; detail?: unknown } | null | undefined;
  if (body && typeof body === 'object' && body.error !== undefined) return errorText(body.error);
  if (body && typeof body === 'object' && body.detail !== undefined) return errorText(body.detail);
  return plainErrorText(a.text);
}

/** LiteLLM's proxy API over prodcheck's bounded fetch: every call within its timeout, every body capped. */
export class LitellmClient {
  readonly base: string;
  constructor(
    private readonly target: LitellmTarget,
    baseUrl: string,
    private readonly signal: AbortSignal,
  ) {
    this.base = baseUrl.replace(/\/+$/, '');
  }

  /** GET a path; `auth` sends the master key. Any HTTP status is an answer; no answer at all throws. */
  async get(path: string, opts: { readonly auth: boolean; readonly timeoutMs?: number }): Promise<LitellmAnswer> {
    const timeoutMs = opts.timeoutMs ?? this.target.timeoutMs;
    const fetch = boundedFetch(`LiteLLM's ${path}`, { timeoutMs, maxBytes: LITELLM_MAX_BODY_BYTES });
    let status: number;
    let text: string;
    try {
      const res = await fetch(`${this.base}${path}`, {
        headers: { accept: 'application/json', ...(opts.auth ? { authorization: `Bearer ${this.target.masterKey}` } : {}) },
        redirect: 'manual',
        signal: this.signal,
      });
      status = res.status;
      text = await res.text();
    } catch (e) {
      // undici says only "fetch failed"; the cause says why (refused, reset, no such host).
      const cause = (e as { cause?: unknown }).cause;
      const why = describeError(e) === 'fetch failed' && cause !== undefined ? `fetch failed: ${describeError(cause)}` : describeError(e);
      throw new LitellmApiError(path, undefined, `GET ${this.base}${path} failed: ${why}`, e instanceof TimeoutError);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status, json, text: plainErrorText(text) };
  }
}

/** The message for an answer that refused the master key, or undefined. */
export function refusedKey(a: LitellmAnswer, what: string): string | undefined {
  if (a.status !== 401 && a.status !== 403) return undefined;
  return `LiteLLM refused the master key reading ${what} (HTTP ${a.status}: ${litellmErrorText(a)}): set targets litellm.masterKey to the proxy's LITELLM_MASTER_KEY`;
}
