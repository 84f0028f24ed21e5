import { VercelCore } from '@vercel/sdk/core.js';
import { HTTPClient } from '@vercel/sdk/lib/http.js';
import type { RequestOptions } from '@vercel/sdk/lib/sdks.js';
import { ResponseValidationError } from '@vercel/sdk/models/responsevalidationerror.js';
import { SDKValidationError } from '@vercel/sdk/models/sdkvalidationerror.js';
import { VercelError } from '@vercel/sdk/models/vercelerror.js';
import type { Targets } from '../../spec/index.js';
import { BodyTooLargeError, boundedFetch, describeError, TimeoutError } from '../net.js';

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
  let r: Awaited<typeof run>;
  try {
    r = await run;
  } catch (e) {
    // A body over the cap breaks out of the SDK's Result.
    throw toApiError(client, what, e);
  }
  if (r.ok) return r.value;
  throw toApiError(client, what, r.error);
}

/** prodcheck's own bound (a timeout, a body over the cap) behind an SDK error, if any. */
function boundHit(e: unknown, depth = 0): BodyTooLargeError | TimeoutError | undefined {
  if (e instanceof BodyTooLargeError || e instanceof TimeoutError) return e;
  if (depth > 4 || e === null || typeof e !== 'object') return undefined;
  const cause = (e as { cause?: unknown }).cause;
  return cause === undefined ? undefined : boundHit(cause, depth + 1);
}

function toApiError(client: VercelClient, what: string, e: unknown): VercelApiError {
  const bound = boundHit(e);
  if (bound instanceof BodyTooLargeError) return new VercelApiError(what, undefined, `reading ${what} failed: ${bound.message}`);
  if (bound) return new VercelApiError(what, undefined, `could not reach the Vercel API reading ${what}: ${bound.message}`);
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

/** The longest piece of an error body quoted in a message. */
const MAX_ERROR_TEXT = 300;

/** Vercel's own words in an error body: its error.message, else the error as JSON, else the body's text. */
function apiMessage(body: string): string {
  let text: string;
  try {
    const parsed = JSON.parse(body) as { error?: unknown } | null;
    const error = parsed?.error ?? parsed;
    const message = (error as { message?: unknown } | null)?.message;
    text = typeof message === 'string' ? message : typeof error === 'string' ? error : (JSON.stringify(error) ?? '');
  } catch {
    text = body.replace(/\s+/g, ' ').trim();
  }
  text = text.slice(0, MAX_ERROR_TEXT);
  return text === '' ? '' : ` (${text})`;
}

export const isNotFound = (e: unknown): boolean => e instanceof VercelApiError && e.status === 404;
