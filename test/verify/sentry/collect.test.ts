import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StackSpec, Targets } from '../../../spec/index.js';
import { stackSpecSchema, targetsSchema } from '../../../spec/index.js';
import { Redactor } from '../../../report/redact.js';
import type { Report } from '../../../report/types.js';
import { runVerify } from '../../../verify/runner.js';
import { sentryFamily } from '../../../verify/sentry/index.js';
import { startSentryApi, type FakeSentryKey, type SentryApiServer } from '../../fixtures/sentry-api/index.js';
import { startVercelApi, type VercelApiServer } from '../../fixtures/vercel-api/index.js';

const FIRST_SEEN = 'sentry.rules.conditions.first_seen_event.FirstSeenEventCondition';
const FREQUENCY = 'sentry.rules.conditions.event_frequency.EventFrequencyCondition';

const spec: StackSpec = stackSpecSchema.parse({
  app: { name: 'shop', domain: 'shop.example.com', canonicalHost: 'none' },
  env: { vars: { NEXT_PUBLIC_SENTRY_DSN: { from: 'config', secret: false } } },
  vercel: { project: 'shop' },
  sentry: { organization: 'acme', project: 'shop-web', alerts: ['new-issue', 'error-rate', 'latency'] },
});

let sentry: SentryApiServer;
let vercel: VercelApiServer;
let key: FakeSentryKey;

beforeAll(async () => {
  [sentry, vercel] = await Promise.all([startSentryApi({ org: 'acme', project: 'shop-web' }), startVercelApi({ project: { name: 'shop' } })]);
});
afterAll(async () => {
  await Promise.all([sentry.stop(), vercel.stop()]);
});

beforeEach(() => {
  sentry.allow();
  sentry.state = { status: 'active', exists: true, keys: [], issueRules: [], metricRules: [] };
  key = sentry.addKey('Default');
  sentry.addIssueRule('New issues', [FIRST_SEEN]);
  sentry.addMetricRule('Error spike', 'count()', 'events', ['slack']);
  sentry.addMetricRule('Slow API', 'p95(transaction.duration)', 'transactions', ['email']);
  vercel.state.envs = [];
  vercel.addEnv('NEXT_PUBLIC_SENTRY_DSN', sentry.dsnOf(key), { type: 'encrypted' });
});

const targets = (over: Record<string, unknown> = {}): Targets =>
  targetsSchema.parse({ sentry: { token: sentry.token, baseUrl: sentry.url, timeoutMs: 5_000 }, vercel: { token: vercel.token, baseUrl: vercel.url, timeoutMs: 5_000 }, ...over });
const verify = (t = targets()): Promise<Report> => runVerify({ stack: 'test', spec, targets: t, families: [sentryFamily as never], redactor: new Redactor(), select: () => true, active: false });
const messages = (r: Report, control: string) => r.results.filter((x) => x.control === control).map((x) => [x.status, x.message]);

describe('monitoring.error-tracking', () => {
  it('passes an active project with an active key', async () => {
    expect(messages(await verify(), 'monitoring.error-tracking')).toEqual([['pass', 'The Sentry project acme/shop-web is active and takes events on 1 active client key.']]);
  });

  it('fails a missing project, a disabled one and one whose keys are all disabled', async () => {
    key.isActive = false;
    expect(messages(await verify(), 'monitoring.error-tracking')).toEqual([['fail', 'The Sentry project acme/shop-web has no active client key: no SDK can send it an event.']]);
    sentry.state.status = 'disabled';
    expect(messages(await verify(), 'monitoring.error-tracking')).toEqual([['fail', 'The Sentry project acme/shop-web is disabled, not active: it accepts no events.']]);
    sentry.state.exists = false;
    const r = await verify();
    expect(messages(r, 'monitoring.error-tracking')).toEqual([['fail', 'Sentry has no project acme/shop-web (or the token cannot see it): errors from production are tracked nowhere.']]);
    expect(messages(r, 'monitoring.alerts')[0]?.[0]).toBe('fail');
  });

  it('a refused token is an error naming the fix, and no token is printed', async () => {
    const r = await verify(targets({ sentry: { token: 'sntrys_wrong-token-value', baseUrl: sentry.url } }));
    expect(messages(r, 'monitoring.error-tracking')).toEqual([
      ['error', 'sentry could not be reached: the Sentry API refused the token reading the project acme/shop-web (HTTP 401: Invalid token): set targets sentry.token to a valid auth token.'],
    ]);
    expect(JSON.stringify(r)).not.toContain('sntrys_wrong-token-value');
  });
});

