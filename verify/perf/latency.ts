import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { TimeoutError } from '../net.js';
import { MAX_BODY_BYTES } from '../http/client.js';
import type { Site } from '../http/site.js';
import type { Timing } from './snapshot.js';

/**
 * Time for one route's requests, warm-up included: a route so slow that its samples do not fit is judged
 * on those that did (their p95 is then far above any budget), rather than holding the run for minutes.
 */
export const ROUTE_BUDGET_MS = 8_000;

export interface TimingPlan {
  readonly method: string;
  readonly path: string;
  readonly samples: number;
  readonly warmup: number;
  readonly intervalMs: number;
}

/** One answer's status and the time from sending the request to its last body byte. */
export interface Timed {
  readonly status: number;
  readonly ms: number;
}

/**
 * Times requests to one route on one kept-alive connection (a browser's or a client's steady state, not a
 * TLS handshake per request), one at a time. The runner calls this in its measure phase, once every
 * target's collect is over, so no other probe of prodcheck's shares the event loop or the app.
 */
export class RouteTimer {
  private readonly agent: HttpAgent | HttpsAgent;

  constructor(private readonly site: Site) {
    const options = { keepAlive: true, maxSockets: 1 };
    this.agent = site.origin.protocol === 'https:' ? new HttpsAgent(options) : new HttpAgent(options);
  }

  /** One request: its status and time to last byte. Throws on no answer (refused, reset, timeout, oversized body). */
  once(method: string, path: string): Promise<Timed> {
    const url = new URL(path, this.site.origin);
    const tls = url.protocol === 'https:';
    const timeoutMs = this.site.client.timeoutMs;
    return new Promise<Timed>((resolve, reject) => {
      const t0 = performance.now();
      const req = (tls ? httpsRequest : httpRequest)(
        {
          ...this.site.client.connection(url),
          agent: this.agent,
          method,
          path: `${url.pathname}${url.search}`,
          headers: { host: url.host, 'user-agent': 'prodcheck', accept: 'application/json, text/html;q=0.9, */*;q=0.8', 'accept-encoding': 'br, gzip' },
          // Nothing secret is sent; http.tls-certificate judges the certificate.
          rejectUnauthorized: false,
        },
        (res) => {
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > MAX_BODY_BYTES) res.destroy(new Error(`the body is larger than ${MAX_BODY_BYTES} bytes`));
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0 }));
          res.on('error', reject);
        },
      );
      const timer = setTimeout(() => req.destroy(new TimeoutError(`${method} ${url.href}`, timeoutMs)), timeoutMs);
      const abort = () => req.destroy(new Error('the run gave up on the perf target'));
      this.site.signal.addEventListener('abort', abort, { once: true });
      req.on('close', () => {
        clearTimeout(timer);
        this.site.signal.removeEventListener('abort', abort);
      });
      req.on('error', (e) => reject(e instanceof TimeoutError ? e : new Error(`${method} ${url.href}: ${e.message}`)));
      req.end();
    });
  }

  /** Warm-up requests (not timed), then up to `samples` timed ones `intervalMs` apart, all within ROUTE_BUDGET_MS (at least one timed). */
  async sample(plan: TimingPlan, label = 'sequential'): Promise<Timing> {
    const deadline = performance.now() + ROUTE_BUDGET_MS;
    for (let i = 0; i < plan.warmup && performance.now() < deadline; i++) await this.once(plan.method, plan.path);
    const samplesMs: number[] = [];
    const statuses: number[] = [];
    for (let i = 0; i < plan.samples && (i === 0 || performance.now() < deadline); i++) {
      if (i > 0 && plan.intervalMs > 0) await sleep(plan.intervalMs);
      const t = await this.once(plan.method, plan.path);
      samplesMs.push(t.ms);
      statuses.push(t.status);
    }
    const count = samplesMs.length < plan.samples ? `${samplesMs.length} ${label} ${plan.method}s (of ${plan.samples}: the ${ROUTE_BUDGET_MS / 1000} s budget ran out)` : `${plan.samples} ${label} ${plan.method}s`;
    const warm = plan.warmup > 0 ? ` after ${plan.warmup} warm-up request${plan.warmup === 1 ? '' : 's'}` : '';
    const gap = plan.intervalMs > 0 ? `, ${plan.intervalMs} ms apart` : '';
    return { samplesMs, statuses, method: `${count} on one kept-alive connection${warm}${gap}, time to last byte, with no other probe running` };
  }

  close(): void {
    this.agent.destroy();
  }
}
