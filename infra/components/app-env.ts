import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import * as vercel from '@pulumiverse/vercel';
import type { EnvVarSpec, StackSpec, VercelSpec } from '../../spec/index.js';
import { appUrl, domainOfAddress, isSecretVar, provisionedTracingVars, sendingDomainOf } from '../../spec/index.js';
import { activeVars } from '../../spec/index.js';
import { ProvisionLog, provisions } from '../provisions.js';
import { secretSetting, setting, SETTINGS } from '../settings.js';

export const APP_ENV = provisions('infra/components/app-env.ts', [
  'vercel.project',
  'vercel.git-integration',
  'vercel.domain',
  'http.www-redirect',
  'vercel.firewall',
  'vercel.staging-environment',
  'env.required-vars',
  'env.targets',
  'env.secret-strength',
  'env.secrets-manager',
  'env.production-mode',
  'env.app-url',
  'env.database-url',
  'env.redis-url',
  'env.stripe-secret-key',
  'env.stripe-publishable-key',
  'env.stripe-webhook-secret',
  'env.stripe-price-ids',
  'env.sentry-dsn',
  'env.admin-emails',
  'env.bcrypt-rounds',
  'email.sending-domain',
  'monitoring.apm',
]);

/** The provisioned values env vars can be sourced from (undefined: the stack provisions no such thing). */
export interface EnvSources {
  readonly postgresUrl?: pulumi.Output<string>;
  readonly redisUrl?: pulumi.Output<string>;
  readonly redisRestUrl?: pulumi.Output<string>;
  readonly redisRestToken?: pulumi.Output<string>;
  readonly redisRestReadOnlyToken?: pulumi.Output<string>;
  readonly stripeWebhookSecret?: pulumi.Output<string>;
  readonly sentryDsn?: pulumi.Output<string>;
  readonly stripePriceIds: Readonly<Record<string, pulumi.Output<string>>>;
}

export interface AppEnvArgs {
  readonly spec: StackSpec;
  readonly vercel: VercelSpec;
  readonly sources: EnvSources;
}

/** Raised when a var names a source the stack does not provision; problems.ts reports these before any resource exists. */
export class MissingEnvSourceError extends Error {
  override readonly name = 'MissingEnvSourceError';
  constructor(
    readonly key: string,
    readonly from: string,
  ) {
    super(`env var ${key} is from ${from}, which this stack does not provision`);
  }
}

/**
 * The arguments of a component's explicit Vercel provider: the team is part of the desired state
 * (prodcheck:vercel.team), and vercel:apiToken, when set, goes as a secret.
 */
export function vercelProviderArgs(v: VercelSpec): vercel.ProviderArgs {
  const apiToken = setting(SETTINGS.vercelApiToken) !== undefined ? secretSetting(SETTINGS.vercelApiToken) : undefined;
  return { ...(v.team ? { team: v.team } : {}), ...(apiToken ? { apiToken } : {}) };
}

const OWASP_CATEGORIES = ['gen', 'java', 'lfi', 'ma', 'php', 'rce', 'rfi', 'sd', 'sf', 'sqli', 'xss'] as const;
const PRODUCTION_MODE_KEYS = new Set(['NODE_ENV', 'BILLING_MODE']);

/**
 * The Vercel project of the app: its git link, domains (with the www redirect), firewall, and every env
 * var of the spec with its targets, secret ones as sensitive variables fed from secret outputs.
 */
export class AppEnv extends pulumi.ComponentResource {
  readonly projectId: pulumi.Output<string>;
  readonly teamId: pulumi.Output<string>;
  readonly provisioned = new ProvisionLog(APP_ENV);

