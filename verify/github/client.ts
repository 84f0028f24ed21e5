import type { Octokit } from '@octokit/rest';
import type { Targets } from '../../spec/index.js';
import { boundedFetch, describeError, errorText } from '../net.js';

export type GithubTarget = NonNullable<Targets['github']>;

/** A GitHub API call that failed: the status, GitHub's own message, and what to do about it. */
export class GithubApiError extends Error {
  override readonly name = 'GithubApiError';
  constructor(
    readonly status: number | undefined,
    readonly apiMessage: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Octokit on prodcheck's bounded fetch: github.timeoutMs on every call, every body capped, no retries.
 * Loaded only by a run with a github target, like the other vendors' SDKs.
 */
export async function githubClient(target: GithubTarget, signal: AbortSignal): Promise<Octokit> {
  const { Octokit } = await import('@octokit/rest');
  return new Octokit({
    auth: target.token,
    baseUrl: target.baseUrl ?? 'https://api.github.com',
    userAgent: 'prodcheck',
    request: { fetch: buffered(boundedFetch('the GitHub API', { timeoutMs: target.timeoutMs })), signal },
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
  });
}

/**
 * Reads each body whole (bounded) before Octokit sees it: Octokit swallows a body that fails mid-read and
 * hands back "", so a capped or timed-out body must fail the fetch itself, where it is reported.
 */
function buffered(base: typeof fetch): typeof fetch {
  return async (input, init) => {
    const res = await base(input, init);
    const body = await res.arrayBuffer();
    return new Response(res.status === 204 || res.status === 205 || res.status === 304 ? null : body, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}

/** Octokit's RequestError, recognised without importing a package prodcheck does not depend on directly. */
interface RequestErrorLike {
  readonly name: 'HttpError';
  readonly status: number;
  readonly response?: { readonly data?: unknown };
  readonly cause?: unknown;
}
const isRequestError = (e: unknown): e is RequestErrorLike => e instanceof Error && e.name === 'HttpError' && typeof (e as { status?: unknown }).status === 'number';

/** Runs one call; a failure becomes a GithubApiError naming what was read and which permission it needs. */
export async function read<T>(what: string, permission: string, run: () => Promise<{ data: T }>): Promise<T> {
  try {
    return (await run()).data;
  } catch (e) {
    throw toApiError(what, permission, e);
  }
}

function toApiError(what: string, permission: string, e: unknown): GithubApiError {
  // No answer at all (refused, timed out, body over the cap): Octokit reports it as a 500 without a response.
  if (isRequestError(e) && e.response === undefined) return new GithubApiError(undefined, undefined, `could not reach the GitHub API reading ${what}: ${describeError(e.cause ?? e)}`);
  if (isRequestError(e)) {
    const given = (e.response?.data as { message?: unknown } | undefined)?.message;
    const apiMessage = typeof given === 'string' ? errorText(given) : undefined;
    const said = apiMessage ? ` (${apiMessage})` : '';
    if (e.status === 401) return new GithubApiError(401, apiMessage, `the GitHub API refused the token reading ${what} (HTTP 401${apiMessage ? `: ${apiMessage}` : ''}): set targets github.token to a valid token`);
    if (e.status === 403 || e.status === 404) {
      return new GithubApiError(
        e.status,
        apiMessage,
        `the GitHub API answered HTTP ${e.status}${said} reading ${what}: check the repository name, and that the token may read it (${permission})`,
      );
    }
    return new GithubApiError(e.status, apiMessage, `the GitHub API answered HTTP ${e.status}${said} reading ${what}`);
  }
  return new GithubApiError(undefined, undefined, `could not reach the GitHub API reading ${what}: ${describeError(e)}`);
}
