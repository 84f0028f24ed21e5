import * as pulumi from '@pulumi/pulumi';
import type { StackSpec } from '../spec/index.js';
import { appUrl, ciRepository, ConfigError, datadogProvisions } from '../spec/index.js';
import { AppEnv } from './components/app-env.js';
import { Billing } from './components/billing.js';
import { Cache, cacheNetwork } from './components/cache.js';
import { Ci } from './components/ci.js';
import { Datadog } from './components/datadog.js';
import type { AwsNamespace } from './components/datadog-aws.js';
import { Database } from './components/database.js';
import { LogDrain } from './components/log-drain.js';
import { Monitoring } from './components/monitoring.js';
import { Uptime } from './components/uptime.js';
import { NeonDatabase } from './components/neon.js';
import { SupabaseDatabase } from './components/supabase.js';
import { readProgramConfig } from './config.js';
import { activeVars } from '../spec/index.js';
import type { Components } from './outputs.js';
import { stackOutputs } from './outputs.js';
import { programProblems } from './problems.js';
import { isSecretSetting, secretSetting, setting, SETTINGS } from './settings.js';

export interface Deployment {
  readonly spec: StackSpec;
  readonly components: Components;
  readonly outputs: Record<string, pulumi.Input<unknown>>;
}

/**
 * The options of a component named `${app}-${suffix}`: aliases from the names it had under earlier app
 * names (`app:previousNames`). The engine carries a parent's alias to each child whose name starts with the
 * parent's, so the instances, keys and caches inside keep their URNs too.
 */
export function renamedFrom(previous: string | undefined, app: string, suffix: string): pulumi.ComponentResourceOptions {
  const names = (previous ?? '').split(',').map((n) => n.trim()).filter((n) => n !== '' && n !== app);
  return names.length === 0 ? {} : { aliases: names.map((n) => ({ name: `${n}-${suffix}` })) };
}