  constructor(name: string, args: AppEnvArgs, opts?: pulumi.ComponentResourceOptions) {
    super('prodcheck:app-env:AppEnv', name, {}, opts);
    const { spec, vercel: v } = args;
    const provider = new vercel.Provider(`${name}-vercel`, vercelProviderArgs(v), { parent: this });
    const parent = { parent: this, provider };

    const project = new vercel.Project(
      `${name}-project`,
      {
        name: v.project,
        framework: v.framework,
        ...(v.git ? { gitRepository: { type: v.git.type, repo: v.git.repo, productionBranch: v.git.productionBranch } } : {}),
        automaticallyExposeSystemEnvironmentVariables: true,
      },
      // Deleting the project deletes its deployments, domains and env vars: `pulumi destroy` must not.
      { ...parent, protect: true },
    );
    this.projectId = project.id;
    this.teamId = project.teamId;
    this.provisioned.claim('vercel.project');
    if (v.git) this.provisioned.claim('vercel.git-integration');

    this.domains(name, spec, v, project, parent);
    if (v.firewall) this.firewall(name, v.firewall, project, parent);
    if (v.staging) this.staging(name, v.staging, project, parent);
    this.envVars(name, spec, args.sources, project, parent);
    this.registerOutputs({ projectId: this.projectId, controls: this.provisioned.controls });
  }

  /** The canonical host, and the other one (www or apex) redirecting to it with a 308. */
  private domains(name: string, spec: StackSpec, v: VercelSpec, project: vercel.Project, opts: pulumi.CustomResourceOptions): void {
    const domain = v.domain ?? spec.app.domain;
    const www = `www.${domain}`;
    const canonical = spec.app.canonicalHost === 'www' ? www : domain;
    new vercel.ProjectDomain(`${name}-domain`, { projectId: project.id, domain: canonical }, opts);
    this.provisioned.claim('vercel.domain');
    if (spec.app.canonicalHost === 'none') return;
    const other = canonical === www ? domain : www;
    new vercel.ProjectDomain(`${name}-domain-redirect`, { projectId: project.id, domain: other, redirect: canonical, redirectStatusCode: 308 }, opts);
    this.provisioned.claim('http.www-redirect');
  }

  /** The staging custom environment, deploying its branch (when the spec names one) before production does. */
  private staging(name: string, st: NonNullable<VercelSpec['staging']>, project: vercel.Project, opts: pulumi.CustomResourceOptions): void {
    new vercel.CustomEnvironment(
      `${name}-${st.slug}`,
      { projectId: project.id, name: st.slug, description: 'Staging: deployed and checked before production', ...(st.branch !== undefined ? { branchTracking: { type: 'equals', pattern: st.branch } } : {}) },
      opts,
    );
    this.provisioned.claim('vercel.staging-environment');
  }

  private firewall(name: string, fw: NonNullable<VercelSpec['firewall']>, project: vercel.Project, opts: pulumi.CustomResourceOptions): void {
    const on = (r: string) => fw.managedRulesets.includes(r);
    new vercel.FirewallConfig(
      `${name}-firewall`,
      {
        projectId: project.id,
        enabled: fw.enabled,
        managedRulesets: {
          ...(on('owasp') ? { owasp: Object.fromEntries(OWASP_CATEGORIES.map((c) => [c, { action: 'deny', active: true }])) } : {}),
          ...(on('bot_protection') ? { botProtection: { action: 'challenge', active: true } } : {}),
          ...(on('ai_bots') ? { aiBots: { action: 'deny', active: true } } : {}),
        },
        ...(fw.ipBlocks.length > 0 ? { ipRules: { rules: fw.ipBlocks.map((ip) => ({ action: 'deny', ip, hostname: '*' })) } } : {}),
      },
      opts,
    );
    if (fw.enabled && fw.managedRulesets.length > 0) this.provisioned.claim('vercel.firewall');
  }

