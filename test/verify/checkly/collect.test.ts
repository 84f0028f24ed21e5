import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StackSpec, Targets } from '../../../spec/index.js';
import { stackSpecSchema, targetsSchema } from '../../../spec/index.js';
import { Redactor } from '../../../report/redact.js';
import type { Report } from '../../../report/types.js';
import { runVerify } from '../../../verify/runner.js';
import { checklyFamily } from '../../../verify/checkly/index.js';
import { startChecklyApi, type ChecklyApiServer, type FakeAlertChannel, type FakeCheck, type FakeDashboard } from '../../fixtures/checkly-api/index.js';

const HEALTH = 'https://shop.example.com/api/health';
const PAGE = 'https://shop-status.checkly-dashboards.com/';

const specOf = (uptime: Record<string, unknown> = {}): StackSpec =>
  stackSpecSchema.parse({
    app: { name: 'shop', domain: 'shop.example.com', canonicalHost: 'none' },
    http: { health: [{ path: '/api/health' }] },
    uptime: { alertEmail: 'oncall@example.com', statusPage: { customUrl: 'shop-status' }, ...uptime },
  });

let api: ChecklyApiServer;
let check: FakeCheck;
let channel: FakeAlertChannel;
let dashboard: FakeDashboard;

beforeAll(async () => {
  api = await startChecklyApi();
});
afterAll(async () => {
  await api.stop();
});

beforeEach(() => {
  api.allow();
  api.refuseResults(undefined);
  api.state = { checks: [], channels: [], dashboards: [], groups: [] };
  channel = api.addEmailChannel('oncall@example.com');
  check = api.addCheck({ name: 'shop health', url: HEALTH, tags: ['prodcheck-uptime'], subscriptions: [{ alertChannelId: channel.id, activated: true }] });
  api.addCheck({ name: 'blog', url: 'https://blog.example.org/', tags: ['prodcheck-uptime'] });
  dashboard = api.addDashboard('shop-status', ['prodcheck-uptime']);
});

const targets = (over: Record<string, unknown> = {}): Targets =>
  targetsSchema.parse({ checkly: { accountId: api.accountId, apiKey: api.apiKey, baseUrl: api.url, statusPageUrl: api.pageUrl(dashboard), timeoutMs: 5_000, ...over } });
const verify = (t = targets(), spec = specOf()): Promise<Report> =>
  runVerify({ stack: 'test', spec, targets: t, families: [checklyFamily as never], redactor: new Redactor(), select: () => true, active: false });
const messages = (r: Report, control: string) => r.results.filter((x) => x.control === control).map((x) => [x.status, x.message]);

