/** Raised when a call takes longer than its budget. */
export class TimeoutError extends Error {
  constructor(readonly what: string, readonly ms: number) {
    super(`${what} did not answer within ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

/** Every network call has a timeout (DESIGN.md "Bounded"). */
export async function withTimeout<T>(what: string, ms: number, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // Reject before aborting, so the race settles with the timeout and not the aborted call's own error.
      reject(new TimeoutError(what, ms));
      controller.abort();
    }, ms);
  });
  try {
    return await Promise.race([run(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface RetryPolicy {
  readonly retries: number;
  readonly backoffMs: number;
  readonly isTransient: (e: unknown) => boolean;
}

const TRANSIENT_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ECONNABORTED', 'UND_ERR_SOCKET']);

/** Network hiccups worth one more try; refused connections and bad credentials are not. */
export function isTransientNetworkError(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  return e instanceof TimeoutError || (typeof code === 'string' && TRANSIENT_CODES.has(code));
}

/** Retries are explicit: a count, exponential backoff, and only for transient errors. */
export async function withRetry<T>(policy: RetryPolicy, run: (attempt: number) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await run(attempt);
    } catch (e) {
      if (attempt >= policy.retries || !policy.isTransient(e)) throw e;
      await new Promise((r) => setTimeout(r, policy.backoffMs * 2 ** attempt));
    }
  }
}

/** A vendor API call that failed: the HTTP status (undefined when nothing answered) and a message saying what to do. */
export class ApiError extends Error {
  constructor(
    readonly status: number | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** A one-line description of an error for a result message: code and message, no stack. */
export function describeError(e: unknown): string {
  if (e instanceof AggregateError && e.errors.length > 0) return describeError(e.errors[0]);
  const err = e as { code?: unknown; message?: unknown };
  const message = typeof err?.message === 'string' && err.message ? err.message : String(e);
  const code = typeof err?.code === 'string' && !message.includes(err.code) ? ` (${err.code})` : '';
  return `${message.split('\n')[0]}${code}`;
}

/** The largest API response body prodcheck reads from any vendor: far above any page it asks for. */
export const MAX_API_BODY_BYTES = 16 * 1024 * 1024;

/** Raised when a response body outgrows its bound; the connection is dropped, nothing more is buffered. */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
  constructor(what: string, maxBytes: number) {
    super(`${what} answered with a body larger than ${maxBytes} bytes: prodcheck reads no further`);
  }
}

/**
 * A fetch for vendor SDKs: every request bounded in time (its own timeout, whatever signal the SDK passes)
 * and its response body bounded in size, counted as it streams (a lying or absent Content-Length included).
 */
export function boundedFetch(what: string, opts: { readonly timeoutMs: number; readonly maxBytes?: number }, base: typeof fetch = fetch): typeof fetch {
  const maxBytes = opts.maxBytes ?? MAX_API_BODY_BYTES;
  return async (input, init) => {
    const timeout = AbortSignal.timeout(opts.timeoutMs);
    const given = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    const signal = given ? AbortSignal.any([given, timeout]) : timeout;
    let res: Response;
    try {
      res = await base(input, { ...init, signal });
    } catch (e) {
      if (timeout.aborted) throw new TimeoutError(what, opts.timeoutMs);
      throw e;
    }
    if (Number(res.headers.get('content-length')) > maxBytes) {
      await res.body?.cancel().catch(() => undefined);
      throw new BodyTooLargeError(what, maxBytes);
    }
    if (!res.body) return res;
    const reader = res.body.getReader();
    let seen = 0;
    // Pulled chunk by chunk: nothing is read ahead of the consumer, and a budget that fires mid-body reads as one.
    const capped = new ReadableStream<Uint8Array>({
      async pull(controller) {
        let next: Awaited<ReturnType<typeof reader.read>>;
        try {
          next = await reader.read();
        } catch (e) {
          controller.error(timeout.aborted ? new TimeoutError(what, opts.timeoutMs) : e);
          return;
        }
        if (next.done) return controller.close();
        seen += next.value.byteLength;
        if (seen > maxBytes) {
          controller.error(new BodyTooLargeError(what, maxBytes));
          await reader.cancel().catch(() => undefined);
        } else controller.enqueue(next.value);
      },
      cancel: (reason) => reader.cancel(reason),
    });
    return new Response(capped, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}

/** The longest piece of a vendor's error body quoted in a message. */
export const MAX_ERROR_TEXT = 300;

/** A vendor's error field as text: a string, an object's message, or its JSON; never "[object Object]". */
export function errorText(error: unknown): string {
  if (typeof error === 'string') return error.slice(0, MAX_ERROR_TEXT);
  const message = (error as { message?: unknown } | null)?.message;
  if (typeof message === 'string') return message.slice(0, MAX_ERROR_TEXT);
  return (JSON.stringify(error) ?? String(error)).slice(0, MAX_ERROR_TEXT);
}

/** A body that is not the vendor's JSON (a proxy's HTML page, plain text), on one line and shortened. */
export function plainErrorText(raw: string): string {
  const text = raw.replace(/\s+/g, ' ').trim().slice(0, MAX_ERROR_TEXT);
  return text === '' ? 'an empty body' : text;
}
