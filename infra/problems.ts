import type { ConfigProblem, StackSpec } from '../spec/index.js';
import { datadogProvisions, isSecretVar } from '../spec/index.js';
import { SETTINGS } from './settings.js';
import { activeVars } from '../spec/index.js';

/** What the program needs to know about config outside the prodcheck namespace. */
export interface ConfigLookup {
  has(fullKey: string): boolean;
  isSecret(fullKey: string): boolean;
  /** A plain value, for the settings whose value the program checks. */
  get?(fullKey: string): string | undefined;
}

export const ACCESS_VIA = ['direct', 'lambda'] as const;

export const FIREWALL_RULESETS = ['owasp', 'bot_protection', 'ai_bots'] as const;

const envPath = (key: string, field: string) => `prodcheck:env.vars.${key}.${field}`;

/**
 * Problems the schema cannot see: what this program can provision for the spec, and the config outside
 * the prodcheck namespace it needs. All are reported at once, before any resource is declared.
 */
export function programProblems(spec: StackSpec, config: ConfigLookup): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  /** A secret setting the program reads: not set (saying what needs it), or set in plain text. */
  const secretSetting = (setting: string, neededBy: string, value: string, plainValue = value) => {
    if (!config.has(setting)) add(setting, `is not set${neededBy}: \`pulumi config set --secret ${setting} ${value}\``);
    else if (!config.isSecret(setting)) add(setting, `holds a secret in plain text: set it again with \`pulumi config set --secret ${setting} ${plainValue}\``);
  };
  const pgProvider = spec.postgres?.provider;
  const redisProvider = spec.redis?.provider;
  const adminUrl = SETTINGS.postgresAdminUrl;

  const metricAlerts = [...new Set((spec.sentry?.alerts ?? []).map((a) => a.condition).filter((c) => c !== 'new-issue'))];
  if (spec.sentry && spec.sentry.team === undefined && metricAlerts.length > 0) {
    add('prodcheck:sentry.team', `is required to provision the ${metricAlerts.join(' and ')} alerts: name the Sentry team they notify (its slug)`);
  }
  if (spec.vercel?.logDrain && spec.vercel.logDrain.endpointHost === undefined) {
    add('prodcheck:vercel.logDrain.endpointHost', 'is required to provision the log drain: name the host of the sink it delivers to (e.g. in.logs.betterstack.com)');
  }
  for (const [key, v] of activeVars(spec)) {
    const secret = isSecretVar(key, v);
    if (secret && v.targets.includes('development')) {
      add(envPath(key, 'targets'), 'lists development, but a secret var is a Vercel sensitive variable, which exists only in production and preview');
    }
    if (v.from === 'config') {
      const setting = `${SETTINGS.env}:${key}`;
      if (secret) secretSetting(setting, '', '<value>');
      else if (!config.has(setting)) add(setting, `is not set: \`pulumi config set ${setting} <value>\``);
    }
    if (v.from === 'postgres.url' && pgProvider !== 'rds' && !config.has(adminUrl)) {
      add(envPath(key, 'from'), `is postgres.url, but this program creates no ${pgProvider ?? ''} database: set \`pulumi config set --secret ${adminUrl} postgres://<owner>:<password>@<host>/<db>\` so it can create the app role, or use from: config`);
    }
    if (v.from === 'redis.url' && redisProvider === 'self-hosted') {
      add(envPath(key, 'from'), 'is redis.url, but this program provisions no self-hosted Redis: use from: config (`pulumi config set --secret env:' + key + ' rediss://...`)');
    }
    if (v.from.startsWith('redis.rest') && redisProvider !== 'upstash') {
      add(envPath(key, 'from'), `is ${v.from}, which only an Upstash database has (prodcheck:redis.provider is ${redisProvider ?? 'not set'})`);
    }
  }

  // A Supabase project named for provisioning: its settings are changed with a Management API token.
  if (pgProvider === 'supabase' && spec.supabase?.projectRef !== undefined) {
    secretSetting(SETTINGS.supabaseAccessToken, `, and the settings of Supabase project ${spec.supabase.projectRef} (prodcheck:supabase.projectRef) need it`, 'sbp_...');
  }

  // A Neon project named for provisioning (`neon:projectId`): its settings are changed with an API key.
  if (pgProvider === 'neon' && config.has(SETTINGS.neonProjectId)) {
    secretSetting(SETTINGS.neonApiKey, ', and the settings of the Neon project in neon:projectId need it', 'napi_...');
  }

  // The SLOs, dashboards and AWS integration of prodcheck:datadog are created with the organization's API and application keys.
  if (spec.datadog && datadogProvisions(spec.datadog)) {
    const things = spec.datadog.awsIntegration ? 'the SLOs, dashboards and AWS integration' : 'the SLOs and dashboards';
    for (const [key, what] of [[SETTINGS.datadogApiKey, 'an API key'], [SETTINGS.datadogAppKey, 'an application key']] as const) {
      secretSetting(key, `, and ${things} of prodcheck:datadog need it`, `<${what} of the organization on ${spec.datadog.site}>`, `<${what}>`);
    }
  }

  // The key the Stripe objects are created with; when an env var carries it too, that var's checks said it all.
  if (spec.stripe && !activeVars(spec).some(([key, v]) => key === 'STRIPE_SECRET_KEY' && v.from === 'config')) {
    secretSetting(`${SETTINGS.env}:STRIPE_SECRET_KEY`, ', and the Stripe objects of prodcheck:stripe need it', 'sk_live_...');
  }

  const pg = spec.postgres;
  if (pg) {
    const kind = pg.pooling.kind;
    const fits = kind === 'pgbouncer' || (kind === 'rds-proxy' && pg.provider === 'rds') || kind === pg.provider;
    if (pg.pooling.enabled && !fits) add('prodcheck:postgres.pooling.kind', `is ${kind}, which a ${pg.provider} database cannot use`);
    if (config.has(adminUrl) && !config.isSecret(adminUrl)) add(adminUrl, `holds a password in plain text: set it again with \`pulumi config set --secret ${adminUrl} ...\``);
    if (pg.provider === 'rds' && config.has(adminUrl)) add(adminUrl, 'is set, but this stack creates its RDS database and logs in as its master user: remove it');
  }

  const redis = spec.redis;
  if (redis?.provider === 'elasticache') {
    if (redis.persistence === 'aof' || redis.persistence === 'aof+rdb') {
      add('prodcheck:redis.persistence', `is ${redis.persistence}, but ElastiCache for Redis 7 has no append-only file (appendonly cannot be set): use rdb (daily snapshots, Multi-AZ replicas) or provider: self-hosted`);
    }
    if (redis.persistence !== 'none' && redis.elasticache.snapshotRetentionDays < 1) {
      add('prodcheck:redis.elasticache.snapshotRetentionDays', `is 0, which keeps no snapshot: persistence ${redis.persistence} needs at least 1`);
    }
    if (!redis.tls) add('prodcheck:redis.tls', 'is false, but an ElastiCache AUTH token needs in-transit encryption: set tls: true');
  }

  const via = config.get?.(SETTINGS.postgresAccessVia);
  if (via !== undefined) {
    const key = SETTINGS.postgresAccessVia;
    if (!(ACCESS_VIA as readonly string[]).includes(via)) {
      add(key, `is "${via}": use direct (connect from where \`pulumi up\` runs) or lambda (apply the access rules from a Lambda in the database's VPC)`);
    } else if (via === 'lambda' && pgProvider !== 'rds') {
      add(key, `is lambda, but this stack creates no RDS database (postgres.provider is ${pgProvider ?? 'not set'}), so there is no VPC to put the Lambda in: use direct, with postgres:adminEndpoint for a tunnel`);
    } else if (via === 'lambda' && config.has(SETTINGS.postgresAdminEndpoint)) {
      add(SETTINGS.postgresAdminEndpoint, 'is set, but postgres:accessVia is lambda, which reaches the database from inside its VPC: remove one of them');
    }
  }

  spec.vercel?.firewall?.managedRulesets.forEach((r, i) => {
    if (!(FIREWALL_RULESETS as readonly string[]).includes(r)) add(`prodcheck:vercel.firewall.managedRulesets[${i}]`, `is "${r}": the Vercel firewall has ${FIREWALL_RULESETS.join(', ')}`);
  });

  if (!spec.vercel && activeVars(spec).length > 0) add('prodcheck:vercel', 'is required to provision prodcheck:env.vars (they are Vercel project env vars)');
  return problems;
}
