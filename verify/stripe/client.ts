import type Stripe from 'stripe';
import { BodyTooLargeError, describeError, TimeoutError, withRetry } from '../net.js';
import { stripeFetch } from './http.js';

/** Bounded retries for what Stripe says is transient: rate limiting and dropped connections. */
export const STRIPE_RETRY = { retries: 2, backoffMs: 250 } as const;

export async function stripeReader(apiKey: string, baseUrl: string | undefined, timeoutMs: number): Promise<Stripe> {
  const { default: StripeSdk } = await import('stripe');
  let target = {};
  if (baseUrl) {
    const u = new URL(baseUrl);
    const protocol = u.protocol === 'http:' ? 'http' : 'https';
    target = { host: u.hostname, port: Number(u.port || (protocol === 'http' ? 80 : 443)), protocol };
  }
  // maxNetworkRetries 0: the retries are ours (readStripe), counted and limited to transient errors.
  // The fetch client bounds every request by timeoutMs and every body by MAX_API_BODY_BYTES (net.ts).
  const httpClient = StripeSdk.createFetchHttpClient(stripeFetch(timeoutMs));
  return new StripeSdk(apiKey, { ...target, httpClient, timeout: timeoutMs, maxNetworkRetries: 0, telemetry: false, appInfo: { name: 'prodcheck-verify' } });
}

const typeOf = (e: unknown): string | undefined => {
  const t = (e as { type?: unknown })?.type;
  return typeof t === 'string' ? t : undefined;
};

export const isStripeAuthError = (e: unknown): boolean => typeOf(e) === 'StripeAuthenticationError';

/** prodcheck's own bound behind a Stripe error (the SDK wraps it in `detail` and `exception`), if any. */
function boundHit(e: unknown, depth = 0): BodyTooLargeError | TimeoutError | undefined {
  if (e instanceof BodyTooLargeError || e instanceof TimeoutError) return e;
  if (depth > 4 || e === null || typeof e !== 'object') return undefined;
  const o = e as { detail?: unknown; exception?: unknown; cause?: unknown; raw?: { exception?: unknown } };
  for (const next of [o.detail, o.exception, o.cause, o.raw?.exception]) {
    const hit = next === undefined ? undefined : boundHit(next, depth + 1);
    if (hit) return hit;
  }
  return undefined;
}

/** Why a connection failed, e.g. " (fetch failed: connect ECONNREFUSED 127.0.0.1:4242)"; empty when the SDK kept nothing. */
function connectionCause(e: unknown): string {
  const detail = (e as { detail?: unknown })?.detail;
  if (!(detail instanceof Error)) return '';
  const inner = (detail as { cause?: unknown; exception?: unknown }).cause ?? (detail as { exception?: unknown }).exception;
  const text = describeError(detail);
  return inner !== undefined && text === 'fetch failed' ? ` (${text}: ${describeError(inner)})` : ` (${text})`;
}

/** A timed-out Stripe request. */
const isTimeout = (e: unknown): boolean => boundHit(e) instanceof TimeoutError || /timeout being reached/.test(String((e as { message?: unknown })?.message));

/**
 * Rate limits and dropped connections are worth another try; a body over the cap and a timeout are not
 * (the same answer would come again, and stripe.timeoutMs is the bound the user set for a read).
 */
const isTransient = (e: unknown): boolean =>
  typeOf(e) === 'StripeRateLimitError' || (typeOf(e) === 'StripeConnectionError' && boundHit(e) === undefined && !isTimeout(e));

/** One GET, retried on rate limits and connection errors; `what` names the read and the restricted-key permission it needs. */
export function readStripe<T>(what: StripeRead, run: () => Promise<T>): Promise<T> {
  return withRetry({ ...STRIPE_RETRY, isTransient }, run).catch((e: unknown) => {
    throw new StripeReadError(what, e);
  });
}

/** A read and the Dashboard permission a restricted key needs for it. */
export interface StripeRead {
  readonly what: string;
  readonly permission: string;
}

/** A failed read, with the fix where there is one (a key to replace, a permission to grant). */
export class StripeReadError extends Error {
  override readonly name = 'StripeReadError';
  readonly type: string | undefined;
  readonly statusCode: number | undefined;
  readonly requestId: string | undefined;
  /** Stripe's own words: status, error class and message. */
  readonly detail: string;

  constructor(
    readonly read: StripeRead,
    cause: unknown,
  ) {
    const err = cause as { message?: unknown; statusCode?: unknown; requestId?: unknown };
    const type = typeOf(cause);
    const status = typeof err?.statusCode === 'number' ? err.statusCode : undefined;
    const bound = boundHit(cause);
    const message = (bound?.message ?? (typeof err?.message === 'string' ? err.message : String(cause))).split('\n')[0] ?? '';
    const requestId = typeof err?.requestId === 'string' ? err.requestId : undefined;
    // A connection error's own words ("An error occurred with our connection to Stripe.") say nothing of why: add the cause.
    const why = type === 'StripeConnectionError' && !bound && !isTimeout(cause) ? connectionCause(cause) : '';
    const found = `${[status, type].filter((x) => x !== undefined).join(' ')}${status !== undefined || type ? ': ' : ''}${message}${why}`;
    let text: string;
    if (type === 'StripeAuthenticationError') {
      text = `Stripe rejected the API key reading ${read.what} (${found}): set targets stripe.apiKey to a live secret key or a restricted key with read access`;
    } else if (type === 'StripePermissionError') {
      const rak = /'(rak_[a-z_]+)'/.exec(message)?.[1];
      text = `Stripe refused the restricted key read access to ${read.what} (${found}): grant it "${read.permission}: Read" in the Dashboard (Developers → API keys)${rak ? `, which Stripe names ${rak}` : ''}`;
    } else if (bound) {
      text = `reading ${read.what} failed (${bound.message})`;
    } else if (isTransient(cause)) {
      text = `reading ${read.what} failed ${STRIPE_RETRY.retries + 1} times (${found})`;
    } else {
      text = `reading ${read.what} failed (${found}${requestId ? `, request ${requestId}` : ''})`;
    }
    super(text);
    this.detail = found;
    this.type = type;
    this.statusCode = status;
    this.requestId = requestId;
  }
}