describe('env.sentry-dsn', () => {
  it("passes when the app's DSN is an active key's of the project", async () => {
    expect(messages(await verify(), 'env.sentry-dsn')).toEqual([['pass', `NEXT_PUBLIC_SENTRY_DSN is the DSN of the active key "Default" (${key.id}) of acme/shop-web.`]]);
  });

  it("fails another project's DSN, a disabled key's DSN, and an unset var", async () => {
    vercel.updateEnv('NEXT_PUBLIC_SENTRY_DSN', { value: 'https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/42' });
    expect(messages(await verify(), 'env.sentry-dsn')).toEqual([
      ['fail', 'NEXT_PUBLIC_SENTRY_DSN is not a DSN of acme/shop-web: no client key of the project has it, so the app\'s errors go to another project or nowhere.'],
    ]);
    vercel.updateEnv('NEXT_PUBLIC_SENTRY_DSN', { value: sentry.dsnOf(key) });
    key.isActive = false;
    expect(messages(await verify(), 'env.sentry-dsn')).toEqual([['fail', `NEXT_PUBLIC_SENTRY_DSN is the DSN of the disabled key "Default" (${key.id}) of acme/shop-web: Sentry drops every event sent to it.`]]);
    vercel.removeEnv('NEXT_PUBLIC_SENTRY_DSN');
    expect(messages(await verify(), 'env.sentry-dsn')).toEqual([['fail', 'NEXT_PUBLIC_SENTRY_DSN is not set for production on Vercel: the app reports its errors nowhere.']]);
  });

  it('a sensitive var cannot be compared: a skip that says how to make it judgeable, never a pass', async () => {
    vercel.updateEnv('NEXT_PUBLIC_SENTRY_DSN', { type: 'sensitive' });
    expect(messages(await verify(), 'env.sentry-dsn')).toEqual([
      [
        'skip',
        'NEXT_PUBLIC_SENTRY_DSN cannot be compared with the project\'s keys: Vercel keeps sensitive values write-only. A DSN is public by design; store it as an encrypted (not sensitive) variable to let prodcheck judge it.',
      ],
    ]);
  });
});

