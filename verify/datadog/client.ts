import type { Targets } from '../../spec/index.js';
import { ApiError, boundedFetch, describeError, errorText } from '../net.js';

export type DatadogTarget = NonNullable<Targets['datadog']>;

/** A Datadog API call that failed: the status, Datadog's own `errors`, and what to do. Never a key. */
export class DatadogApiError extends ApiError {
  override readonly name = 'DatadogApiError';
}

/** Which key a call needs: /api/v1/validate takes the API key alone, everything read takes both. */
type Keys = 'api' | 'both';

/** Datadog's REST API over prodcheck's bounded fetch: datadog.timeoutMs per call, every body capped. */
export class DatadogClient {
  private readonly fetch: typeof fetch;

  constructor(
    private readonly target: DatadogTarget,
    /** The API root, https://api.<site> or the targets' baseUrl. */
    readonly base: string,
    /** Which site the keys must belong to, for messages. */
    private readonly site: string,
    private readonly signal: AbortSignal,
  ) {
    this.fetch = boundedFetch('the Datadog API', { timeoutMs: target.timeoutMs });
  }

  /** GET a JSON body (null when the API answers `null`). */
  async get<T>(path: string, what: string, opts: { readonly keys?: Keys; readonly scope?: string } = {}): Promise<T | null> {
    const keys = opts.keys ?? 'both';
    const headers: Record<string, string> = { accept: 'application/json', 'dd-api-key': this.target.apiKey };
    if (keys === 'both') headers['dd-application-key'] = this.target.applicationKey;
    let res: Response;
    let text: string;
    try {
      res = await this.fetch(`${this.base.replace(/\/+$/, '')}${path}`, { headers, signal: this.signal });
      text = await res.text();
    } catch (e) {
      throw new DatadogApiError(undefined, `could not reach the Datadog API at ${this.base} reading ${what}: ${describeError(e)}`);
    }
    if (!res.ok) throw new DatadogApiError(res.status, this.statusMessage(res.status, what, keys, opts.scope, errorsOf(text)));
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new DatadogApiError(res.status, `the Datadog API answered ${what} with a body that is not JSON`);
    }
  }

  private statusMessage(status: number, what: string, keys: Keys, scope: string | undefined, detail: string | undefined): string {
    const said = detail ? `: ${detail}` : '';
    if (status === 403 && keys === 'api') return `the Datadog API refused the API key (HTTP 403${said}): set targets datadog.apiKey to an API key of the organization on ${this.site} (Organization Settings > API Keys)`;
    if (status === 403 || status === 401) {
      const needs = scope ? ` with the ${scope} scope` : '';
      return `the Datadog API refused the keys reading ${what} (HTTP ${status}${said}): set targets datadog.applicationKey to an application key of the organization on ${this.site}${needs}`;
    }
    if (status === 429) return `the Datadog API rate-limited prodcheck reading ${what} (HTTP 429): run again later`;
    return `the Datadog API answered HTTP ${status}${said} reading ${what}`;
  }
}

/** Datadog's errors are `{"errors": ["…", …]}`. */
function errorsOf(text: string): string | undefined {
  try {
    const errors = (JSON.parse(text) as { errors?: unknown }).errors;
    if (!Array.isArray(errors) || errors.length === 0) return undefined;
    return errorText(errors.map((e) => errorText(e)).join('; '));
  } catch {
    return undefined;
  }
}
