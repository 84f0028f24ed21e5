import { healthUrlOf, statusPageUrlOf } from '../../spec/index.js';
import { probe } from '../probe.js';
import type { CollectContext, Collector, Probe } from '../types.js';
import { ChecklyClient } from './client.js';

/** A Checkly check, reduced to what is judged. */
export interface UptimeCheck {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly activated: boolean;
  readonly muted: boolean;
  /** Inverted: the check passes when the request fails. */
  readonly shouldFail: boolean;
  /** An API check asserts the response's status code (without that, a 500 passes). */
  readonly assertsStatus: boolean;
  /** The check group it belongs to; the group's activation, mute and alert channels apply to it. */
  readonly groupId: string | undefined;
  /** The URL an API check or URL monitor requests; undefined for browser and heartbeat checks. */
  readonly url: string | undefined;
  readonly frequency: number;
  readonly locations: readonly string[];
  readonly tags: readonly string[];
  /** The check's own alert channel subscriptions. */
  readonly subscriptions: readonly { readonly alertChannelId: string; readonly activated: boolean }[];
}

export interface AlertChannel {
  readonly id: string;
  readonly type: string;
  /** Told when the check fails (sendFailure). */
  readonly sendFailure: boolean;
}

/** Checkly's current status of a check, updated as results come in. */
export interface CheckStatus {
  readonly hasFailures: boolean;
  readonly hasErrors: boolean;
  readonly isDegraded: boolean;
  readonly lastRunLocation: string | undefined;
}

/** What was read about one check on the health route: its channels (null: gone) and status (null: no results yet). */
export interface CheckDetail {
  /** The check's group (null: none, or the group is gone). */
  readonly group: Probe<{ readonly activated: boolean; readonly muted: boolean } | null>;
  readonly channels: Probe<readonly (AlertChannel | { readonly id: string; readonly missing: true })[]>;
  readonly status: Probe<CheckStatus | null>;
  /** Whether any result came in within the window a check on this schedule cannot go without a run. */
  readonly recent: Probe<RecentRuns>;
}

export interface RecentRuns {
  readonly windowMinutes: number;
  readonly ran: boolean;
}

/** Three scheduled runs, and at least 10 minutes (high-frequency checks have frequency 0). */
export function recentWindowMinutes(frequency: number): number {
  return Math.max(10, 3 * (Number.isFinite(frequency) ? frequency : 0));
}

export interface Dashboard {
  readonly id: string;
  readonly customUrl: string;
  readonly customDomain: string | undefined;
  readonly tags: readonly string[];
  readonly isPrivate: boolean;
}

export interface ChecklySnapshot {
  /** The production health URL the spec names (app URL + health path). */
  readonly healthUrl: string;
  readonly checks: Probe<readonly UptimeCheck[]>;
  /** Per check id, for the checks that call the health URL. */
  readonly details: Readonly<Record<string, CheckDetail>>;
  /** undefined: the stack names no status page. */
  readonly statusPage:
    | {
        readonly url: string;
        readonly dashboard: Probe<Dashboard | null>;
        /** The HTTP status of a GET on the page's public address. */
        readonly answer: Probe<number>;
      }
    | undefined;
}

interface WireCheck {
  readonly id: string;
  readonly name?: string;
  readonly checkType?: string;
  readonly activated?: boolean;
  readonly muted?: boolean;
  readonly shouldFail?: boolean;
  readonly groupId?: number | string | null;
  readonly frequency?: number;
  readonly locations?: readonly string[];
  readonly tags?: readonly string[];
  readonly request?: { readonly url?: string; readonly assertions?: readonly { readonly source?: string }[] | null } | null;
  readonly alertChannelSubscriptions?: readonly { readonly alertChannelId?: number | string; readonly activated?: boolean }[] | null;
}
interface WireGroup {
  readonly activated?: boolean;
  readonly muted?: boolean;
  readonly alertChannelSubscriptions?: WireCheck['alertChannelSubscriptions'];
}
interface WireChannel {
  readonly id: number | string;
  readonly type?: string;
  readonly sendFailure?: boolean;
}
interface WireStatus {
  readonly hasFailures?: boolean;
  readonly hasErrors?: boolean;
  readonly isDegraded?: boolean;
  readonly lastRunLocation?: string | null;
}
interface WireDashboard {
  readonly id: number | string;
  readonly customUrl?: string;
  readonly customDomain?: string | null;
  readonly tags?: readonly string[] | null;
  readonly isPrivate?: boolean;
}

/** A URL compared by scheme, host and path (case of the host, a trailing slash, query and fragment aside). */
export function sameEndpoint(a: string, b: string): boolean {
  const key = (s: string) => {
    if (!URL.canParse(s)) return undefined;
    const u = new URL(s);
    return `${u.protocol}//${u.host.toLowerCase()}${u.pathname.replace(/\/+$/, '')}`;
  };
  const ka = key(a);
  return ka !== undefined && ka === key(b);
}

/** Checks read in detail at most: more checks on one URL than this is a misconfiguration in itself. */
const MAX_DETAILED = 10;