/** Declares every resource of the spec; the components are children of the stack, named after the app. */
export function declareStack(spec: StackSpec, stack: string): Deployment {
  const app = spec.app.name;
  const renamed = (suffix: string) => renamedFrom(setting(SETTINGS.appPreviousNames), app, suffix);
  const vars = activeVars(spec);
  const adminUrl = setting(SETTINGS.postgresAdminUrl) !== undefined ? secretSetting(SETTINGS.postgresAdminUrl) : undefined;
  const adminEndpoint = setting(SETTINGS.postgresAdminEndpoint);
  const caCert = setting(SETTINGS.postgresCaCert);
  const accessVia = setting(SETTINGS.postgresAccessVia) === 'lambda' ? 'lambda' : 'direct';

  const pg = spec.postgres;
  if (pg?.provider === 'rds' && !pg.network.publiclyAccessible && accessVia === 'direct' && adminEndpoint === undefined) {
    pulumi.log.warn(
      'The RDS database is private and postgres:accessVia is direct: the access rules are applied from this machine, which needs a route into the VPC. From a laptop or a GitHub-hosted runner set `pulumi config set postgres:accessVia lambda` (README: Provision with Pulumi).',
    );
  }
  const database =
    pg && (pg.provider === 'rds' || adminUrl)
      ? new Database(`${app}-db`, {
          spec: pg,
          app,
          stack,
          appLogin: vars.some(([, v]) => v.from === 'postgres.url'),
          ...(adminUrl ? { adminUrl } : {}),
          ...(adminEndpoint ? { adminEndpoint } : {}),
          ...(caCert ? { caCert } : {}),
          accessVia,
        }, renamed('db'))
      : undefined;
  // A Supabase project named in prodcheck:supabase.projectRef gets its database settings (problems.ts requires the token).
  const supabaseRef = pg?.provider === 'supabase' ? spec.supabase?.projectRef : undefined;
  const supabaseBaseUrl = setting(SETTINGS.supabaseBaseUrl);
  const supabase =
    pg && supabaseRef !== undefined
      ? new SupabaseDatabase(`${app}-supabase`, { postgres: pg, supabase: spec.supabase, projectRef: supabaseRef, accessToken: secretSetting(SETTINGS.supabaseAccessToken), ...(supabaseBaseUrl ? { baseUrl: supabaseBaseUrl } : {}) }, renamed('supabase'))
      : undefined;
  // A Neon project named in `neon:projectId` gets its history retention, IP Allow list and protected production
  // branch (problems.ts requires `neon:apiKey` as a secret).
  const neonProject = pg?.provider === 'neon' ? setting(SETTINGS.neonProjectId) : undefined;
  const neonBranch = setting(SETTINGS.neonBranch);
  const neonBaseUrl = setting(SETTINGS.neonBaseUrl);
  const neon =
    pg && neonProject !== undefined
      ? new NeonDatabase(`${app}-neon`, { spec: pg, projectId: neonProject, apiKey: secretSetting(SETTINGS.neonApiKey), ...(neonBranch ? { branch: neonBranch } : {}), ...(neonBaseUrl ? { baseUrl: neonBaseUrl } : {}) }, renamed('neon'))
      : undefined;
  const cache = spec.redis && spec.redis.provider !== 'self-hosted' ? new Cache(`${app}-cache`, { spec: spec.redis, app, stack, network: cacheNetwork(spec.redis, pg) }, renamed('cache')) : undefined;
  const billing = spec.stripe ? new Billing(`${app}-billing`, { spec: spec.stripe, apiKey: secretSetting(`${SETTINGS.env}:STRIPE_SECRET_KEY`), appUrl: appUrl(spec.app) }, renamed('billing')) : undefined;
  const monitoring = spec.sentry ? new Monitoring(`${app}-monitoring`, { spec: spec.sentry }, renamed('monitoring')) : undefined;
  const appEnv = spec.vercel
    ? new AppEnv(`${app}-app`, {
        spec,
        vercel: spec.vercel,
        sources: {
          ...(database?.appUrl ? { postgresUrl: database.appUrl } : {}),
          ...(cache ? { redisUrl: cache.url } : {}),
          ...(cache?.restUrl ? { redisRestUrl: cache.restUrl } : {}),
          ...(cache?.restToken ? { redisRestToken: cache.restToken } : {}),
          ...(cache?.restReadOnlyToken ? { redisRestReadOnlyToken: cache.restReadOnlyToken } : {}),
          ...(billing ? { stripeWebhookSecret: billing.webhookSecret } : {}),
          ...(monitoring ? { sentryDsn: monitoring.dsn } : {}),
          stripePriceIds: billing?.priceIds ?? {},
        },
      }, renamed('app'))
    : undefined;
  const drainHost = spec.vercel?.logDrain?.endpointHost;
  const logDrain = spec.vercel && appEnv && drainHost ? new LogDrain(`${app}-logs`, { vercel: spec.vercel, drain: { endpointHost: drainHost }, projectId: appEnv.projectId }, renamed('logs')) : undefined;
  const uptime = spec.uptime ? new Uptime(`${app}-uptime`, { spec, uptime: spec.uptime }, renamed('uptime')) : undefined;
  // SLOs and dashboards, and with awsIntegration the AWS integration that collects the CloudWatch series of the
  // RDS and ElastiCache databases created here; other series flow from the Agent and APM (problems.ts requires the keys).
  const ddNamespaces: AwsNamespace[] = [...(pg?.provider === 'rds' ? ['AWS/RDS' as const] : []), ...(spec.redis?.provider === 'elasticache' ? ['AWS/ElastiCache' as const] : [])];
  const ddAws = spec.datadog?.awsIntegration ? { aws: { app, stack, namespaces: ddNamespaces } } : {};
  const datadog = spec.datadog && datadogProvisions(spec.datadog) ? new Datadog(`${app}-datadog`, { spec: spec.datadog, apiKey: secretSetting(SETTINGS.datadogApiKey), appKey: secretSetting(SETTINGS.datadogAppKey), ...ddAws }, renamed('datadog')) : undefined;
  const repository = ciRepository(spec);
  const ci = spec.ci && repository ? new Ci(`${app}-ci`, { spec: spec.ci, ...repository }, renamed('ci')) : undefined;
  const components: Components = { ...(database ? { database } : {}), ...(cache ? { cache } : {}), ...(billing ? { billing } : {}), ...(appEnv ? { appEnv } : {}), ...(ci ? { ci } : {}), ...(monitoring ? { monitoring } : {}), ...(logDrain ? { logDrain } : {}), ...(uptime ? { uptime } : {}), ...(supabase ? { supabase } : {}), ...(neon ? { neon } : {}), ...(datadog ? { datadog } : {}) };
  return { spec, components, outputs: stackOutputs(spec, components) };
}

/**
 * Reads the StackSpec from the engine's config and declares the stack. Config problems (the schema's and
 * this program's) are reported together, the way the CLI reports them, without a stack trace.
 */
export function deploy(): Deployment {
  try {
    const { spec, stack, file } = readProgramConfig();
    const problems = programProblems(spec, { has: (key) => setting(key) !== undefined, isSecret: isSecretSetting, get: setting });
    if (problems.length > 0) throw new ConfigError(file, problems);
    return declareStack(spec, stack);
  } catch (e) {
    if (e instanceof ConfigError) throw new pulumi.RunError(e.message);
    throw e;
  }
}

/** The program `pulumi up` runs: its result is the stack's outputs. */
export async function program(): Promise<Record<string, pulumi.Input<unknown>>> {
  return deploy().outputs;
}
