import * as pulumi from '@pulumi/pulumi';
import type { StackSpec } from '../spec/index.js';
import { appUrl } from '../spec/index.js';
import type { AppEnv } from './components/app-env.js';
import type { Billing } from './components/billing.js';
import type { Cache } from './components/cache.js';
import type { Ci } from './components/ci.js';
import type { Datadog } from './components/datadog.js';
import type { Database } from './components/database.js';
import type { LogDrain } from './components/log-drain.js';
import type { Monitoring } from './components/monitoring.js';
import type { Uptime } from './components/uptime.js';
import type { NeonDatabase } from './components/neon.js';
import type { SupabaseDatabase } from './components/supabase.js';

export interface Components {
  readonly database?: Database;
  readonly cache?: Cache;
  readonly billing?: Billing;
  readonly appEnv?: AppEnv;
  readonly ci?: Ci;
  readonly monitoring?: Monitoring;
  readonly logDrain?: LogDrain;
  readonly uptime?: Uptime;
  readonly supabase?: SupabaseDatabase;
  readonly neon?: NeonDatabase;
  readonly datadog?: Datadog;
}

type Outputs = Record<string, pulumi.Input<unknown>>;

/** Leaves out what the stack does not have: an undefined stack output only draws a warning. */
function defined(o: Record<string, pulumi.Input<unknown> | undefined>): Outputs {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Outputs;
}

const secret = (v: pulumi.Output<string> | undefined) => (v === undefined ? undefined : pulumi.secret(v));

/**
 * The stack outputs, named as targets.example.yaml references them (`${output:NAME}`), so that
 * `pulumi stack output --json --show-secrets > outputs.json` feeds `prodcheck verify --outputs outputs.json`.
 * Credentials are secret outputs.
 */
export function stackOutputs(spec: StackSpec, c: Components): Outputs {
  const { database: db, cache, billing, appEnv } = c;
  return defined({
    appUrl: appUrl(spec.app),
    postgresVerifierUrl: secret(db?.verifierUrl),
    postgresPoolerUrl: secret(db?.poolerUrl),
    postgresAdminUrl: secret(db?.adminUrl),
    postgresHost: db?.appHost,
    rdsInstanceId: db?.instanceId,
    restoreTestingPlanArn: db?.restoreTestingPlanArn,
    redisUrl: secret(cache?.url),
    redisHost: cache?.host,
    redisReplicationGroupId: cache?.replicationGroupId,
    kvRestApiUrl: cache?.restUrl,
    kvRestApiToken: secret(cache?.restToken),
    kvRestApiReadOnlyToken: secret(cache?.restReadOnlyToken),
    upstashDatabaseId: cache?.upstashDatabaseId,
    stripeWebhookSecret: secret(billing?.webhookSecret),
    stripeWebhookEndpointId: billing?.webhookEndpointId,
    // `${output:stripe.price.<product key>}`, as verify's stripe.priceIds hint spells it.
    stripe: billing ? { price: billing.priceIds } : undefined,
    vercelProjectId: appEnv?.projectId,
    vercelTeamId: appEnv?.teamId,
  });
}
