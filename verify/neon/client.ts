import type { Api } from '@neondatabase/api-client';
import type { Targets } from '../../spec/index.js';
import { ApiError, boundedFetch, describeError, errorText } from '../net.js';

export type NeonTarget = NonNullable<Targets['neon']>;

/** The Neon API's root when the targets file names none. */
export const NEON_API = 'https://console.neon.tech/api/v2';

/** A Neon API call that failed: the status, Neon's own message and request id, and what to do. Never the key. */
export class NeonApiError extends ApiError {
  override readonly name = 'NeonApiError';
}

/**
 * Neon's official client (@neondatabase/api-client, axios underneath) on prodcheck's bounded fetch: every
 * call ends within neon.timeoutMs, every body is capped as it streams, and redirects are not followed
 * (the API key would travel with them).
 */
export async function neonClient(target: NeonTarget): Promise<Api<unknown>> {
  // Loaded by a run that reads Neon only: axios and the generated client are most of the family's weight.
  const { createApiClient } = await import('@neondatabase/api-client');
  return createApiClient({
    apiKey: target.apiKey,
    baseURL: (target.baseUrl ?? NEON_API).replace(/\/+$/, ''),
    adapter: 'fetch',
    env: { fetch: boundedFetch('the Neon API', { timeoutMs: target.timeoutMs }) },
    fetchOptions: { redirect: 'error' },
    maxRedirects: 0,
    headers: { accept: 'application/json' },
  });
}

/** Runs one Neon API call, turning whatever goes wrong into a NeonApiError that says what was read and what to do. */
export async function neonCall<T>(what: string, run: () => Promise<{ data: T }>): Promise<T> {
  let res: { data: T };
  try {
    res = await run();
  } catch (e) {
    throw explain(what, e);
  }
  if (typeof res.data !== 'object' || res.data === null) throw new NeonApiError(undefined, `the Neon API answered ${what} with a body that is not a JSON object`);
  return res.data;
}

/** An axios error reduced to its status and Neon's {code, message, request_id}; the request (with its key) is dropped. */
function explain(what: string, e: unknown): NeonApiError {
  const err = e as { response?: { status?: number; data?: unknown }; code?: string; message?: string; cause?: unknown };
  const status = err.response?.status;
  if (status === undefined) return new NeonApiError(undefined, `could not reach the Neon API reading ${what}: ${describeError(err.cause ?? e)}`);
  const body = err.response?.data as { message?: unknown; code?: unknown; request_id?: unknown } | string | undefined;
  const said = typeof body === 'object' && body !== null && typeof body.message === 'string' ? `: ${errorText(body.message)}` : '';
  const rid = typeof body === 'object' && body !== null && typeof body.request_id === 'string' ? `, request id ${body.request_id.slice(0, 80)}` : '';
  if (status === 401) return new NeonApiError(status, `the Neon API refused the key reading ${what} (HTTP 401${said}${rid}): set targets neon.apiKey to a valid Neon API key`);
  if (status === 403) return new NeonApiError(status, `the Neon API key may not read ${what} (HTTP 403${said}${rid}): use a key of the project's owner or organization`);
  return new NeonApiError(status, `the Neon API answered HTTP ${status}${said}${rid} for ${what}`);
}
