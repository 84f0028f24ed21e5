import type { Targets } from '../../spec/index.js';
import { ApiError, boundedFetch, describeError, errorText } from '../net.js';

export type ChecklyTarget = NonNullable<Targets['checkly']>;

/** A Checkly API call that failed: the status, Checkly's own message, and what to do. Never the key. */
export class ChecklyApiError extends ApiError {
  override readonly name = 'ChecklyApiError';
}

/** Pages of checks read at most (100 each): more is an error, never a partial answer. */
const MAX_PAGES = 5;
const PAGE = 100;
/** The most of a status page read to learn its status: a page, not a download. */
const STATUS_PAGE_MAX_BYTES = 2 * 1024 * 1024;

/** Checkly's public API (/v1) over prodcheck's bounded fetch: checkly.timeoutMs per call, every body capped. */
export class ChecklyClient {
  private readonly fetch: typeof fetch;
  private readonly pageFetch: typeof fetch;
  private readonly base: string;

  constructor(
    private readonly target: ChecklyTarget,
    private readonly signal: AbortSignal,
  ) {
    this.fetch = boundedFetch('the Checkly API', { timeoutMs: target.timeoutMs });
    this.pageFetch = boundedFetch('the status page', { timeoutMs: target.timeoutMs, maxBytes: STATUS_PAGE_MAX_BYTES });
    this.base = (target.baseUrl ?? 'https://api.checklyhq.com').replace(/\/+$/, '');
  }

  /** GET one object; null for a 404. */
  async get<T>(path: string, what: string): Promise<T | null> {
    return (await this.request(path, what, true)) as T | null;
  }

  /** GET a listing paged with limit/page (Checkly answers a bare array; a short page is the last). */
  async list<T>(path: string, what: string): Promise<T[]> {
    const out: T[] = [];
    for (let page = 1; ; page++) {
      if (page > MAX_PAGES) throw new ChecklyApiError(undefined, `${what} run past ${MAX_PAGES * PAGE} entries: prodcheck reads no further, so it cannot judge them all`);
      const body = await this.request(`${path}${path.includes('?') ? '&' : '?'}limit=${PAGE}&page=${page}`, what, false);
      if (!Array.isArray(body)) throw new ChecklyApiError(undefined, `the Checkly API answered ${what} with something other than a list`);
      out.push(...(body as T[]));
      if (body.length < PAGE) return out;
    }
  }

  /** The HTTP status a public page answers a plain GET with (redirects followed), its body read within the cap. */
  async pageStatus(url: string): Promise<number> {
    const res = await this.pageFetch(url, { redirect: 'follow', headers: { accept: 'text/html' }, signal: this.signal });
    await res.arrayBuffer();
    return res.status;
  }

  private async request(path: string, what: string, notFoundIsNull: boolean): Promise<unknown> {
    let res: Response;
    let text: string;
    try {
      res = await this.fetch(`${this.base}${path}`, {
        headers: { authorization: `Bearer ${this.target.apiKey}`, 'x-checkly-account': this.target.accountId, accept: 'application/json' },
        signal: this.signal,
      });
      text = await res.text();
    } catch (e) {
      throw new ChecklyApiError(undefined, `could not reach the Checkly API reading ${what}: ${describeError(e)}`);
    }
    if (res.status === 404 && notFoundIsNull) return null;
    if (!res.ok) throw new ChecklyApiError(res.status, statusMessage(res.status, what, messageOf(text)));
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new ChecklyApiError(res.status, `the Checkly API answered ${what} with a body that is not JSON`);
    }
  }
}

/** Checkly's errors are `{statusCode, error, message}`. */
function messageOf(text: string): string | undefined {
  try {
    const m = (JSON.parse(text) as { message?: unknown }).message;
    return m === undefined ? undefined : errorText(m);
  } catch {
    return undefined;
  }
}

function statusMessage(status: number, what: string, detail: string | undefined): string {
  const said = detail ? `: ${detail}` : '';
  if (status === 401) return `the Checkly API refused the API key reading ${what} (HTTP 401${said}): set targets checkly.apiKey to a valid user API key`;
  if (status === 403) return `the Checkly API key may not read ${what} in this account (HTTP 403${said}): check targets checkly.accountId and the key's role`;
  if (status === 429) return `the Checkly API rate-limited prodcheck reading ${what} (HTTP 429): run again later`;
  return `the Checkly API answered HTTP ${status}${said} reading ${what}`;
}
