import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StackSpec, Targets } from '../../../spec/index.js';
import { stackSpecSchema, targetsSchema } from '../../../spec/index.js';
import { Redactor } from '../../../report/redact.js';
import type { Report } from '../../../report/types.js';
import { runVerify } from '../../../verify/runner.js';
import { sentryFamily } from '../../../verify/sentry/index.js';
import { startSentryApi, type SentryApiServer } from '../../fixtures/sentry-api/index.js';

const specOf = (sentry: Record<string, unknown>): StackSpec =>
  stackSpecSchema.parse({ app: { name: 'shop', domain: 'shop.example.com', canonicalHost: 'none' }, sentry: { organization: 'acme', project: 'shop-web', alerts: [], ...sentry } });
const spec = specOf({ tracing: true, dashboards: ['Checkout health', 'API latency'] });

let sentry: SentryApiServer;
beforeAll(async () => {
  sentry = await startSentryApi({ org: 'acme', project: 'shop-web' });
});
afterAll(() => sentry.stop());
beforeEach(() => {
  sentry.allow();
  sentry.state = { status: 'active', exists: true, keys: [], issueRules: [], metricRules: [], transactions: 1234, dashboards: [] };
  sentry.addKey('Default');
  sentry.addDashboard('Checkout health');
  sentry.addDashboard('API latency');
});

const targets = (): Targets => targetsSchema.parse({ sentry: { token: sentry.token, baseUrl: sentry.url, timeoutMs: 5_000 } });
const verify = (s = spec): Promise<Report> => runVerify({ stack: 'test', spec: s, targets: targets(), families: [sentryFamily as never], redactor: new Redactor(), select: () => true, active: false });
const messages = (r: Report, control: string) => r.results.filter((x) => x.control === control).map((x) => [x.status, x.message]);

describe('monitoring.apm', () => {
  it("passes a project that received transactions in the last hour", async () => {
    expect(messages(await verify(), 'monitoring.apm')).toEqual([['pass', 'Sentry received 1234 transactions from acme/shop-web in the last hour.']]);
  });

  it('fails a project with no transaction in the last hour, and skips a stack that does not trace', async () => {
    sentry.state.transactions = 0;
    expect(messages(await verify(), 'monitoring.apm')).toEqual([
      ['fail', 'Sentry received no transaction from acme/shop-web in the last hour: tracing is off (tracesSampleRate 0 or unset), the sample rate drops everything, or the app got no traffic.'],
    ]);
    expect(messages(await verify(specOf({ dashboards: ['API latency'] })), 'monitoring.apm')).toEqual([['skip', 'The stack does not say the app sends traces (prodcheck:sentry.tracing).']]);
  });

  it('a token that may not query events or list dashboards is an error naming the scope, never a pass', async () => {
    sentry.state.forbidden = ['/organizations/acme/events/', '/organizations/acme/dashboards/'];
    const r = await verify();
    expect(messages(r, 'monitoring.apm')).toEqual([
      ['error', 'Could not read the transactions of acme/shop-web: the Sentry token may not read the transactions of the last hour (HTTP 403: You do not have permission to perform this action.): give it the org:read scope.'],
    ]);
    expect(messages(r, 'monitoring.dashboards')).toEqual([
      ['error', 'Could not read the dashboards of acme: the Sentry token may not read the dashboards (HTTP 403: You do not have permission to perform this action.): give it the org:read scope.'],
    ]);
    expect(messages(r, 'monitoring.error-tracking')[0]?.[0]).toBe('pass');
  });

  it('asks Discover for the project by id, over the last hour, in the transactions dataset', async () => {
    sentry.state.transactions = 1;
    expect(messages(await verify(), 'monitoring.apm')).toEqual([['pass', 'Sentry received 1 transaction from acme/shop-web in the last hour.']]);
  });
});

describe('monitoring.dashboards', () => {
  it('passes when every listed dashboard exists', async () => {
    const ids = sentry.state.dashboards?.map((d) => d.id) ?? [];
    expect(messages(await verify(), 'monitoring.dashboards')).toEqual([
      ['pass', `The Sentry dashboard "Checkout health" exists in acme (id ${ids[0]}).`],
      ['pass', `The Sentry dashboard "API latency" exists in acme (id ${ids[1]}).`],
    ]);
  });

  it('fails a missing dashboard and one whose title differs in case; skips a stack that lists none', async () => {
    sentry.state.dashboards = [];
    sentry.addDashboard('api latency');
    expect(messages(await verify(), 'monitoring.dashboards')).toEqual([
      ['fail', 'acme has no Sentry dashboard titled "Checkout health".'],
      ['fail', 'acme has no Sentry dashboard titled "API latency" (only "api latency", which differs in case).'],
    ]);
    expect(messages(await verify(specOf({ tracing: true })), 'monitoring.dashboards')).toEqual([['skip', 'The stack lists no dashboards (prodcheck:sentry.dashboards).']]);
  });
});
