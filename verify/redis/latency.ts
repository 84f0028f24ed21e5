import { setTimeout as sleep } from 'node:timers/promises';
import type { CollectContext } from '../types.js';
import { clean, tcpClient, tcpEndpoint, upstashClient, type RedisTargets } from './connection.js';

/** Round trips thrown away first: connection set-up, TLS session and the server's first-touch costs. */
export const WARMUP_PINGS = 10;
/**
 * Pause between two timed PINGs, as `redis-cli --latency` does: back-to-back PINGs time a hot loop, while
 * the app's commands arrive one by one.
 */
export const PING_INTERVAL_MS = 10;
/**
 * Time for the samples after warm-up: a server so slow that the PINGs do not fit is judged on those
 * that did, at least MIN_SAMPLES (their p95 is far above any budget), rather than holding the run for minutes.
 */
export const MEASURE_BUDGET_MS = 5_000;
export const MIN_SAMPLES = 20;

export interface LatencySample {
  readonly samplesMs: readonly number[];
  /** How the samples were taken, for the report. */
  readonly method: string;
}

export type LatencyProbe = { readonly ok: true; readonly value: LatencySample } | { readonly ok: false; readonly error: string };

/**
 * Times PINGs on a connection of its own, opened for this and nothing else. The runner calls it in its
 * measure phase, once every target's collect is over, so no other collector shares the event loop.
 */
export async function measureLatency(t: RedisTargets, ctx: CollectContext): Promise<LatencyProbe> {
  const sample = async (ping: () => Promise<unknown>, via: string): Promise<LatencySample> => {
    const samplesMs = await timePings(ping, t.pings);
    const count = samplesMs.length < t.pings ? `${samplesMs.length} PINGs (of ${t.pings}: the ${MEASURE_BUDGET_MS / 1000} s budget ran out)` : `${t.pings} PINGs`;
    return { samplesMs, method: `${count} on a dedicated ${via} connection after ${WARMUP_PINGS} warm-up PINGs, ${PING_INTERVAL_MS} ms apart, with no other check running` };
  };
  try {
    if (t.url !== undefined) {
      const at = await tcpEndpoint(t.url, t);
      const client = await tcpClient(t.url, at, t.timeoutMs);
      client.on('error', () => undefined);
      const abort = () => client.disconnect();
      ctx.signal.addEventListener('abort', abort, { once: true });
      try {
        await client.connect();
        return { ok: true, value: await sample(() => client.ping(), at.scheme === 'rediss' ? 'TLS' : 'TCP') };
      } finally {
        ctx.signal.removeEventListener('abort', abort);
        client.disconnect();
      }
    }
    const upstash = t.upstash;
    if (!upstash) return { ok: false, error: 'the redis target has neither url nor upstash' };
    const client = await upstashClient(upstash.url, upstash.token, t.timeoutMs, ctx.signal);
    return { ok: true, value: await sample(() => client.ping(), 'REST') };
  } catch (e) {
    return { ok: false, error: clean(e, ctx.redactor) };
  }
}

async function timePings(ping: () => Promise<unknown>, count: number): Promise<number[]> {
  for (let i = 0; i < WARMUP_PINGS; i++) await ping();
  const deadline = performance.now() + MEASURE_BUDGET_MS;
  const samples: number[] = [];
  for (let i = 0; i < count && (i < MIN_SAMPLES || performance.now() < deadline); i++) {
    await sleep(PING_INTERVAL_MS);
    const t0 = performance.now();
    await ping();
    samples.push(performance.now() - t0);
  }
  return samples;
}
