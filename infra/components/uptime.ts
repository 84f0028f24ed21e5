import * as checkly from '@checkly/pulumi';
import * as pulumi from '@pulumi/pulumi';
import type { StackSpec, UptimeSpec } from '../../spec/index.js';
import { healthUrlOf, UPTIME_TAG } from '../../spec/index.js';
import { ProvisionLog, provisions } from '../provisions.js';

export const UPTIME = provisions('infra/components/uptime.ts', ['monitoring.uptime', 'monitoring.status-page']);

export interface UptimeArgs {
  readonly spec: StackSpec;
  readonly uptime: UptimeSpec;
}

/**
 * External uptime on Checkly through @checkly/pulumi: an email alert channel, an activated API check on
 * the production health URL (the same URL verify judges: app URL + health path) subscribed to it, and the
 * public status page. @checkly/pulumi 1.0.0 (the release on npm) has no StatusPage resource, so the status
 * page is Checkly's public dashboard, which shows the checks tagged prodcheck-uptime. The provider reads
 * `checkly:apiKey` / `checkly:accountId` (pulumi config set --secret) or CHECKLY_API_KEY / CHECKLY_ACCOUNT_ID.
 */
export class Uptime extends pulumi.ComponentResource {
  /** The URL the check calls. */
  readonly healthUrl: string;
  readonly provisioned = new ProvisionLog(UPTIME);

  constructor(name: string, args: UptimeArgs, opts?: pulumi.ComponentResourceOptions) {
    super('prodcheck:uptime:Uptime', name, {}, opts);
    const { spec, uptime } = args;
    const parent = { parent: this };
    this.healthUrl = healthUrlOf(spec);
    const channel = new checkly.AlertChannel(`${name}-alerts`, { email: { address: uptime.alertEmail }, sendFailure: true, sendDegraded: true, sendRecovery: true }, parent);
    new checkly.Check(
      `${name}-health`,
      {
        name: `${spec.app.name} health`,
        type: 'API',
        activated: true,
        muted: false,
        frequency: uptime.frequencyMinutes,
        locations: [...uptime.locations],
        tags: [UPTIME_TAG],
        // A second run from another location before alerting: one bad network path is not an outage.
        doubleCheck: true,
        degradedResponseTime: 5_000,
        maxResponseTime: 10_000,
        request: { method: 'GET', url: this.healthUrl, followRedirects: false, assertions: [{ source: 'STATUS_CODE', comparison: 'EQUALS', target: '200' }] },
        useGlobalAlertSettings: false,
        alertSettings: { escalationType: 'RUN_BASED', runBasedEscalations: [{ failedRunThreshold: 1 }], reminders: [{ amount: 2, interval: 10 }] },
        alertChannelSubscriptions: [{ channelId: channel.id.apply(Number), activated: true }],
      },
      parent,
    );
    this.provisioned.claim('monitoring.uptime');
    if (uptime.statusPage) {
      const page = uptime.statusPage;
      new checkly.Dashboard(
        `${name}-status`,
        { customUrl: page.customUrl, ...(page.customDomain ? { customDomain: page.customDomain } : {}), header: page.header ?? `${spec.app.name} status`, tags: [UPTIME_TAG], hideTags: true, refreshRate: 60 },
        parent,
      );
      this.provisioned.claim('monitoring.status-page');
    }
    this.registerOutputs({ healthUrl: this.healthUrl, controls: this.provisioned.controls });
  }
}
