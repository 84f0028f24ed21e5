import type { Targets } from '../../spec/index.js';
import { ApiError, boundedFetch, describeError, errorText } from '../net.js';

export type SentryTarget = NonNullable<Targets['sentry']>;

/** A Sentry API call that failed: the status, Sentry's own message, and what to do. */
export class SentryApiError extends ApiError {
  override readonly name = 'SentryApiError';
}

/** Pages read at most per listing (100 items each): more is an error, never a partial answer. */
const MAX_PAGES = 5;

/** Sentry's REST API (/api/0) over prodcheck's bounded fetch: sentry.timeoutMs per call, every body capped. */
export class SentryClient {
  private readonly fetch: typeof fetch;
  private readonly base: string;

  constructor(
    private readonly target: SentryTarget,
    private readonly signal: AbortSignal,
  ) {
    this.fetch = boundedFetch('the Sentry API', { timeoutMs: target.timeoutMs });
    this.base = (target.baseUrl ?? 'https://sentry.io').replace(/\/+$/, '');
  }

  /** GET one object; null for a 404. */
  async get<T>(path: string, what: string, scope: string): Promise<T | null> {
    const r = await this.request(`${this.base}/api/0${path}`, what, scope, true);
    return r === null ? null : (r.body as T);
  }

  /** GET a listing, following Sentry's cursor Link header. */
  async list<T>(path: string, what: string, scope: string): Promise<T[]> {
    const out: T[] = [];
    let url: string | undefined = `${this.base}/api/0${path}${path.includes('?') ? '&' : '?'}per_page=100`;
    for (let page = 0; url !== undefined; page++) {
      if (page === MAX_PAGES) throw new SentryApiError(undefined, `${what} run past ${MAX_PAGES * 100} entries: prodcheck reads no further, so it cannot judge them all`);
      const r = await this.request(url, what, scope, false);
      if (r === null || !Array.isArray(r.body)) throw new SentryApiError(undefined, `the Sentry API answered ${what} with something other than a list`);
      out.push(...(r.body as T[]));
      url = nextPage(r.link);
    }
    return out;
  }

  private async request(url: string, what: string, scope: string, notFoundIsNull: boolean): Promise<{ body: unknown; link: string | null } | null> {
    let res: Response;
    let text: string;
    try {
      res = await this.fetch(url, { headers: { authorization: `Bearer ${this.target.token}`, accept: 'application/json' }, signal: this.signal });
      text = await res.text();
    } catch (e) {
      throw new SentryApiError(undefined, `could not reach the Sentry API reading ${what}: ${describeError(e)}`);
    }
    if (res.status === 404 && notFoundIsNull) return null;
    if (!res.ok) throw new SentryApiError(res.status, statusMessage(res.status, what, scope, detailOf(text)));
    try {
      return { body: JSON.parse(text) as unknown, link: res.headers.get('link') };
    } catch {
      throw new SentryApiError(res.status, `the Sentry API answered ${what} with a body that is not JSON`);
    }
  }
}

function detailOf(text: string): string | undefined {
  try {
    const d = (JSON.parse(text) as { detail?: unknown }).detail;
    return typeof d === 'string' ? errorText(d) : undefined;
  } catch {
    return undefined;
  }
}

function statusMessage(status: number, what: string, scope: string, detail: string | undefined): string {
  const said = detail ? `: ${detail}` : '';
  if (status === 401) return `the Sentry API refused the token reading ${what} (HTTP 401${said}): set targets sentry.token to a valid auth token`;
  if (status === 403) return `the Sentry token may not read ${what} (HTTP 403${said}): give it the ${scope} scope`;
  return `the Sentry API answered HTTP ${status}${said} reading ${what}`;
}

/** Sentry pages with `Link: <url>; rel="next"; results="true"; cursor="…"`; results="false" ends it. */
function nextPage(link: string | null): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="next"\s*;\s*results="(true|false)"/.exec(part);
    if (m) return m[2] === 'true' ? m[1] : undefined;
  }
  return undefined;
}