describe('monitoring.uptime', () => {
  it('passes an activated, alerting, passing check on the health URL', async () => {
    expect(messages(await verify(), 'monitoring.uptime')).toEqual([['pass', `The Checkly check "shop health" calls ${HEALTH} every 5 min from 2 locations, alerts 1 channel, and its latest run (within the last 15 min) passed.`]]);
  });

  it('matches the URL by scheme, host and path: a trailing slash and the host case do not matter, another path does', async () => {
    check.url = 'https://SHOP.example.com/api/health/';
    expect(messages(await verify(), 'monitoring.uptime')[0]?.[0]).toBe('pass');
    check.url = 'https://shop.example.com/api/healthz';
    expect(messages(await verify(), 'monitoring.uptime')).toEqual([['fail', `No Checkly check calls ${HEALTH}: nothing outside production watches its health route.`]]);
    check.url = 'http://shop.example.com/api/health';
    expect(messages(await verify(), 'monitoring.uptime')[0]?.[0]).toBe('fail');
  });

  it('fails a deactivated check, a muted one and one that runs less often than the spec asks', async () => {
    check.activated = false;
    expect(messages(await verify(), 'monitoring.uptime')).toEqual([['fail', `The Checkly check "shop health" on ${HEALTH} is deactivated: it runs nowhere.`]]);
    check.activated = true;
    check.muted = true;
    expect(messages(await verify(), 'monitoring.uptime')).toEqual([['fail', `The Checkly check "shop health" on ${HEALTH} is muted: it runs, but its failures alert nobody.`]]);
    check.muted = false;
    check.frequency = 60;
    expect(messages(await verify(), 'monitoring.uptime')).toEqual([
      ['fail', `The Checkly check "shop health" on ${HEALTH} runs every 60 min, less often than every 5 min (prodcheck:uptime.frequencyMinutes): an outage goes unseen for too long.`],
    ]);
    expect(messages(await verify(targets(), specOf({ frequencyMinutes: 60 })), 'monitoring.uptime')[0]?.[0]).toBe('pass');
  });

  it('fails an inverted check, one blind to the status code, one in a deactivated or muted group; a group\'s channel alerts for its checks', async () => {
    check.shouldFail = true;
    expect(messages(await verify(), 'monitoring.uptime')).toEqual([['fail', `The Checkly check "shop health" on ${HEALTH} is inverted (shouldFail): it passes when the health route fails.`]]);
    check.shouldFail = false;
    check.assertions = ['RESPONSE_TIME'];
    expect(messages(await verify(), 'monitoring.uptime')).toEqual([['fail', `The Checkly check "shop health" on ${HEALTH} asserts nothing about the status code: a 500 from the health route passes it.`]]);
    check.assertions = ['STATUS_CODE', 'RESPONSE_TIME'];
    const group = api.addGroup('production');
    check.groupId = group.id;
    expect(messages(await verify(), 'monitoring.uptime')[0]?.[0]).toBe('pass');
    group.muted = true;
    expect(messages(await verify(), 'monitoring.uptime')).toEqual([['fail', `The Checkly check "shop health" on ${HEALTH} is muted by its check group: it runs, but its failures alert nobody.`]]);
    group.activated = false;
    expect(messages(await verify(), 'monitoring.uptime')).toEqual([['fail', `The Checkly check "shop health" on ${HEALTH} is in a deactivated check group: it runs nowhere.`]]);
    group.activated = true;
    group.muted = false;
    check.subscriptions = [];
    group.subscriptions = [{ alertChannelId: channel.id, activated: true }];
    expect(messages(await verify(), 'monitoring.uptime')[0]?.[0]).toBe('pass');
    api.state.groups = [];
    expect(messages(await verify(), 'monitoring.uptime')).toEqual([['fail', `The Checkly check "shop health" on ${HEALTH} has no active alert channel that is told of failures: when it fails, nobody hears.`]]);
  });

  it('fails a check nobody hears: no subscription, a paused one, a deleted channel, a channel not told of failures', async () => {
    const nobody = `The Checkly check "shop health" on ${HEALTH} has no active alert channel that is told of failures: when it fails, nobody hears.`;
    check.subscriptions = [];
    expect(messages(await verify(), 'monitoring.uptime')).toEqual([['fail', nobody]]);
    check.subscriptions = [{ alertChannelId: channel.id, activated: false }];
    expect(messages(await verify(), 'monitoring.uptime')).toEqual([['fail', nobody]]);
    check.subscriptions = [{ alertChannelId: 999_999, activated: true }];
    expect(messages(await verify(), 'monitoring.uptime')).toEqual([['fail', nobody]]);
    check.subscriptions = [{ alertChannelId: channel.id, activated: true }];
    channel.sendFailure = false;
    expect(messages(await verify(), 'monitoring.uptime')).toEqual([['fail', nobody]]);
  });

  it('fails failing, erroring and degraded results; skips a check with no results yet', async () => {
    check.status = { hasFailures: true, hasErrors: false, isDegraded: false, lastRunLocation: 'us-east-1' };
    expect(messages(await verify(), 'monitoring.uptime')).toEqual([['fail', `The Checkly check "shop health" on ${HEALTH} is failing (last run from us-east-1): the production health route does not pass.`]]);
    check.status = { hasFailures: false, hasErrors: true, isDegraded: false, lastRunLocation: 'us-east-1' };
    expect(messages(await verify(), 'monitoring.uptime')[0]?.[0]).toBe('fail');
    check.status = { hasFailures: false, hasErrors: false, isDegraded: true, lastRunLocation: 'eu-west-1' };
    expect(messages(await verify(), 'monitoring.uptime')).toEqual([['fail', `The Checkly check "shop health" on ${HEALTH} is degraded (last run from eu-west-1): the health route answers slower than the check allows.`]]);
    check.status = null;
    expect(messages(await verify(), 'monitoring.uptime')).toEqual([['skip', `The Checkly check "shop health" on ${HEALTH} has no results yet: nothing says whether the health route answers.`]]);
  });

  it('fails a passing status whose check stopped running; an unreadable results listing is an error, never a pass', async () => {
    check.lastRunMinutesAgo = 16;
    expect(messages(await verify(), 'monitoring.uptime')).toEqual([
      ['fail', `The Checkly check "shop health" on ${HEALTH} has not run in the last 15 minutes although it is scheduled every 5 min: its passing status is stale (Checkly is not running it: plan limits, no location left, or a paused account).`],
    ]);
    check.lastRunMinutesAgo = null;
    expect(messages(await verify(), 'monitoring.uptime')[0]?.[0]).toBe('fail');
    check.frequency = 0;
    check.lastRunMinutesAgo = 9;
    expect(messages(await verify(), 'monitoring.uptime')[0]?.[1]).toMatch(/every 0 min from 2 locations, alerts 1 channel, and its latest run \(within the last 10 min\) passed\.$/);
    api.refuseResults(429);
    expect(messages(await verify(), 'monitoring.uptime')).toEqual([['error', 'Could not read the recent results of the Checkly check "shop health": the Checkly API rate-limited prodcheck reading the recent results of check "shop health" (HTTP 429): run again later.']]);
  });

  it('passes when one of two checks on the URL is healthy (a failing duplicate does not hide it)', async () => {
    api.addCheck({ name: 'old health', url: HEALTH, muted: true });
    expect(messages(await verify(), 'monitoring.uptime')[0]?.[0]).toBe('pass');
  });

  it('reads every page of checks, and refuses to judge more than five pages', async () => {
    api.state.checks = [];
    for (let i = 0; i < 150; i++) api.addCheck({ name: `other ${i}`, url: `https://other.example.com/${i}` });
    api.state.checks.push(check);
    expect(messages(await verify(), 'monitoring.uptime')[0]?.[0]).toBe('pass');
    for (let i = 150; i < 520; i++) api.addCheck({ name: `other ${i}`, url: `https://other.example.com/${i}` });
    expect(messages(await verify(), 'monitoring.uptime')).toEqual([['error', 'Could not read the Checkly checks: the checks run past 500 entries: prodcheck reads no further, so it cannot judge them all.']]);
  });

  it('is an error, never a pass, when the API refuses, hangs or floods; the key never shows', async () => {
    let r = await verify(targets({ apiKey: 'cu_wrong_key_0123456789' }));
    expect(messages(r, 'monitoring.uptime')).toEqual([
      ['error', 'Could not read the Checkly checks: the Checkly API refused the API key reading the checks (HTTP 401: Unauthorized): set targets checkly.apiKey to a valid user API key.'],
    ]);
    r = await verify(targets({ accountId: 'another-account' }));
    expect(messages(r, 'monitoring.uptime')).toEqual([
      ['error', "Could not read the Checkly checks: the Checkly API key may not read the checks in this account (HTTP 403: Forbidden): check targets checkly.accountId and the key's role."],
    ]);
    api.refuse(500);
    expect(messages(await verify(), 'monitoring.uptime')).toEqual([['error', 'Could not read the Checkly checks: the Checkly API answered HTTP 500: Internal Server Error reading the checks.']]);
    api.allow();
    api.misbehave('hang');
    r = await verify(targets({ timeoutMs: 300 }));
    expect(messages(r, 'monitoring.uptime')).toEqual([['error', 'Could not read the Checkly checks: could not reach the Checkly API reading the checks: the Checkly API did not answer within 300 ms.']]);
    api.misbehave('flood');
    r = await verify(targets({ timeoutMs: 20_000 }));
    expect(messages(r, 'monitoring.uptime')).toEqual([
      ['error', `Could not read the Checkly checks: could not reach the Checkly API reading the checks: the Checkly API answered with a body larger than ${16 * 1024 * 1024} bytes: prodcheck reads no further.`],
    ]);
    expect(JSON.stringify(r)).not.toContain(api.apiKey);
  });
});