function toCheck(w: WireCheck): UptimeCheck {
  return {
    id: String(w.id),
    name: w.name ?? String(w.id),
    type: w.checkType ?? 'UNKNOWN',
    activated: w.activated === true,
    muted: w.muted === true,
    shouldFail: w.shouldFail === true,
    assertsStatus: (w.request?.assertions ?? []).some((a) => a.source === 'STATUS_CODE'),
    groupId: w.groupId === null || w.groupId === undefined ? undefined : String(w.groupId),
    url: typeof w.request?.url === 'string' ? w.request.url : undefined,
    frequency: typeof w.frequency === 'number' ? w.frequency : Number.POSITIVE_INFINITY,
    locations: w.locations ?? [],
    tags: w.tags ?? [],
    subscriptions: subscriptionsOf(w.alertChannelSubscriptions),
  };
}

function subscriptionsOf(subs: WireCheck['alertChannelSubscriptions']): UptimeCheck['subscriptions'] {
  return (subs ?? []).filter((s) => s.alertChannelId !== undefined).map((s) => ({ alertChannelId: String(s.alertChannelId), activated: s.activated === true }));
}

async function readDetail(client: ChecklyClient, check: UptimeCheck): Promise<CheckDetail> {
  const wireGroup = check.groupId === undefined ? Promise.resolve(null) : client.get<WireGroup>(`/v1/check-groups/${encodeURIComponent(check.groupId)}`, `check group ${check.groupId}`);
  const windowMinutes = recentWindowMinutes(check.frequency);
  const [group, channels, status, recent] = await Promise.all([
    probe(async () => {
      const g = await wireGroup;
      return g === null ? null : { activated: g.activated !== false, muted: g.muted === true };
    }),
    probe(async () =>
      Promise.all(
        [...check.subscriptions, ...subscriptionsOf((await wireGroup)?.alertChannelSubscriptions)]
          .filter((s) => s.activated)
          .map(async (s) => {
            const c = await client.get<WireChannel>(`/v1/alert-channels/${encodeURIComponent(s.alertChannelId)}`, `alert channel ${s.alertChannelId}`);
            return c === null ? { id: s.alertChannelId, missing: true as const } : { id: String(c.id), type: c.type ?? 'UNKNOWN', sendFailure: c.sendFailure === true };
          }),
      ),
    ),
    probe(async () => {
      const s = await client.get<WireStatus>(`/v1/check-statuses/${encodeURIComponent(check.id)}`, `the status of check "${check.name}"`);
      if (s === null) return null;
      return { hasFailures: s.hasFailures === true, hasErrors: s.hasErrors === true, isDegraded: s.isDegraded === true, lastRunLocation: s.lastRunLocation ?? undefined };
    }),
    // The status endpoint keeps its last verdict when runs stop (plan limits, no location left, a paused
    // account): a result within the window is what shows the check still runs. `from` is in UNIX seconds.
    probe(async () => {
      const from = Math.floor((Date.now() - windowMinutes * 60_000) / 1000);
      const results = await client.get<readonly unknown[]>(`/v1/check-results/${encodeURIComponent(check.id)}?limit=1&from=${from}`, `the recent results of check "${check.name}"`);
      return { windowMinutes, ran: Array.isArray(results) && results.length > 0 };
    }),
  ]);
  return { group, channels, status, recent };
}

export const checklyCollector: Collector<ChecklySnapshot> = {
  target: 'checkly',
  applies(spec, targets) {
    if (!spec.uptime) return 'The stack has no prodcheck:uptime section.';
    if (!targets.checkly) return 'No checkly entry in the targets file (accountId, apiKey).';
    return undefined;
  },
  async collect(ctx: CollectContext): Promise<ChecklySnapshot> {
    const target = ctx.targets.checkly;
    const spec = ctx.spec.uptime;
    if (!target || !spec) throw new Error('the checkly family runs only when applies() found its spec and target');
    ctx.redactor.add(target.apiKey);
    const client = new ChecklyClient(target, ctx.signal);
    const healthUrl = healthUrlOf(ctx.spec);
    const page = spec.statusPage;
    const statusPage = page
      ? (async () => {
          const url = target.statusPageUrl ?? statusPageUrlOf(page);
          const [dashboard, answer] = await Promise.all([
            probe(async () => {
              const all = await client.list<WireDashboard>('/v1/dashboards', 'the dashboards');
              const d = all.find((x) => x.customUrl === page.customUrl);
              return d ? { id: String(d.id), customUrl: page.customUrl, customDomain: d.customDomain ?? undefined, tags: d.tags ?? [], isPrivate: d.isPrivate === true } : null;
            }),
            probe(() => client.pageStatus(url)),
          ]);
          return { url: statusPageUrlOf(page), dashboard, answer };
        })()
      : undefined;
    const checks = await probe(async () => (await client.list<WireCheck>('/v1/checks', 'the checks')).map(toCheck));
    const details: Record<string, CheckDetail> = {};
    if (checks.ok) {
      const onHealth = checks.value.filter((c) => c.url !== undefined && sameEndpoint(c.url, healthUrl)).slice(0, MAX_DETAILED);
      const read = await Promise.all(onHealth.map((c) => readDetail(client, c)));
      onHealth.forEach((c, i) => (details[c.id] = read[i] as CheckDetail));
    }
    return { healthUrl, checks, details, statusPage: await statusPage };
  },
};
