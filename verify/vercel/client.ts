import { VercelCore } from '@vercel/sdk/core.js';
import { HTTPClient } from '@vercel/sdk/lib/http.js';
import type { RequestOptions } from '@vercel/sdk/lib/sdks.js';
import { ResponseValidationError } from '@vercel/sdk/models/responsevalidationerror.js';
import { SDKValidationError } from '@vercel/sdk/models/sdkvalidationerror.js';
import { VercelError } from '@vercel/sdk/models/vercelerror.js';
import type { Targets } from '../../spec/index.js';
import { boundedFetch, describeError } from '../net.js';

export type VercelTarget = NonNullable<Targets['vercel']>;

/** A Vercel API call that failed, with the status and a message that says which token scope is missing. */
export class VercelApiError extends Error {
  override readonly name = 'VercelApiError';
  constructor(
    readonly what: string,
    readonly status: number | undefined,
    message: string,
  ) {
    super(message);
  }
}

export interface VercelClient {
  readonly core: VercelCore;
  /** teamId or slug query parameters for every call. */
  readonly scope: { readonly teamId?: string; readonly slug?: string };
  readonly options: RequestOptions;
  /** Who the token must be able to act for, for messages. */
  readonly scopeName: string;
}

export function vercelClient(target: VercelTarget, team: string | undefined, signal: AbortSignal): VercelClient {
  const scope = target.teamId !== undefined ? { teamId: target.teamId } : team !== undefined ? { slug: team } : {};
  return {
    // The SDK drops its own timeoutMs once a call passes a signal (ours always does): the fetcher enforces
    // vercel.timeoutMs on every attempt, and bounds every body.
    core: new VercelCore({
      bearerToken: target.token,
      ...(target.baseUrl !== undefined ? { serverURL: target.baseUrl } : {}),
      httpClient: new HTTPClient({ fetcher: boundedFetch('the Vercel API', { timeoutMs: target.timeoutMs }) }),
    }),
    scope,
    scopeName: target.teamId ?? team ?? 'the personal account',
    options: {
      signal,
      // Rate limits and gateway hiccups are worth a bounded retry; 4xx answers are not.
      retries: { strategy: 'backoff', backoff: { initialInterval: 250, maxInterval: 2_000, exponent: 2, maxElapsedTime: 5_000 }, retryConnectionErrors: false },
      retryCodes: ['429', '502', '503', '504'],
    },
  };
}

/** The SDK's Result, unwrapped: the value, or a VercelApiError that says what to fix. */
export async function call<T>(client: VercelClient, what: string, run: Promise<{ ok: true; value: T } | { ok: false; error: unknown }>): Promise<T> {
  const r = await run;
  if (r.ok) return r.value;
  throw toApiError(client, what, r.error);
}

function toApiError(client: VercelClient, what: string, e: unknown): VercelApiError {
  if (e instanceof VercelError) {
    const status = e.statusCode;
    if (status === 401) return new VercelApiError(what, status, `the Vercel API refused the token reading ${what} (HTTP 401): set targets vercel.token to a valid access token`);
    if (status === 403) {
      return new VercelApiError(
        what,
        status,
        `the Vercel token may not read ${what} (HTTP 403): create the token with its scope set to ${client.scopeName}, by a member allowed to view the project`,
      );
    }
    return new VercelApiError(what, status, `the Vercel API answered HTTP ${status} reading ${what}${apiMessage(e.body)}`);
  }
  if (e instanceof SDKValidationError || e instanceof ResponseValidationError) {
    return new VercelApiError(what, undefined, `the Vercel API answered ${what} in a shape @vercel/sdk does not accept (${describeError(e)})`);
  }
  return new VercelApiError(what, undefined, `could not reach the Vercel API reading ${what}: ${describeError(e)}`);
}

function apiMessage(body: string): string {
  try {
    const message = (JSON.parse(body) as { error?: { message?: unknown } }).error?.message;
    return typeof message === 'string' ? ` (${message})` : '';
  } catch {
    return '';
  }
}

export const isNotFound = (e: unknown): boolean => e instanceof VercelApiError && e.status === 404;
