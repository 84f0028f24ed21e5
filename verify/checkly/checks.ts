import type { StackSpec } from '../../spec/index.js';
import { appUrl } from '../../spec/index.js';
import type { Check, Finding } from '../types.js';
import type { ChecklySnapshot, UptimeCheck } from './collect.js';
import { sameEndpoint } from './collect.js';

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
const named = (c: UptimeCheck) => `The Checkly check "${c.name}"`;
const theCheck = (c: UptimeCheck) => `the Checkly check "${c.name}"`;

/** One activated check on the health URL, judged: its group off, inverted, muted, blind to the status code, too slow a schedule, nobody alerted, failing results. */
function judge(c: UptimeCheck, s: ChecklySnapshot, spec: StackSpec): Finding {
  const resource = c.id;
  const every = spec.uptime?.frequencyMinutes ?? 5;
  const on = `${named(c)} on ${s.healthUrl}`;
  const detail = s.details[c.id];
  if (!detail) return { status: 'error', resource, message: `${on} was not read in detail (more checks on that URL than prodcheck reads).` };
  if (!detail.group.ok) return { status: 'error', resource, message: `Could not read the check group of ${theCheck(c)}: ${detail.group.error}.` };
  const group = detail.group.value;
  if (group && !group.activated) return { status: 'fail', resource, message: `${on} is in a deactivated check group: it runs nowhere.`, expected: 'activated', actual: 'group deactivated' };
  if (c.shouldFail) return { status: 'fail', resource, message: `${on} is inverted (shouldFail): it passes when the health route fails.`, expected: 'a check that fails on failure', actual: 'shouldFail' };
  if (c.muted || group?.muted) return { status: 'fail', resource, message: `${on} is muted${c.muted ? '' : ' by its check group'}: it runs, but its failures alert nobody.`, expected: 'not muted', actual: 'muted' };
  if (c.type === 'API' && !c.assertsStatus) return { status: 'fail', resource, message: `${on} asserts nothing about the status code: a 500 from the health route passes it.`, expected: 'a STATUS_CODE assertion', actual: 'none' };
  if (c.frequency > every) {
    const found = Number.isFinite(c.frequency) ? `every ${c.frequency} min` : 'no schedule';
    return { status: 'fail', resource, message: `${on} runs ${found}, less often than every ${every} min (prodcheck:uptime.frequencyMinutes): an outage goes unseen for too long.`, expected: `<= ${every} min`, actual: found };
  }
  if (!detail.channels.ok) return { status: 'error', resource, message: `Could not read the alert channels of ${theCheck(c)}: ${detail.channels.error}.` };
  const live = detail.channels.value.filter((ch) => !('missing' in ch) && ch.sendFailure);
  if (live.length === 0) {
    const actual = c.subscriptions.length === 0 ? 'no subscription' : `${plural(c.subscriptions.length, 'subscription')}, none active and told of failures`;
    return { status: 'fail', resource, message: `${named(c)} on ${s.healthUrl} has no active alert channel that is told of failures: when it fails, nobody hears.`, expected: 'an alert channel', actual };
  }
  if (!detail.status.ok) return { status: 'error', resource, message: `Could not read the status of ${theCheck(c)}: ${detail.status.error}.` };
  const st = detail.status.value;
  if (st === null) return { status: 'skip', resource, message: `${named(c)} on ${s.healthUrl} has no results yet: nothing says whether the health route answers.` };
  const where = st.lastRunLocation ? ` (last run from ${st.lastRunLocation})` : '';
  if (st.hasFailures || st.hasErrors) return { status: 'fail', resource, message: `${named(c)} on ${s.healthUrl} is failing${where}: the production health route does not pass.`, expected: 'passing', actual: 'failing' };
  if (st.isDegraded) return { status: 'fail', resource, message: `${named(c)} on ${s.healthUrl} is degraded${where}: the health route answers slower than the check allows.`, expected: 'passing', actual: 'degraded' };
  if (!detail.recent.ok) return { status: 'error', resource, message: `Could not read the recent results of ${theCheck(c)}: ${detail.recent.error}.` };
  const { windowMinutes, ran } = detail.recent.value;
  if (!ran) {
    return {
      status: 'fail',
      resource,
      message: `${named(c)} on ${s.healthUrl} has not run in the last ${windowMinutes} minutes although it is scheduled every ${c.frequency} min: its passing status is stale (Checkly is not running it: plan limits, no location left, or a paused account).`,
      expected: `a run within ${windowMinutes} min`,
      actual: 'none',
    };
  }
  return {
    status: 'pass',
    resource,
    message: `${named(c)} calls ${s.healthUrl} every ${c.frequency} min from ${plural(c.locations.length, 'location')}, alerts ${plural(live.length, 'channel')}, and its latest run (within the last ${windowMinutes} min) passed.`,
    // The bound the stack set: an outage is seen (and a channel told) within this many minutes.
    expected: `a passing check of ${s.healthUrl} at most ${every} minutes apart that alerts a channel`,
  };
}

