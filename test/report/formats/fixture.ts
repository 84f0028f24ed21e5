import { Redactor } from '../../../report/redact.js';
import type { SourceMap } from '../../../report/source.js';
import type { Report, Result } from '../../../report/types.js';

const ACTIVE_ONLY = 'acts on the live system: runs only with --active';
const STRIPE_DOWN = 'stripe could not be reached: connect ECONNREFUSED 127.0.0.1:12111';

/** One report with every status: a control with two resources, evidence, a waiver, skips for two reasons. */
export const RESULTS: readonly Result[] = [
  { control: 'pg.connectivity', title: 'Database reachable and connections stable', severity: 'critical', status: 'pass', message: 'SELECT 1 answered; 12 of 100 connections in use.', durationMs: 40 },
  { control: 'pg.rls', title: 'Row Level Security enabled with policies', severity: 'high', status: 'pass', message: 'RLS is enabled on public.users with 2 policies.', resource: 'public.users', durationMs: 42 },
  {
    control: 'pg.rls',
    title: 'Row Level Security enabled with policies',
    severity: 'high',
    status: 'fail',
    message: 'RLS must be enabled on public.orders (found disabled).',
    expected: 'enabled',
    actual: 'disabled',
    resource: 'public.orders',
    durationMs: 42,
  },
  {
    control: 'pg.backups.retention',
    title: 'Backup retention >= 30 days',
    severity: 'high',
    status: 'waived',
    message: 'Backup retention must be at least 30 days (found 7). (waived by alice until 2026-03-01: moving to AWS Backup)',
    expected: '30',
    actual: '7',
    waiver: { reason: 'moving to AWS Backup', owner: 'alice', expires: '2026-03-01', expired: false },
    durationMs: 38,
  },
  {
    control: 'redis.eviction-policy',
    title: 'Eviction policy allkeys-lru',
    severity: 'high',
    status: 'fail',
    message: 'Redis maxmemory-policy must be allkeys-lru (found noeviction).',
    expected: 'allkeys-lru',
    actual: 'noeviction',
    durationMs: 15,
  },
  { control: 'redis.latency', title: 'Redis latency', severity: 'medium', status: 'skip', message: ACTIVE_ONLY, durationMs: 0 },
  { control: 'redis.ttl', title: 'Cache keys carry the intended TTL', severity: 'medium', status: 'skip', message: ACTIVE_ONLY, durationMs: 0 },
  { control: 'stripe.webhook.endpoint', title: 'Stripe webhook endpoint registered', severity: 'critical', status: 'error', message: `${STRIPE_DOWN}.`, durationMs: 5003 },
  { control: 'stripe.tax-rates', title: 'Tax rates / Stripe Tax', severity: 'low', status: 'skip', message: `skipped: ${STRIPE_DOWN}.`, durationMs: 5003 },
  {
    control: 'http.security-headers',
    title: 'Security headers present',
    severity: 'medium',
    status: 'fail',
    message: 'Strict-Transport-Security must be set (found none).',
    durationMs: 120,
  },
  { control: 'http.compression', title: 'Response compression', severity: 'low', status: 'fail', message: 'Responses must be compressed with br or gzip (found identity).', durationMs: 120 },
];

export const REPORT: Report = {
  version: 1,
  stack: 'prod',
  startedAt: '2026-01-05T10:00:00.000Z',
  durationMs: 5210,
  summary: { pass: 2, fail: 4, error: 1, skip: 3, waived: 1 },
  results: RESULTS,
};

/** Characters every format escapes differently, around alphanumeric cores that no escaping changes. */
export const SECRET = 'Zq7Vx9"<&>%:,\n`*_Pa55w0rdQ';
export const SECRET_CORES = ['Zq7Vx9', 'Pa55w0rdQ'];
/** Shapes the redactor masks without being told: a Stripe live key and a webhook signing secret. */
export const STRIPE_KEY = 'sk_live_51HxYzAbCdEfGh1234';
export const WEBHOOK_SECRET = 'whsec_Mn0PqRsTuVwXyZ9876';
export const UNREGISTERED_CORES = ['51HxYzAbCdEfGh1234', 'Mn0PqRsTuVwXyZ9876'];

export function redactor(): Redactor {
  return new Redactor().add(SECRET);
}

/** A report leaking secrets everywhere a live system could put them: message, evidence, resource, waiver. */
export const LEAKY: Report = {
  ...REPORT,
  summary: { pass: 1, fail: 2, error: 1, skip: 1, waived: 1 },
  results: [
    { control: 'env.database-url', title: 'Database connection string env (POSTGRES_URL / DATABASE_URL)', severity: 'critical', status: 'pass', message: `Connected with password ${SECRET}.`, resource: `POSTGRES_URL=${SECRET}`, durationMs: 3 },
    {
      control: 'env.stripe-secret-key',
      title: 'STRIPE_SECRET_KEY is a live-mode key',
      severity: 'critical',
      status: 'fail',
      message: `STRIPE_SECRET_KEY must be a live key (found ${STRIPE_KEY}).`,
      expected: SECRET,
      actual: STRIPE_KEY,
      resource: SECRET,
      durationMs: 3,
    },
    {
      control: 'env.stripe-webhook-secret',
      title: 'STRIPE_WEBHOOK_SECRET wired from the registered endpoint',
      severity: 'medium',
      status: 'error',
      message: `signature check with ${WEBHOOK_SECRET} failed for ${SECRET}`,
      actual: WEBHOOK_SECRET,
      resource: SECRET,
      durationMs: 3,
    },
    { control: 'env.sentry-dsn', title: 'SENTRY_DSN wired to an active Sentry key', severity: 'medium', status: 'skip', message: `no DSN for ${SECRET}`, resource: SECRET, durationMs: 0 },
    {
      control: 'env.admin-emails',
      title: 'ADMIN_EMAILS set to the expected list',
      severity: 'low',
      status: 'waived',
      message: `list differs (${SECRET})`,
      resource: SECRET,
      waiver: { reason: `rotating ${STRIPE_KEY}`, owner: SECRET, expires: '2026-03-01', expired: false },
      durationMs: 0,
    },
    { control: 'env.feature-flags', title: 'Feature-flag env values match the release manifest', severity: 'low', status: 'fail', message: `flag ${WEBHOOK_SECRET} on`, expected: STRIPE_KEY, resource: `url postgres://app:${SECRET}@db`, durationMs: 0 },
  ],
};

/** A stack file at `uri` whose keys sit on line 40 + the control id's length: a different line per control, known to the test. */
export function source(uri = 'infra/Pulumi.prod.yaml', relative = true): SourceMap {
  return { uri, relative, lineOf: (r) => 40 + r.control.length };
}

/** An advisory gate violation: the gate passes it, every format must still show it. */
export const ADVISORY_RESULT: Result = {
  control: 'redis.tls',
  title: 'TLS in transit',
  severity: 'high',
  status: 'pass',
  advisory: true,
  message: 'advisory, not enforced: transitEncryptionEnabled must be true (found false).',
  resource: 'chat-cache',
  durationMs: 2,
};
