import type { Domain, GetDomainResponseSuccess, ListDomainsResponseSuccess } from 'resend';
import type { Targets } from '../../spec/index.js';
import { ApiError, boundedFetch, describeError, errorText, plainErrorText } from '../net.js';

export type ResendTarget = NonNullable<Targets['resend']>;

/** Why Resend refused the key: it is not a key at all, or it may only send. */
export type KeyRefusal = 'invalid' | 'restricted';

/** A Resend API call that failed: the HTTP status, Resend's error name, and a sentence saying what to do. */
export class ResendApiError extends ApiError {
  override readonly name = 'ResendApiError';
  constructor(
    status: number | undefined,
    message: string,
    /** Set when the answer judges the key itself (401/403). */
    readonly refusal?: KeyRefusal,
  ) {
    super(status, message);
  }
}

/** Pages read at most (100 domains each): more is an error, never a partial answer. */
const MAX_PAGES = 5;

/**
 * Resend's REST API over prodcheck's bounded fetch. The official `resend` SDK calls the global fetch with
 * no timeout and no body cap and turns every network failure into one generic message; its types describe
 * the wire format, which this client reads (and which the local fake is tested against through the SDK).
 */
export class ResendClient {
  private readonly fetch: typeof fetch;
  private readonly base: string;

  constructor(
    private readonly target: ResendTarget,
    private readonly signal: AbortSignal,
  ) {
    this.fetch = boundedFetch('the Resend API', { timeoutMs: target.timeoutMs });
    this.base = (target.baseUrl ?? 'https://api.resend.com').replace(/\/+$/, '');
  }

  /** GET /domains, every page (`has_more`, `after` cursor). */
  async listDomains(): Promise<Domain[]> {
    const out: Domain[] = [];
    let after: string | undefined;
    for (let page = 0; ; page++) {
      if (page === MAX_PAGES) throw new ResendApiError(undefined, `the domain list runs past ${MAX_PAGES * 100} entries: prodcheck reads no further, so it cannot judge them all`);
      const query = new URLSearchParams({ limit: '100', ...(after !== undefined ? { after } : {}) });
      const body = (await this.request(`/domains?${query.toString()}`, 'the domain list')) as Partial<ListDomainsResponseSuccess> | null;
      if (body === null || !Array.isArray(body.data)) throw new ResendApiError(undefined, 'the Resend API answered the domain list with something other than a list');
      out.push(...body.data);
      const last = body.data.at(-1);
      if (body.has_more !== true || last === undefined) return out;
      after = last.id;
    }
  }

  /** GET /domains/{id}: the domain with its DNS records; null for a 404. */
  async getDomain(id: string, name: string): Promise<GetDomainResponseSuccess | null> {
    return (await this.request(`/domains/${encodeURIComponent(id)}`, `the domain ${name}`, true)) as GetDomainResponseSuccess | null;
  }

  private async request(path: string, what: string, notFoundIsNull = false): Promise<unknown> {
    let res: Response;
    let text: string;
    try {
      res = await this.fetch(`${this.base}${path}`, { headers: { authorization: `Bearer ${this.target.apiKey}`, accept: 'application/json' }, signal: this.signal });
      text = await res.text();
    } catch (e) {
      throw new ResendApiError(undefined, `could not reach the Resend API reading ${what}: ${describeError(e)}`);
    }
    if (res.status === 404 && notFoundIsNull) return null;
    if (!res.ok) throw refusalOf(res.status, what, text);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new ResendApiError(res.status, `the Resend API answered ${what} with a body that is not JSON`);
    }
  }
}

/** Resend errors are `{ statusCode, name, message }`; the name tells a bad key from a sending-only one. */
function refusalOf(status: number, what: string, text: string): ResendApiError {
  let name: string | undefined;
  let message: string;
  try {
    const body = JSON.parse(text) as { name?: unknown; message?: unknown };
    name = typeof body.name === 'string' ? body.name : undefined;
    message = body.message !== undefined ? errorText(body.message) : plainErrorText(text);
  } catch {
    message = plainErrorText(text);
  }
  if (name === 'restricted_api_key') return new ResendApiError(status, `the Resend API key may only send email (HTTP ${status} restricted_api_key): it cannot read ${what}`, 'restricted');
  if (status === 401 || status === 403) return new ResendApiError(status, `the Resend API refused the key reading ${what} (HTTP ${status}${name ? ` ${name}` : ''}: ${message})`, 'invalid');
  return new ResendApiError(status, `the Resend API answered HTTP ${status}${name ? ` ${name}` : ''} reading ${what}: ${message}`);
}
