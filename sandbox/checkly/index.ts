import type { StackSpec } from '../../spec/index.js';
import { healthUrlOf, UPTIME_TAG } from '../../spec/index.js';
import type { ChecklyApiServer, FakeDashboard } from '../../test/fixtures/checkly-api/index.js';
import { startChecklyApi } from '../../test/fixtures/checkly-api/index.js';
import { FaultNotPlantableError, plantFault } from '../fault.js';
import type { SandboxContext, SandboxFamily, SandboxRunning } from '../types.js';
import { stopOnError } from '../stop-on-error.js';

const FAULTS: Readonly<Record<string, (api: ChecklyApiServer, page: FakeDashboard | undefined) => void>> = {
  // The health route started failing from every location (a bad deploy): the check is red.
  'monitoring.uptime': (api) => {
    for (const c of api.state.checks) c.status = { hasFailures: true, hasErrors: false, isDegraded: false, lastRunLocation: c.locations[0] ?? 'us-east-1' };
  },
  // Someone switched the public dashboard to private during an incident: customers get a login page.
  'monitoring.status-page': (_api, page) => {
    if (!page) throw new FaultNotPlantableError('monitoring.status-page', 'the stack names no status page (prodcheck:uptime.statusPage)');
    page.isPrivate = true;
  },
};

/**
 * The local Checkly account the stack's uptime section describes, as `pulumi up` provisions it: an email
 * alert channel, an activated API check on the production health URL subscribed to it (passing), and the
 * public dashboard that shows it. Phase 1: it needs nothing from the other families.
 */
export const checklySandbox: SandboxFamily = {
  name: 'checkly',
  phase: 1,
  applies: (spec) => spec.uptime !== undefined,
  breakable: Object.keys(FAULTS),
  async start(spec: StackSpec, ctx: SandboxContext, breaks: ReadonlySet<string>): Promise<SandboxRunning> {
    const uptime = spec.uptime;
    if (!uptime) throw new Error('the checkly sandbox started for a stack without a prodcheck:uptime section (applies() says so)');
    const api = await startChecklyApi();
    return stopOnError(api, async () => {
      const channel = api.addEmailChannel(uptime.alertEmail);
      const url = healthUrlOf(spec);
      api.addCheck({
        name: `${spec.app.name} health`,
        url,
        frequency: uptime.frequencyMinutes,
        locations: [...uptime.locations],
        tags: [UPTIME_TAG],
        subscriptions: [{ alertChannelId: channel.id, activated: true }],
        status: { hasFailures: false, hasErrors: false, isDegraded: false, lastRunLocation: uptime.locations[0] ?? 'us-east-1' },
      });
      const page = uptime.statusPage ? api.addDashboard(uptime.statusPage.customUrl, [UPTIME_TAG]) : undefined;
      if (page && uptime.statusPage?.customDomain) page.customDomain = uptime.statusPage.customDomain;
      for (const control of breaks) {
        await plantFault(control, () => FAULTS[control]?.(api, page));
        ctx.log(`checkly: planted the ${control} fault`);
      }
      return {
        targets: { checkly: { accountId: api.accountId, apiKey: api.apiKey, baseUrl: api.url, timeoutMs: 10_000, ...(page ? { statusPageUrl: api.pageUrl(page) } : {}) } },
        secrets: [api.apiKey],
        describe: [`checkly   ${api.url} (local Checkly API: a check on ${url}${page ? `, status page ${api.pageUrl(page)}` : ''}) — the API key is in the targets file`],
        stop: () => api.stop(),
      };
    });
  },
};