export const monitoringUptime: Check<ChecklySnapshot> = {
  id: 'monitoring.uptime',
  target: 'checkly',
  connectivity: true,
  evaluate(s, spec) {
    if (!s.checks.ok) return [{ status: 'error', message: `Could not read the Checkly checks: ${s.checks.error}.` }];
    const onHealth = s.checks.value.filter((c) => c.url !== undefined && sameEndpoint(c.url, s.healthUrl));
    if (onHealth.length === 0) {
      const elsewhere = s.checks.value.filter((c) => c.url !== undefined).length;
      return [{ status: 'fail', message: `No Checkly check calls ${s.healthUrl}: nothing outside production watches its health route.`, expected: s.healthUrl, actual: `${plural(elsewhere, 'check')} on other URLs` }];
    }
    const activated = onHealth.filter((c) => c.activated);
    const first = onHealth[0] as UptimeCheck;
    if (activated.length === 0) return [{ status: 'fail', resource: first.id, message: `${named(first)} on ${s.healthUrl} is deactivated: it runs nowhere.`, expected: 'activated', actual: 'deactivated' }];
    const findings = activated.map((c) => judge(c, s, spec));
    return [findings.find((f) => f.status === 'pass') ?? (findings[0] as Finding)];
  },
};

export const monitoringStatusPage: Check<ChecklySnapshot> = {
  id: 'monitoring.status-page',
  target: 'checkly',
  evaluate(s, spec) {
    const page = s.statusPage;
    if (!page) return [{ status: 'skip', message: 'The stack names no status page (prodcheck:uptime.statusPage).' }];
    const resource = page.url;
    if (!page.dashboard.ok) return [{ status: 'error', resource, message: `Could not read the Checkly dashboards: ${page.dashboard.error}.` }];
    const d = page.dashboard.value;
    const slug = spec.uptime?.statusPage?.customUrl ?? '';
    if (d === null) return [{ status: 'fail', resource, message: `Checkly has no public dashboard "${slug}": the status page ${page.url} does not exist.`, expected: slug, actual: 'not found' }];
    const domain = spec.uptime?.statusPage?.customDomain;
    if (domain !== undefined && d.customDomain?.toLowerCase() !== domain.toLowerCase()) {
      return [{ status: 'fail', resource, message: `The Checkly dashboard "${slug}" is not served on ${domain} (its custom domain is ${d.customDomain ?? 'unset'}): ${page.url} shows something else or nothing.`, expected: domain, actual: d.customDomain ?? 'unset' }];
    }
    if (d.isPrivate) return [{ status: 'fail', resource, message: `The Checkly dashboard "${slug}" is private: customers cannot see ${page.url}.`, expected: 'public', actual: 'private' }];
    if (!s.checks.ok) return [{ status: 'error', resource, message: `Could not read the Checkly checks the status page shows: ${s.checks.error}.` }];
    const origin = new URL(appUrl(spec.app)).host.toLowerCase();
    // A dashboard without tags shows every check; with tags, the checks that carry one of them.
    const shown = s.checks.value.filter((c) => c.activated && c.url !== undefined && URL.canParse(c.url) && new URL(c.url).host.toLowerCase() === origin && (d.tags.length === 0 || c.tags.some((t) => d.tags.includes(t))));
    if (shown.length === 0) {
      const shows = d.tags.length === 0 ? 'every check' : `the checks tagged ${d.tags.join(', ')}`;
      return [{ status: 'fail', resource, message: `The status page ${page.url} shows no activated check of ${origin} (it shows ${shows}): it reports nothing about the app.`, expected: `a check of ${origin}`, actual: 'none' }];
    }
    if (!page.answer.ok) return [{ status: 'error', resource, message: `Could not load the status page ${page.url}: ${page.answer.error}.` }];
    if (page.answer.value !== 200) return [{ status: 'fail', resource, message: `The status page ${page.url} answers HTTP ${page.answer.value}, not 200: customers cannot read it.`, expected: '200', actual: String(page.answer.value) }];
    const first = shown[0] as UptimeCheck;
    const more = shown.length > 1 ? ` and ${plural(shown.length - 1, 'other')}` : '';
    return [{ status: 'pass', resource, message: `The status page ${page.url} answers 200 and shows "${first.name}"${more}.` }];
  },
};

export const CHECKLY_CHECKS: readonly Check<ChecklySnapshot>[] = [monitoringUptime, monitoringStatusPage];
