import { z } from 'zod';
import { positiveInt, urlPath } from './common.js';

/** Nearest-rank p95 needs this many samples before its value is more than the slowest one. */
export const MIN_LATENCY_SAMPLES = 20;

/**
 * Performance budgets (the perf family). Latencies are timed after every other probe of the run, one
 * request at a time; web vitals come from Lighthouse in headless Chromium, which only runs when
 * webVitals is set (a run takes seconds per page).
 */
export const perfSchema = z.strictObject({
  /** perf.api-latency: read-only routes timed with sequential GETs; p95 of each against its budget. */
  apiLatency: z
    .strictObject({
      routes: z.array(z.strictObject({ path: urlPath, method: z.enum(['GET', 'HEAD']).default('GET'), p95Ms: positiveInt.max(60_000) })).min(1),
      samples: z.number().int().min(MIN_LATENCY_SAMPLES).max(200).default(MIN_LATENCY_SAMPLES),
      /** Requests sent first and not timed: connection set-up, cold starts. */
      warmup: z.number().int().min(0).max(20).default(3),
      /** Pause between two timed requests. */
      intervalMs: z.number().int().min(0).max(5_000).default(25),
    })
    .optional(),
  /** perf.models-cache-latency: the model list answered from cache (every request after the first). */
  modelsCache: z
    .strictObject({
      path: urlPath.default('/api/models'),
      p95Ms: positiveInt.max(60_000).default(500),
      samples: z.number().int().min(MIN_LATENCY_SAMPLES).max(200).default(MIN_LATENCY_SAMPLES),
    })
    .optional(),
  /** perf.web-vitals: Lighthouse lab runs; the median of `runs` per page is judged against the budgets. */
  webVitals: z
    .strictObject({
      pages: z.array(urlPath).min(1).max(10).default(['/']),
      runs: z.number().int().min(1).max(7).default(3),
      /** One Lighthouse run of one page gives up after this. */
      pageTimeoutMs: z.number().int().min(5_000).max(120_000).default(45_000),
      formFactor: z.enum(['desktop', 'mobile']).default('desktop'),
      budgets: z
        .strictObject({
          /** Lighthouse performance score, 0..1. */
          performanceScore: z.number().min(0).max(1).default(0.9),
          lcpMs: positiveInt.default(2_500),
          cls: z.number().min(0).default(0.1),
          tbtMs: z.number().int().min(0).default(200),
          fcpMs: positiveInt.optional(),
          /** Time to Interactive. */
          ttiMs: positiveInt.optional(),
        })
        .prefault({}),
    })
    .optional(),
});

export type PerfSpec = z.output<typeof perfSchema>;
