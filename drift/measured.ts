/**
 * Results whose `actual` is a measurement: it moves from one run to the next while nothing was changed
 * (a latency, a count of recent events, days left before an expiry). For these drift compares only the
 * status and the expectation; a value that crosses its budget still shows, as a new failure.
 * Entries are a control id, or `control [resource]` when only one of a control's results is a measurement.
 *
 * This list exists because a Finding carries no field that separates a stable observation from a
 * measurement; an optional `observed` on Finding, set by each check, would make it unnecessary.
 */
export const MEASURED: ReadonlySet<string> = new Set([
  'pg.connectivity [max_connections]',
  'pg.query-latency',
  'pg.data.credentials-hashed',
  'pg.backups.recent',
  'pg.backups.restore-test',
  'redis.latency',
  'redis.usage',
  'redis.cache-hit-rate',
  'redis.evictions',
  'redis.ttl',
  'stripe.webhook.delivery',
  'stripe.usage-reporting',
  'http.tls-certificate',
  'http.compression',
  'http.api.models',
  'http.rate-limit',
  'perf.models-cache-latency',
  'dns.domain-registration',
  'env.secret-rotation',
  'vercel.logs.no-errors',
  'vercel.rollback-target',
  'repo.dependency-audit',
  'monitoring.logging',
  'monitoring.metrics',
  'monitoring.uptime',
]);

export function isMeasured(control: string, resource: string | undefined): boolean {
  return MEASURED.has(control) || (resource !== undefined && MEASURED.has(`${control} [${resource}]`));
}
