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
  const pings = t.pings;
  const method = (via: string) => `${pings} PINGs on a dedicated ${via} connection after ${WARMUP_PINGS} warm-up PINGs, ${PING_INTERVAL_MS} ms apart, with no other check running`;
  try {
    if (t.url !== undefined) {
      const at = await tcpEndpoint(t.url, t);
      const client = await tcpClient(t.url, at, t.timeoutMs);
      client.on('error', () => undefined);
      const abort = () => client.disconnect();
      ctx.signal.addEventListener('abort', abort, { once: true });
      try {
        await client.connect();
        return { ok: true, value: { samplesMs: await timePings(() => client.ping(), pings), method: method(at.scheme === 'rediss' ? 'TLS' : 'TCP') } };
      } finally {
        ctx.signal.removeEventListener('abort', abort);
        client.disconnect();
      }
    }
    const upstash = t.upstash;
    if (!upstash) return { ok: false, error: 'the redis target has neither url nor upstash' };
    const client = await upstashClient(upstash.url, upstash.token, t.timeoutMs, ctx.signal);
    return { ok: true, value: { samplesMs: await timePings(() => client.ping(), pings), method: method('REST') } };
  } catch (e) {
    return { ok: false, error: clean(e, ctx.redactor) };
  }
}

async function timePings(ping: () => Promise<unknown>, count: number): Promise<number[]> {
  for (let i = 0; i < WARMUP_PINGS; i++) await ping();
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    await sleep(PING_INTERVAL_MS);
    const t0 = performance.now();
    await ping();
    samples.push(performance.now() - t0);
  }
  return samples;
}
