/** How a provider reaches the Supabase Management API: the access token (a secret input) and, for tests and the sandbox, another base URL. */
export interface SupabaseConnection {
  readonly accessToken: string;
  /** e.g. http://127.0.0.1:4321 for the local Management API; https://api.supabase.com when omitted. */
  readonly baseUrl?: string | undefined;
}

/**
 * A Management API call that failed: method, path, status and Supabase's message; never the token. A plain
 * Error with the status attached, not a subclass: Pulumi's closure serialization rewrites a class
 * `super(message)` into a call that leaves `message` unset, and the engine reports `e.message`.
 */
function managementError(status: number | undefined, message: string): Error & { readonly status: number | undefined } {
  return Object.assign(new Error(message), { status });
}

const TIMEOUT_MS = 30_000;
/** Settings bodies are a few kilobytes; more is a broken answer. */
const MAX_BODY_BYTES = 1024 * 1024;

async function boundedText(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let seen = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    seen += value.byteLength;
    if (seen > MAX_BODY_BYTES) {
      await reader.cancel();
      throw new Error(`answered with a body larger than ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * One call to /v1/projects/{ref}<path> with the global fetch (nothing captured: a dynamic provider is
 * serialized into the state), bounded in time and body size. Returns the parsed JSON body.
 */
export async function managementCall(conn: SupabaseConnection, ref: string, method: 'GET' | 'POST' | 'PUT' | 'PATCH', path: string, body?: unknown): Promise<unknown> {
  const base = (conn.baseUrl ?? 'https://api.supabase.com').replace(/\/+$/, '');
  const where = `${method} /v1/projects/${ref}${path}`;
  let res: Response;
  let text: string;
  try {
    res = await fetch(`${base}/v1/projects/${encodeURIComponent(ref)}${path}`, {
      method,
      headers: { authorization: `Bearer ${conn.accessToken}`, accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    text = await boundedText(res);
  } catch (e) {
    throw managementError(undefined, `the Supabase Management API did not answer ${where}: ${(e as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!res.ok) {
    const m = (parsed as { message?: unknown } | undefined)?.message;
    const said = typeof m === 'string' ? `: ${m.slice(0, 200)}` : '';
    const fix = res.status === 401 ? ' (set supabase:accessToken to a valid Management API token)' : res.status === 403 ? " (the token's user must be an owner or admin of the project's organization)" : '';
    throw managementError(res.status, `the Supabase Management API answered ${where} with HTTP ${res.status}${said}${fix}`);
  }
  return parsed;
}
