import type { Requester, UpstashRequest, UpstashResponse } from '@upstash/redis';
import { boundedFetch, errorText, MAX_API_BODY_BYTES, plainErrorText } from '../net.js';

/** Raised for an Upstash REST answer that is not a result: the HTTP status and Upstash's own error text. */
export class UpstashRestError extends Error {
  override readonly name = 'UpstashRestError';
  constructor(
    readonly status: number,
    readonly text: string,
  ) {
    // Upstash's text first (e.g. NOPERM ..., WRONGPASS ...), so that its error class leads the message.
    super(`${text} (HTTP ${status})`);
  }
}

function bodyText(raw: string): string {
  try {
    const parsed = JSON.parse(raw) as unknown;
    const error = (parsed as { error?: unknown } | null)?.error;
    if (error !== undefined && error !== null) return errorText(error);
  } catch {
    // Not JSON (a proxy's HTML page, plain text): quoted as it came.
  }
  return plainErrorText(raw);
}

/**
 * The Upstash REST protocol for @upstash/redis, over boundedFetch: every request bounded by `timeoutMs` and
 * its answer by MAX_API_BODY_BYTES, every failure an UpstashRestError with the status and Upstash's text.
 * Replies are raw (no Upstash-Encoding), as the client's automaticDeserialization: false expects.
 */
export function upstashRequester(url: string, token: string, timeoutMs: number, signal: AbortSignal, maxBytes = MAX_API_BODY_BYTES): Requester {
  const base = url.replace(/\/$/, '');
  const fetcher = boundedFetch('the Upstash REST API', { timeoutMs, maxBytes });
  return {
    readYourWrites: false,
    async request<TResult>(req: UpstashRequest): Promise<UpstashResponse<TResult>> {
      const res = await fetcher([base, ...(req.path ?? [])].join('/'), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(req.body),
        signal,
      });
      const raw = await res.text();
      if (!res.ok) throw new UpstashRestError(res.status, bodyText(raw));
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        throw new UpstashRestError(res.status, `an answer that is not JSON: ${bodyText(raw)}`);
      }
      const one = (entry: unknown) => {
        const e = entry as { result?: unknown; error?: unknown } | null;
        return e?.error === undefined || e.error === null ? { result: e?.result } : { result: e.result, error: errorText(e.error) };
      };
      return (Array.isArray(body) ? body.map(one) : one(body)) as UpstashResponse<TResult>;
    },
  };
}
