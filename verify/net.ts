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

/** A one-line description of an error for a result message: code and message, no stack. */
export function describeError(e: unknown): string {
  if (e instanceof AggregateError && e.errors.length > 0) return describeError(e.errors[0]);
  const err = e as { code?: unknown; message?: unknown };
  const message = typeof err?.message === 'string' && err.message ? err.message : String(e);
  const code = typeof err?.code === 'string' && !message.includes(err.code) ? ` (${err.code})` : '';
  return `${message.split('\n')[0]}${code}`;
}
