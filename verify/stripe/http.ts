import { boundedFetch, errorText, MAX_API_BODY_BYTES, plainErrorText } from '../net.js';

/**
 * A non-2xx answer in Stripe's error shape, so that the SDK keeps its status: Stripe's own
 * `{"error": {"type", "message"}}` passes unchanged; a proxy's HTML page, plain text, an empty body or an
 * `error` that is not an object becomes `{"error": {"type": "api_error", "message": <its text>}}`.
 */
export function stripeErrorBody(raw: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return JSON.stringify({ error: { type: 'api_error', message: plainErrorText(raw) } });
  }
  const error = (parsed as { error?: unknown } | null)?.error;
  if (error !== null && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string') return raw;
  if (typeof error === 'string') return raw; // OAuth's {"error": "invalid_grant", "error_description": …}
  return JSON.stringify({ error: { type: 'api_error', message: errorText(error ?? parsed) } });
}

/**
 * The fetch the Stripe SDK uses: stripe.timeoutMs on every request (answer and body), bodies capped at
 * MAX_API_BODY_BYTES, and failures kept in Stripe's error shape with their status.
 */
export function stripeFetch(timeoutMs: number, maxBytes = MAX_API_BODY_BYTES): typeof fetch {
  const bounded = boundedFetch('the Stripe API', { timeoutMs, maxBytes });
  return async (input, init) => {
    const res = await bounded(input, init);
    if (res.ok) return res;
    const headers = new Headers(res.headers);
    headers.delete('content-length');
    headers.set('content-type', 'application/json');
    return new Response(stripeErrorBody(await res.text()), { status: res.status, statusText: res.statusText, headers });
  };
}
