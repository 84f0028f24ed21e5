import type { z } from 'zod';
import type { Targets } from '../../spec/index.js';
import { ApiError, boundedFetch, describeError, errorText, plainErrorText } from '../net.js';

export type SupabaseTarget = NonNullable<Targets['supabase']>;

/** A Management API call that failed: the status, Supabase's own message, and what to do. Never the token. */
export class SupabaseApiError extends ApiError {
  override readonly name = 'SupabaseApiError';
}

/** Every settings object the family reads is a few kilobytes; a megabyte is already a broken or hostile answer. */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The Supabase Management API (https://api.supabase.com/v1) over prodcheck's bounded fetch: supabase.timeoutMs
 * per call, every body capped, every answer checked against the shape the family relies on. GETs only.
 *
 * Not supabase-management-js at run time: it calls the global fetch and reads whole bodies, so neither a
 * per-call budget nor a body cap can be put on it. Its generated wire types (from Supabase's OpenAPI
 * description) type the fake in test/fixtures/supabase-api instead.
 */
export class SupabaseClient {
  private readonly fetch: typeof fetch;
  private readonly base: string;

  constructor(
    private readonly target: SupabaseTarget,
    private readonly signal: AbortSignal,
  ) {
    this.fetch = boundedFetch('the Supabase Management API', { timeoutMs: target.timeoutMs, maxBytes: MAX_BODY_BYTES });
    this.base = (target.baseUrl ?? 'https://api.supabase.com').replace(/\/+$/, '');
  }

  /** GET /v1/projects/{ref}<path>, parsed with `shape`; null for a 404 when `notFoundIsNull`. */
  async get<S extends z.ZodType>(path: string, shape: S, what: string, notFoundIsNull = false): Promise<z.output<S> | null> {
    const url = `${this.base}/v1/projects/${encodeURIComponent(this.target.projectRef)}${path}`;
    let res: Response;
    let text: string;
    try {
      res = await this.fetch(url, { headers: { authorization: `Bearer ${this.target.accessToken}`, accept: 'application/json' }, signal: this.signal });
      text = await res.text();
    } catch (e) {
      throw new SupabaseApiError(undefined, `could not reach the Supabase Management API reading ${what}: ${describeError(e)}`);
    }
    if (res.status === 404 && notFoundIsNull) return null;
    if (!res.ok) throw new SupabaseApiError(res.status, statusMessage(res.status, what, this.target.projectRef, messageOf(text)));
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new SupabaseApiError(res.status, `the Supabase Management API answered ${what} with a body that is not JSON (${plainErrorText(text).slice(0, 80)})`);
    }
    const parsed = shape.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
      throw new SupabaseApiError(res.status, `the Supabase Management API answered ${what} in an unexpected shape${where} (${issue?.message ?? 'invalid'})`);
    }
    return parsed.data as z.output<S>;
  }
}

function messageOf(text: string): string | undefined {
  try {
    const m = (JSON.parse(text) as { message?: unknown }).message;
    return typeof m === 'string' ? errorText(m) : undefined;
  } catch {
    return undefined;
  }
}

function statusMessage(status: number, what: string, ref: string, detail: string | undefined): string {
  const said = detail ? `: ${detail}` : '';
  if (status === 401) return `the Supabase Management API refused the token reading ${what} (HTTP 401${said}): set targets supabase.accessToken to a valid access token`;
  if (status === 403) return `the Supabase access token may not read ${what} of project ${ref} (HTTP 403${said}): use a token of a member of the project's organization`;
  if (status === 404) return `the Supabase Management API knows no ${what} for project ${ref} (HTTP 404${said}): check targets supabase.projectRef`;
  if (status === 429) return `the Supabase Management API rate-limited the token reading ${what} (HTTP 429${said}): try again later`;
  return `the Supabase Management API answered HTTP ${status}${said} reading ${what}`;
}
