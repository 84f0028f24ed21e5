import type { HttpAnswer } from './client.js';
import type { BurstResult } from './snapshot.js';

/** Requests in flight at once: quick enough to land inside a short window, gentle on a production app. */
export const BURST_CONCURRENCY = 4;
/** However long the window, a burst stops sending after this. */
export const BURST_MAX_MS = 30_000;

const RATE_LIMIT_HEADER = /^(retry-after|ratelimit(-.*)?|x-ratelimit-.*)$/;

/** The burst ended without a verdict: the deadline passed or a request failed before limit + 1 were answered. */
export class BurstIncompleteError extends Error {
  override readonly name = 'BurstIncompleteError';
  constructor(
    readonly sent: number,
    reason: string,
  ) {
    super(`${reason} after ${sent} request${sent === 1 ? '' : 's'}`);
  }
}

/**
 * Sends at most `limit + 1` requests — the hard cap, whatever happens — and stops at the first 429.
 * No new request starts after `deadlineMs`; each one in flight is bounded by the client's own timeout.
 */
export async function burst(limit: number, deadlineMs: number, send: () => Promise<HttpAnswer>): Promise<BurstResult> {
  const cap = limit + 1;
  const deadline = Date.now() + Math.min(deadlineMs, BURST_MAX_MS);
  const statuses: number[] = [];
  let sent = 0;
  let limited: BurstResult['limited'];
  let failure: unknown;
  let timedOut = false;
  const worker = async (): Promise<void> => {
    while (sent < cap && limited === undefined && failure === undefined) {
      if (Date.now() >= deadline) {
        timedOut = true;
        return;
      }
      sent++;
      try {
        const answer = await send();
        statuses.push(answer.status);
        if (answer.status === 429 && limited === undefined) {
          const headers = Object.fromEntries(Object.entries(answer.headers).filter(([name]) => RATE_LIMIT_HEADER.test(name)));
          limited = { after: statuses.length, headers };
        }
      } catch (e) {
        failure ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(BURST_CONCURRENCY, cap) }, worker));
  if (limited !== undefined) return { sent, statuses, limited };
  if (failure !== undefined) throw new BurstIncompleteError(sent, `a request failed (${failure instanceof Error ? failure.message : String(failure)})`);
  if (timedOut && statuses.length < cap) throw new BurstIncompleteError(sent, `the burst's ${Math.max(0, Math.min(deadlineMs, BURST_MAX_MS))} ms deadline passed`);
  return { sent, statuses };
}
