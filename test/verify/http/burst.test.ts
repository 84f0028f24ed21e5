import { describe, expect, it } from 'vitest';
import { BURST_CONCURRENCY, BurstIncompleteError, burst } from '../../../verify/http/burst.js';
import type { HttpAnswer } from '../../../verify/http/client.js';

const answer = (status: number, headers: Record<string, string> = {}): HttpAnswer => ({ url: 'https://x.example/api', status, headers, setCookies: [], body: Buffer.alloc(0) });

/** A fake route: counts requests and concurrency, answers `respond(n)` for the n-th request after `delayMs`. */
function route(respond: (n: number) => HttpAnswer | Error, delayMs = 2) {
  let sent = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const send = async () => {
    const n = ++sent;
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    await new Promise((r) => setTimeout(r, delayMs));
    inFlight--;
    const a = respond(n);
    if (a instanceof Error) throw a;
    return a;
  };
  return { send, sent: () => sent, maxInFlight: () => maxInFlight };
}

describe('burst', () => {
  it('never sends more than limit + 1 requests when the route never limits', async () => {
    const r = route(() => answer(200));
    const result = await burst(20, 10_000, r.send);
    expect(r.sent()).toBe(21);
    expect(result).toEqual({ sent: 21, statuses: Array(21).fill(200) });
    expect(r.maxInFlight()).toBe(BURST_CONCURRENCY);
  });

  it('stops sending at the first 429 and keeps its rate-limit headers only', async () => {
    const r = route((n) => (n > 3 ? answer(429, { 'retry-after': '30', 'x-ratelimit-remaining': '0', 'content-type': 'application/json' }) : answer(200)), 5);
    const result = await burst(20, 10_000, r.send);
    expect(r.sent()).toBeLessThanOrEqual(3 + BURST_CONCURRENCY);
    expect(result.limited).toEqual({ after: 4, headers: { 'retry-after': '30', 'x-ratelimit-remaining': '0' } });
  });

  it('sends limit + 1 requests one at a time for a limit of zero', async () => {
    const r = route(() => answer(200));
    await burst(0, 10_000, r.send);
    expect(r.sent()).toBe(1);
  });

  it('gives up when the deadline passes before limit + 1 answers', async () => {
    const r = route(() => answer(200), 40);
    const t0 = Date.now();
    await expect(burst(1000, 100, r.send)).rejects.toBeInstanceOf(BurstIncompleteError);
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(r.sent()).toBeLessThan(30);
  });

  it('gives up on a failed request', async () => {
    const r = route((n) => (n === 2 ? new Error('GET https://x.example/api did not answer within 500 ms') : answer(200)));
    await expect(burst(10, 10_000, r.send)).rejects.toThrow(/^a request failed \(GET https:\/\/x\.example\/api did not answer within 500 ms\) after \d+ requests$/);
  });
});