describe('monitoring.alerts', () => {
  it('passes when an active rule with an action watches each listed condition', async () => {
    expect(messages(await verify(), 'monitoring.alerts')).toEqual([
      ['pass', 'Sentry alerts when a new issue is first seen: issue alert "New issues" notifies 1 action.'],
      ['pass', 'Sentry alerts when the error rate rises: metric alert "Error spike" notifies 1 action.'],
      ['pass', 'Sentry alerts when responses get slow: metric alert "Slow API" notifies 1 action.'],
    ]);
  });

  it('an issue-frequency rule also answers for the error rate', async () => {
    sentry.state.metricRules = sentry.state.metricRules.filter((r) => r.name !== 'Error spike');
    sentry.addIssueRule('Many events', [FREQUENCY], ['sentry.integrations.slack.notify_action.SlackNotifyServiceAction']);
    expect(messages(await verify(), 'monitoring.alerts')[1]).toEqual(['pass', 'Sentry alerts when the error rate rises: issue alert "Many events" notifies 1 action.']);
  });

  it('fails a missing rule, a snoozed rule and a rule that notifies nobody', async () => {
    sentry.state.issueRules[0]!.snooze = true;
    sentry.state.metricRules = sentry.state.metricRules.filter((r) => r.name === 'Error spike');
    sentry.state.metricRules[0]!.actions = [];
    expect(messages(await verify(), 'monitoring.alerts')).toEqual([
      ['fail', 'The only Sentry rule for when a new issue is first seen, issue alert "New issues", is disabled or snoozed: nobody is told.'],
      ['fail', 'metric alert "Error spike" watches for when the error rate rises but notifies nobody: it has no action.'],
      ['fail', 'No Sentry alert rule of acme/shop-web fires when responses get slow (latency).'],
    ]);
  });

  describe('with thresholds and levels (the checklist\'s "Error rate > 10%: page", "> 5%: warn", "p95 > 5s: warn")', () => {
    const thresholdSpec: StackSpec = stackSpecSchema.parse({
      ...spec,
      sentry: {
        organization: 'acme',
        project: 'shop-web',
        alerts: [
          { condition: 'error-rate', above: '10%', level: 'critical' },
          { condition: 'error-rate', above: '5%', level: 'warning' },
          { condition: 'latency', above: '5s', level: 'warning' },
        ],
      },
    });
    const verifyThresholds = () => runVerify({ stack: 'test', spec: thresholdSpec, targets: targets(), families: [sentryFamily as never], redactor: new Redactor(), select: () => true, active: false });
    const full = (r: Report) => r.results.filter((x) => x.control === 'monitoring.alerts').map((x) => [x.status, x.resource, x.message]);
    beforeEach(() => {
      sentry.state.metricRules = [];
      sentry.addMetricRule('Failure rate', 'failure_rate()', 'transactions', ['slack'], [
        { label: 'critical', threshold: 0.1 },
        { label: 'warning', threshold: 0.05 },
      ]);
      sentry.addMetricRule('Slow API', 'p95(transaction.duration)', 'transactions', ['email'], [{ label: 'warning', threshold: 4000 }]);
    });

    it('passes a trigger of the level firing at or below each threshold (failure_rate() in Sentry\'s ratio, durations in ms)', async () => {
      expect(full(await verifyThresholds())).toEqual([
        ['pass', 'error-rate > 10% (critical)', 'Sentry alerts when the error rate rises above 10%: metric alert "Failure rate" fires its critical trigger at 10% and notifies 1 action.'],
        ['pass', 'error-rate > 5% (warning)', 'Sentry alerts when the error rate rises above 5%: metric alert "Failure rate" fires its warning trigger at 5% and notifies 1 action.'],
        ['pass', 'latency > 5 s (warning)', 'Sentry alerts when responses get slow above 5 s: metric alert "Slow API" fires its warning trigger at 4 s and notifies 1 action.'],
      ]);
    });

    it('fails a trigger set too high, a missing level, a count() rule for a percentage and a p50 rule for a p95', async () => {
      sentry.state.metricRules = [];
      sentry.addMetricRule('Failure rate', 'failure_rate()', 'transactions', ['slack'], [{ label: 'critical', threshold: 0.25 }]);
      sentry.addMetricRule('Error count', 'count()', 'events', ['slack'], [{ label: 'warning', threshold: 5 }]);
      sentry.addMetricRule('Median latency', 'p50(transaction.duration)', 'transactions', ['email'], [{ label: 'warning', threshold: 1000 }]);
      expect(full(await verifyThresholds())).toEqual([
        ['fail', 'error-rate > 10% (critical)', 'metric alert "Failure rate" fires its critical trigger only above 25%, later than the 10% the stack asks for (the error rate rises).'],
        ['fail', 'error-rate > 5% (warning)', 'metric alert "Failure rate" watches for when the error rate rises but has no warning trigger firing above a value (5% wanted).'],
        ['fail', 'latency > 5 s (warning)', 'No Sentry metric alert on p95(transaction.duration) fires a warning trigger when responses get slow above 5 s.'],
      ]);
    });

    it('fails a fitting trigger that notifies nobody, and a snoozed rule', async () => {
      sentry.state.metricRules[0]!.actions = [];
      sentry.state.metricRules[1]!.snooze = true;
      const r = full(await verifyThresholds());
      expect(r[0]).toEqual(['fail', 'error-rate > 10% (critical)', 'metric alert "Failure rate" fires its critical trigger when the error rate rises above 10% but that trigger notifies nobody: it has no action.']);
      expect(r[2]).toEqual(['fail', 'latency > 5 s (warning)', 'The only Sentry rule for when responses get slow, metric alert "Slow API", is disabled or snoozed: nobody is told.']);
    });

    it('rejects a threshold that does not fit its condition, naming the key', () => {
      const bad = stackSpecSchema.safeParse({ ...spec, sentry: { organization: 'acme', project: 'shop-web', alerts: [{ condition: 'error-rate', above: '5s' }, { condition: 'new-issue', above: '1%' }, { condition: 'latency', above: 'fast' }] } });
      expect(bad.success).toBe(false);
      expect(bad.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
        'sentry.alerts.0.above: an error-rate threshold is a percentage of failing transactions, such as "10%"',
        'sentry.alerts.1.above: new-issue alerts fire on the first event of an issue: they take no threshold',
        'sentry.alerts.2.above: must be a percentage such as "10%" or a duration such as "5s" or "800ms"',
      ]);
    });
  });

  it('more rules than it reads is an error, never a partial pass', async () => {
    for (let i = 0; i < 501; i++) sentry.addIssueRule(`rule ${i}`, [FIRST_SEEN]);
    expect(messages(await verify(), 'monitoring.alerts')).toEqual([
      ['error', 'Could not read the alert rules of acme/shop-web: the issue alert rules run past 500 entries: prodcheck reads no further, so it cannot judge them all.'],
    ]);
  });
});