  private envVars(name: string, spec: StackSpec, sources: EnvSources, project: vercel.Project, opts: pulumi.CustomResourceOptions): void {
    const vars = activeVars(spec);
    // What makes the app send traces, from prodcheck:sentry.tracesSampleRate and prodcheck:otel (not a var env.vars declares).
    const tracing = new Set(provisionedTracingVars(spec).map(([key]) => key));
    for (const [key, v] of vars) {
      const secret = isSecretVar(key, v);
      const value = this.envValue(name, key, v, spec, sources, secret);
      new vercel.ProjectEnvironmentVariable(
        `${name}-env-${key}`,
        {
          projectId: project.id,
          key,
          value: secret ? pulumi.secret(value) : value,
          targets: v.targets,
          sensitive: secret,
          comment: `prodcheck: from ${v.from}`,
        },
        opts,
      );
      if (secret) this.provisioned.claim('env.secrets-manager');
      if (tracing.has(key)) this.provisioned.claim('monitoring.apm');
      if (PRODUCTION_MODE_KEYS.has(key) && v.from === 'value' && v.value === 'production') this.provisioned.claim('env.production-mode');
    }
    if (vars.length > 0) this.provisioned.claim('env.required-vars', 'env.targets');
  }

  /** The value a var is sourced from; generated secrets get their own RandomPassword. */
  private envValue(name: string, key: string, v: EnvVarSpec, spec: StackSpec, sources: EnvSources, secret: boolean): pulumi.Input<string> {
    const need = (value: pulumi.Output<string> | undefined): pulumi.Output<string> => {
      if (value === undefined) throw new MissingEnvSourceError(key, v.from);
      return value;
    };
    const claim = (id: (typeof APP_ENV.controls)[number]) => this.provisioned.claim(id);
    const price = /^stripe\.price\.(.+)$/.exec(v.from);
    if (price?.[1] !== undefined) {
      claim('env.stripe-price-ids');
      return need(sources.stripePriceIds[price[1]]);
    }
    switch (v.from) {
      case 'value':
        if (key === 'ADMIN_EMAILS') claim('env.admin-emails');
        if (key === spec.email?.fromVar && v.value !== undefined && sendingDomainOf(spec.email) === domainOfAddress(v.value)) claim('email.sending-domain');
        if (key === 'BCRYPT_ROUNDS') claim('env.bcrypt-rounds');
        return v.value ?? '';
      case 'app.url':
        claim('env.app-url');
        return appUrl(spec.app);
      case 'generated':
        claim('env.secret-strength');
        // 48 letters and digits: about 285 bits, and safe in URLs and shells.
        return new random.RandomPassword(`${name}-${key}`, { length: 48, special: false }, { parent: this }).result;
      case 'config': {
        if (key === 'STRIPE_SECRET_KEY') claim('env.stripe-secret-key');
        if (key === 'STRIPE_PUBLISHABLE_KEY') claim('env.stripe-publishable-key');
        const config = new pulumi.Config(SETTINGS.env);
        return secret ? config.requireSecret(key) : config.require(key);
      }
      case 'postgres.url':
        claim('env.database-url');
        return need(sources.postgresUrl);
      case 'redis.url':
        claim('env.redis-url');
        return need(sources.redisUrl);
      case 'redis.restUrl':
        claim('env.redis-url');
        return need(sources.redisRestUrl);
      case 'redis.restToken':
        claim('env.redis-url');
        return need(sources.redisRestToken);
      case 'redis.restReadOnlyToken':
        claim('env.redis-url');
        return need(sources.redisRestReadOnlyToken);
      case 'stripe.webhookSecret':
        claim('env.stripe-webhook-secret');
        return need(sources.stripeWebhookSecret);
      case 'sentry.dsn':
        claim('env.sentry-dsn');
        return need(sources.sentryDsn);
      case 'email.from':
        // The app sends from the address the stack states, on the domain verify checks in Resend and DNS.
        if (spec.email?.from === undefined) throw new MissingEnvSourceError(key, v.from);
        claim('email.sending-domain');
        return spec.email.from;
      default:
        throw new MissingEnvSourceError(key, v.from);
    }
  }
}