describe('monitoring.status-page', () => {
  it('passes a public dashboard that answers 200 and shows the check', async () => {
    expect(messages(await verify(), 'monitoring.status-page')).toEqual([['pass', `The status page ${PAGE} answers 200 and shows "shop health".`]]);
  });

  it('names the custom domain as the public address', async () => {
    dashboard.customDomain = 'Status.shop.example.com';
    const r = await verify(targets(), specOf({ statusPage: { customUrl: 'shop-status', customDomain: 'status.shop.example.com' } }));
    expect(messages(r, 'monitoring.status-page')).toEqual([['pass', 'The status page https://status.shop.example.com/ answers 200 and shows "shop health".']]);
  });

  it('fails a missing dashboard, a private one, one whose tags select no check of the app, one that does not answer 200', async () => {
    dashboard.pageStatus = 503;
    expect(messages(await verify(), 'monitoring.status-page')).toEqual([['fail', `The status page ${PAGE} answers HTTP 503, not 200: customers cannot read it.`]]);
    dashboard.pageStatus = 200;
    dashboard.tags = ['billing'];
    expect(messages(await verify(), 'monitoring.status-page')).toEqual([
      ['fail', `The status page ${PAGE} shows no activated check of shop.example.com (it shows the checks tagged billing): it reports nothing about the app.`],
    ]);
    dashboard.tags = [];
    expect(messages(await verify(), 'monitoring.status-page')[0]?.[0]).toBe('pass');
    check.activated = false;
    expect(messages(await verify(), 'monitoring.status-page')).toEqual([
      ['fail', `The status page ${PAGE} shows no activated check of shop.example.com (it shows every check): it reports nothing about the app.`],
    ]);
    check.activated = true;
    const other = await verify(targets(), specOf({ statusPage: { customUrl: 'shop-status', customDomain: 'status.shop.example.com' } }));
    expect(messages(other, 'monitoring.status-page')).toEqual([
      ['fail', 'The Checkly dashboard "shop-status" is not served on status.shop.example.com (its custom domain is unset): https://status.shop.example.com/ shows something else or nothing.'],
    ]);
    dashboard.isPrivate = true;
    expect(messages(await verify(), 'monitoring.status-page')).toEqual([['fail', `The Checkly dashboard "shop-status" is private: customers cannot see ${PAGE}.`]]);
    dashboard.customUrl = 'renamed';
    expect(messages(await verify(), 'monitoring.status-page')).toEqual([['fail', `Checkly has no public dashboard "shop-status": the status page ${PAGE} does not exist.`]]);
  });

  it('skips without a status page in the spec; an unreachable page is an error', async () => {
    const bare = stackSpecSchema.parse({ app: { name: 'shop', domain: 'shop.example.com', canonicalHost: 'none' }, uptime: { alertEmail: 'oncall@example.com' } });
    expect(messages(await verify(targets(), bare), 'monitoring.status-page')).toEqual([['skip', 'The stack names no status page (prodcheck:uptime.statusPage).']]);
    const r = await verify(targets({ statusPageUrl: 'http://127.0.0.1:1/' }));
    expect(messages(r, 'monitoring.status-page')[0]?.[0]).toBe('error');
    expect(messages(r, 'monitoring.status-page')[0]?.[1]).toMatch(/^Could not load the status page https:\/\/shop-status\.checkly-dashboards\.com\/: /);
  });
});

describe('the spec', () => {
  it('rejects an interval Checkly does not offer, a bad location and a bad email, each with its path', () => {
    const r = stackSpecSchema.safeParse({ app: { name: 'shop', domain: 'shop.example.com' }, uptime: { alertEmail: 'nobody', frequencyMinutes: 7, locations: ['Frankfurt'], statusPage: { customUrl: 'Shop Status' } } });
    expect(r.success).toBe(false);
    const issues = r.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues).toEqual([
      'uptime.frequencyMinutes: must be one of Checkly\'s intervals: 1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440',
      'uptime.locations.0: must be a Checkly location such as us-east-1',
      'uptime.alertEmail: must be an email address',
      'uptime.statusPage.customUrl: must be a subdomain label (lower-case letters, digits and -)',
    ]);
  });
});
