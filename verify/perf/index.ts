import type { TargetFamily } from '../types.js';
import { PERF_CHECKS } from './checks.js';
import { perfCollector } from './collect.js';
import type { PerfSnapshot } from './snapshot.js';

export type { PerfSnapshot, Timing, VitalsRun } from './snapshot.js';
export { perfApiLatency, perfModelsCacheLatency, perfWebVitals, percentile, median } from './checks.js';
export { BrowserMissingError, findBrowser } from './lighthouse.js';

/**
 * Performance budgets: its own family because every figure is taken in the runner's measure phase, after
 * every target's collect and one target at a time, so prodcheck's own concurrent probes never load the app
 * or the event loop while it is timed; and because Lighthouse needs a browser the http family does not.
 */
export const perfFamily: TargetFamily<PerfSnapshot> = { collector: perfCollector, checks: PERF_CHECKS };
