import { beforeAll, describe, expect, test } from 'vitest';
import type { StackName, StackRun } from './helpers/mock-stack.js';
import { ADMIN_URLS, countByType, envVars, plain, resource, runStackFile, stubProviderSerialization } from './helpers/mock-stack.js';

const T = {
  stack: 'pulumi:pulumi:Stack',
  database: 'prodcheck:database:Database',
  cache: 'prodcheck:cache:Cache',
  billing: 'prodcheck:billing:Billing',
  appEnv: 'prodcheck:app-env:AppEnv',
  password: 'random:index/randomPassword:RandomPassword',
  kms: 'aws:kms/key:Key',
  sg: 'aws:ec2/securityGroup:SecurityGroup',
  rdsSubnets: 'aws:rds/subnetGroup:SubnetGroup',
  rdsParams: 'aws:rds/parameterGroup:ParameterGroup',
  rds: 'aws:rds/instance:Instance',
  secret: 'aws:secretsmanager/secret:Secret',
  secretVersion: 'aws:secretsmanager/secretVersion:SecretVersion',
  role: 'aws:iam/role:Role',
  rolePolicy: 'aws:iam/rolePolicy:RolePolicy',
  rolePolicyAttachment: 'aws:iam/rolePolicyAttachment:RolePolicyAttachment',
  proxy: 'aws:rds/proxy:Proxy',
  proxyTargets: 'aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup',
  proxyTarget: 'aws:rds/proxyTarget:ProxyTarget',
  ecSubnets: 'aws:elasticache/subnetGroup:SubnetGroup',
  ecParams: 'aws:elasticache/parameterGroup:ParameterGroup',
  replicationGroup: 'aws:elasticache/replicationGroup:ReplicationGroup',
  upstash: 'upstash:index/redisDatabase:RedisDatabase',
  access: 'pulumi-nodejs:dynamic/postgres:Access',
  product: 'pulumi-nodejs:dynamic/stripe:Product',
  price: 'pulumi-nodejs:dynamic/stripe:Price',
  meter: 'pulumi-nodejs:dynamic/stripe:BillingMeter',
  webhook: 'pulumi-nodejs:dynamic/stripe:WebhookEndpoint',
  portal: 'pulumi-nodejs:dynamic/stripe:BillingPortalConfiguration',
  vercelProvider: 'pulumi:providers:vercel',
  project: 'vercel:index/project:Project',
  domain: 'vercel:index/projectDomain:ProjectDomain',
  firewall: 'vercel:index/firewallConfig:FirewallConfig',
  ci: 'prodcheck:ci:Ci',
  githubProvider: 'pulumi:providers:github',
  branchProtection: 'github:index/branchProtection:BranchProtection',
  customEnvironment: 'vercel:index/customEnvironment:CustomEnvironment',
  monitoring: 'prodcheck:monitoring:Monitoring',
  sentryProvider: 'pulumi:providers:sentry',
  sentryProject: 'sentry:index/sentryProject:SentryProject',
  sentryKey: 'sentry:index/sentryKey:SentryKey',
  issueAlert: 'sentry:index/sentryIssueAlert:SentryIssueAlert',
  metricAlert: 'sentry:index/sentryMetricAlert:SentryMetricAlert',
  dashboard: 'sentry:index/sentryDashboard:SentryDashboard',
  envVar: 'vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable',
  uptime: 'prodcheck:uptime:Uptime',
  checklyChannel: 'checkly:index/alertChannel:AlertChannel',
  checklyCheck: 'checkly:index/check:Check',
  checklyDashboard: 'checkly:index/dashboard:Dashboard',
  logDrainComponent: 'prodcheck:log-drain:LogDrain',
  logDrain: 'vercel:index/logDrain:LogDrain',
  datadog: 'prodcheck:datadog:Datadog',
  datadogProvider: 'pulumi:providers:datadog',
  slo: 'datadog:index/serviceLevelObjective:ServiceLevelObjective',
  datadogDashboard: 'datadog:index/dashboard:Dashboard',
  datadogExternalId: 'datadog:aws/integrationExternalId:IntegrationExternalId',
  datadogAwsAccount: 'datadog:aws/integrationAccount:IntegrationAccount',
} as const;

const vercelBase = { [T.stack]: 1, [T.appEnv]: 1, [T.vercelProvider]: 1, [T.project]: 1, [T.firewall]: 1 };

/** Every resource the program declares, per type, for each stack. */
const EXPECTED_COUNTS: Record<string, Record<string, number>> = {
  prod: {
    ...vercelBase,
    [T.database]: 1, [T.cache]: 1, [T.billing]: 1,
    // app, master, verifier, ElastiCache AUTH token, AUTH_SECRET, the log drain's signing secret
    [T.password]: 6,
    // the database's key and the cache's
    [T.kms]: 2, [T.sg]: 3, [T.rdsSubnets]: 1, [T.rdsParams]: 1, [T.rds]: 1,
    // the proxy's role and the enhanced-monitoring role; the role Datadog assumes and its inline policy
    [T.secret]: 1, [T.secretVersion]: 1, [T.role]: 3, [T.rolePolicy]: 2, [T.rolePolicyAttachment]: 1, [T.proxy]: 1, [T.proxyTargets]: 1, [T.proxyTarget]: 1,
    [T.ecSubnets]: 1, [T.ecParams]: 1, [T.replicationGroup]: 1,
    [T.access]: 1, [T.product]: 2, [T.price]: 2, [T.webhook]: 1, [T.portal]: 1,
    // canonicalHost none: no www redirect
    [T.domain]: 1,
    // 14 vars, ANALYTICS_ID's feature is off; SENTRY_TRACES_SAMPLE_RATE from sentry.tracesSampleRate
    [T.envVar]: 14,
    // vercel.staging: the staging custom environment
    [T.customEnvironment]: 1,
    // prodcheck:ci: main's protection on GitHub
    [T.ci]: 1, [T.githubProvider]: 1, [T.branchProtection]: 1,
    // prodcheck:sentry: the project, its key, a rule per alert condition (new-issue; error-rate and latency), the dashboard
    [T.monitoring]: 1, [T.sentryProvider]: 1, [T.sentryProject]: 1, [T.sentryKey]: 1, [T.issueAlert]: 1, [T.metricAlert]: 2, [T.dashboard]: 1,
    // prodcheck:vercel.logDrain: the drain under its own team provider (the project's and the drain's)
    [T.logDrainComponent]: 1, [T.logDrain]: 1, [T.vercelProvider]: 2,
    // prodcheck:uptime: the alert channel, the health check, the status page
    [T.uptime]: 1, [T.checklyChannel]: 1, [T.checklyCheck]: 1, [T.checklyDashboard]: 1,
    // prodcheck:datadog: the four SLOs and the dashboard under the site's provider
    [T.datadog]: 1, [T.datadogProvider]: 1, [T.slo]: 4, [T.datadogDashboard]: 1,
    // prodcheck:datadog.awsIntegration: the external ID and the integration for the account (with the role above)
    [T.datadogExternalId]: 1, [T.datadogAwsAccount]: 1,
  },
  commerce: {
    ...vercelBase,
    [T.database]: 1, [T.cache]: 1, [T.billing]: 1,
    // app, verifier, NEXTAUTH_SECRET
    [T.password]: 3,
    [T.upstash]: 1, [T.access]: 1, [T.webhook]: 1,
    [T.domain]: 2,
    // 17 vars, shopify and mailchimp off
    [T.envVar]: 13,
  },
  'llm-gateway': {
    ...vercelBase,
    [T.billing]: 1,
    // JWT_SECRET, API_KEY_SECRET
    [T.password]: 2,
    [T.product]: 3, [T.price]: 3, [T.webhook]: 1, [T.portal]: 1,
    [T.domain]: 2,
    // 14 vars plus ADMIN_EMAILS and BCRYPT_ROUNDS from prodcheck:env
    [T.envVar]: 16,
  },
  metered: {
    ...vercelBase,
    [T.database]: 1, [T.billing]: 1,
    // app, master, verifier, API_SECRET_SALT
    [T.password]: 4,
    // The instance and its read replica; enhanced monitoring's role and AWS Backup's (backup and restore policies).
    [T.kms]: 1, [T.sg]: 1, [T.rdsSubnets]: 1, [T.rdsParams]: 1, [T.rds]: 2, [T.access]: 1, [T.role]: 2, [T.rolePolicyAttachment]: 3,
    // pg.backups.restore-test: vault, daily plan, selection of the instance, restore testing plan and selection.
    'aws:backup/vault:Vault': 1, 'aws:backup/plan:Plan': 1, 'aws:backup/selection:Selection': 1,
    'aws:backup/restoreTestingPlan:RestoreTestingPlan': 1, 'aws:backup/restoreTestingSelection:RestoreTestingSelection': 1,
    [T.product]: 1, [T.meter]: 1, [T.price]: 1, [T.webhook]: 1, [T.portal]: 1,
    [T.domain]: 2,
    [T.envVar]: 12,
  },
  phonepe: {
    ...vercelBase,
    [T.cache]: 1, [T.upstash]: 1,
    [T.domain]: 2,
    [T.envVar]: 22,
  },
};

const EXTRA: Partial<Record<StackName, [Record<string, string>, string[]]>> = {
  commerce: [{ 'postgres:adminUrl': ADMIN_URLS.neon }, ['postgres:adminUrl']],
};

const runs = new Map<StackName, StackRun>();
const run = (name: StackName): StackRun => {
  const r = runs.get(name);
  if (!r) throw new Error(`${name} did not run`);
  return r;
};

beforeAll(async () => {
  stubProviderSerialization();
  for (const name of Object.keys(EXPECTED_COUNTS) as StackName[]) {
    const [extra, secrets] = EXTRA[name] ?? [{}, []];
    runs.set(name, await runStackFile(name, extra, secrets));
  }
});

describe.each(Object.keys(EXPECTED_COUNTS) as StackName[])('stack %s', (name) => {
  test('declares exactly the expected resources', () => {
    expect(countByType(run(name))).toEqual(EXPECTED_COUNTS[name]);
  });

  test('every resource is a child of a component (or the stack), and every Vercel resource uses the team provider', () => {
    const components = new Set(run(name).resources.filter((r) => r.type.startsWith('prodcheck:')).map((r) => r.name));
    for (const r of run(name).resources) {
      if (r.type.startsWith('prodcheck:') || r.type === T.stack) continue;
      expect(components.has(String(r.parent)), `${r.type} ${r.name} under ${r.parent}`).toBe(true);
      expect(r.name.startsWith(`${String(r.parent)}-`), `${r.name} is named after ${r.parent}`).toBe(true);
      if (r.type.startsWith('vercel:')) expect(r.provider).toMatch(/-vercel$/);
    }
  });
});

describe('prod: CI on GitHub', () => {
  test("main's protection requires every check of prodcheck:ci, up to date, and keeps the branch from force-pushes and deletion", () => {
    const protection = resource(run('prod'), T.branchProtection, 'chat-ci-main');
    expect(plain(protection.inputs)).toEqual({
      repositoryId: 'chat',
      pattern: 'main',
      requiredStatusChecks: [{ strict: true, contexts: ['test', 'typecheck', 'lint', 'build'] }],
      allowsDeletions: false,
      allowsForcePushes: false,
    });
    expect(protection.provider).toMatch(/chat-ci-github/);
    expect(plain(resource(run('prod'), T.githubProvider, 'chat-ci-github').inputs)).toMatchObject({ owner: 'example-org' });
  });
});

describe('prod: Vercel staging', () => {
  test('the staging custom environment tracks the staging branch, under the team provider', () => {
    const env = resource(run('prod'), T.customEnvironment, 'chat-app-staging');
    expect(plain(env.inputs)).toMatchObject({ name: 'staging', branchTracking: { type: 'equals', pattern: 'staging' } });
    expect(env.provider).toMatch(/-vercel$/);
  });
});

describe('prod: Sentry', () => {
  test('the project is protected, its key wired to SENTRY_DSN, and each alert notifies: issue owners by email, metric alerts the team', () => {
    const project = resource(run('prod'), T.sentryProject, 'chat-monitoring-project');
    expect(plain(project.inputs)).toMatchObject({ organization: 'example-org', slug: 'chat', teams: ['web'] });
    expect(project.options.protect).toBe(true);
    expect(plain(resource(run('prod'), T.issueAlert, 'chat-monitoring-new-issue').inputs)).toMatchObject({
      conditions: [{ id: 'sentry.rules.conditions.first_seen_event.FirstSeenEventCondition' }],
      actions: [{ id: 'sentry.mail.actions.NotifyEmailAction', targetType: 'IssueOwners', fallthroughType: 'ActiveMembers' }],
    });
    const email = [{ type: 'email', targetType: 'team', targetIdentifier: '4242' }];
    // The stack's thresholds: error rate critical above 10 % and warning above 5 % (failure_rate() is a ratio), p95 warning above 5 s.
    expect(plain(resource(run('prod'), T.metricAlert, 'chat-monitoring-error-rate').inputs)).toMatchObject({
      aggregate: 'failure_rate()',
      dataset: 'transactions',
      triggers: [
        { label: 'critical', alertThreshold: 0.1, thresholdType: 0, actions: email },
        { label: 'warning', alertThreshold: 0.05, thresholdType: 0, actions: email },
      ],
    });
    expect(plain(resource(run('prod'), T.metricAlert, 'chat-monitoring-latency').inputs)).toMatchObject({ aggregate: 'p95(transaction.duration)', triggers: [{ label: 'warning', alertThreshold: 5000, thresholdType: 0, actions: email }] });
    const dsn = envVars(run('prod')).get('SENTRY_DSN');
    expect(dsn && plain(dsn.inputs)).toMatchObject({ key: 'SENTRY_DSN', sensitive: false });
  });
});

describe('prod: Sentry dashboards', () => {
  test('each listed dashboard is declared with its title and the errors and p95 latency widgets of the project', () => {
    const d = plain(resource(run('prod'), T.dashboard, 'chat-monitoring-dashboard-0').inputs) as { title: string; organization: string; widgets: { title: string; queries: { aggregates: string[]; conditions: string }[] }[] };
    expect(d.title).toBe('Production health');
    expect(d.organization).toBe('example-org');
    expect(d.widgets.map((w) => [w.title, w.queries[0]?.aggregates, w.queries[0]?.conditions])).toEqual([
      ['Errors', ['count()'], 'project:chat environment:production event.type:error'],
      ['p95 latency', ['p95(transaction.duration)'], 'project:chat environment:production event.type:transaction'],
    ]);
  });
});

describe('prod: email', () => {
  test('RESEND_FROM_EMAIL is the From address of prodcheck:email, on the sending domain verify checks in Resend', () => {
    const from = envVars(run('prod')).get('RESEND_FROM_EMAIL');
    expect(from && plain(from.inputs)).toMatchObject({ key: 'RESEND_FROM_EMAIL', value: 'noreply@mail.chat.example.com', sensitive: false, targets: ['production'] });
  });
});

describe('prod: RDS', () => {
  test('the instance is encrypted with its own rotating key, private, protected, backed up and watched', () => {
    const db = plain(resource(run('prod'), T.rds, 'chat-db-instance').inputs);
    expect(db).toMatchObject({
      identifier: 'chat-prod-postgres',
      engine: 'postgres',
      engineVersion: '16',
      instanceClass: 'db.t4g.medium',
      allocatedStorage: 50,
      dbName: 'chat',
      username: 'dbadmin',
      storageEncrypted: true,
      kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/chat-db-kms',
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/chat-db-kms',
      publiclyAccessible: false,
      deletionProtection: true,
      multiAz: true,
      backupRetentionPeriod: 30,
      backupWindow: '03:00-04:00',
      maintenanceWindow: 'sun:05:00-sun:06:00',
      copyTagsToSnapshot: true,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: 'chat-prod-postgres-final',
      autoMinorVersionUpgrade: true,
      vpcSecurityGroupIds: ['chat-db-sg-id'],
      parameterGroupName: 'chat-db-params-physical',
      dbSubnetGroupName: 'chat-db-subnets-physical',
    });
    expect(plain(resource(run('prod'), T.kms, 'chat-db-kms').inputs)).toMatchObject({ enableKeyRotation: true });
    expect(plain(resource(run('prod'), T.password, 'chat-db-master-password').inputs)).toMatchObject({ length: 40, special: false });
  });

  test('the parameter group forces TLS and logs slow statements and connections', () => {
    const params = plain(resource(run('prod'), T.rdsParams, 'chat-db-params').inputs) as { family: string; parameters: { name: string; value: string }[] };
    expect(params.family).toBe('postgres16');
    expect(Object.fromEntries(params.parameters.map((p) => [p.name, p.value]))).toEqual({
      'rds.force_ssl': '1',
      log_min_duration_statement: '1000',
      log_connections: '1',
      log_disconnections: '1',
      log_lock_waits: '1',
      shared_preload_libraries: 'pg_stat_statements',
    });
  });

  test('Postgres admits only the app network and its proxy on 5432; the proxy only the app network, and reaches only the VPC', () => {
    expect(plain(resource(run('prod'), T.sg, 'chat-db-sg').inputs)).toMatchObject({
      vpcId: 'vpc-default',
      ingress: [{ protocol: 'tcp', fromPort: 5432, toPort: 5432, cidrBlocks: ['10.60.0.0/16'], securityGroups: ['chat-db-proxy-sg-id'] }],
    });
    expect(plain(resource(run('prod'), T.sg, 'chat-db-sg').inputs)).not.toHaveProperty('egress');
    expect(plain(resource(run('prod'), T.sg, 'chat-db-proxy-sg').inputs)).toMatchObject({
      ingress: [{ protocol: 'tcp', fromPort: 5432, toPort: 5432, cidrBlocks: ['10.60.0.0/16'], securityGroups: [] }],
      egress: [{ protocol: 'tcp', fromPort: 5432, toPort: 5432, cidrBlocks: ['172.31.0.0/16'] }],
    });
    expect(plain(resource(run('prod'), T.rdsSubnets, 'chat-db-subnets').inputs)).toMatchObject({ subnetIds: ['subnet-a', 'subnet-b', 'subnet-c'] });
  });

  test('RDS Proxy requires TLS and logs the app role in from its Secrets Manager secret', () => {
    expect(plain(resource(run('prod'), T.proxy, 'chat-db-proxy').inputs)).toMatchObject({
      name: 'chat-prod-proxy',
      engineFamily: 'POSTGRESQL',
      requireTls: true,
      roleArn: 'arn:aws:mock:us-east-1:123456789012:chat-db-proxy-role',
      auths: [{ authScheme: 'SECRETS', iamAuth: 'DISABLED', clientPasswordAuthType: 'POSTGRES_SCRAM_SHA_256', secretArn: 'arn:aws:mock:us-east-1:123456789012:chat-db-proxy-app-login', description: 'app' }],
    });
    expect(plain(resource(run('prod'), T.secretVersion, 'chat-db-proxy-app-login').inputs)).toMatchObject({
      secretString: JSON.stringify({ username: 'app', password: `S3CR3T-chat-db-app-password`.padEnd(40, 'x') }),
    });
    expect(plain(resource(run('prod'), T.proxyTarget, 'chat-db-proxy-target').inputs)).toMatchObject({ dbInstanceIdentifier: 'chat-prod-postgres', targetGroupName: 'default' });
    expect(plain(resource(run('prod'), T.proxyTargets, 'chat-db-proxy-targets').inputs)).toMatchObject({ connectionPoolConfig: { maxConnectionsPercent: 70 } });
  });

  test('the access rules cover the spec tables, with the master login and TLS', () => {
    expect(plain(resource(run('prod'), T.access, 'chat-db-access').inputs)).toMatchObject({
      host: 'chat-prod-postgres.c0ffee.us-east-1.rds.amazonaws.com',
      port: 5432,
      database: 'chat',
      adminUser: 'dbadmin',
      sslmode: 'require',
      appRole: 'app',
      verifierRole: 'prodcheck_verifier',
      tables: ['User', 'Chat', 'Message', 'UserTier', 'UsageRecord'],
      rls: [],
      appendOnly: [],
      __provider: 'provider:postgres-access',
    });
  });
});

describe('prod: ElastiCache', () => {
  test('the replication group is encrypted both ways, authenticated, replicated across AZs and snapshotted', () => {
    expect(plain(resource(run('prod'), T.replicationGroup, 'chat-cache-redis').inputs)).toMatchObject({
      engine: 'redis',
      engineVersion: '7.1',
      nodeType: 'cache.t4g.small',
      numCacheClusters: 2,
      automaticFailoverEnabled: true,
      multiAzEnabled: true,
      transitEncryptionEnabled: true,
      transitEncryptionMode: 'required',
      atRestEncryptionEnabled: true,
      snapshotRetentionLimit: 7,
      securityGroupIds: ['chat-cache-sg-id'],
    });
    expect(plain(resource(run('prod'), T.ecParams, 'chat-cache-params').inputs)).toMatchObject({ family: 'redis7', parameters: [{ name: 'maxmemory-policy', value: 'allkeys-lru' }] });
    expect(plain(resource(run('prod'), T.password, 'chat-cache-auth-token').inputs)).toMatchObject({ length: 64, special: false });
    expect(plain(resource(run('prod'), T.sg, 'chat-cache-sg').inputs)).toMatchObject({ ingress: [{ fromPort: 6379, toPort: 6379, cidrBlocks: ['10.60.0.0/16'], securityGroups: [] }] });
  });
});

describe('prod: Stripe and Vercel', () => {
  test('the catalogue, webhook endpoint and portal follow the spec', () => {
    expect(plain(resource(run('prod'), T.product, 'chat-billing-pro').inputs)).toMatchObject({ key: 'pro', name: 'Pro' });
    expect(plain(resource(run('prod'), T.price, 'chat-billing-premium-price').inputs)).toMatchObject({ key: 'premium', productId: 'prod_premium', unitAmount: 5000, currency: 'usd', interval: 'month', usageType: 'licensed' });
    expect(plain(resource(run('prod'), T.webhook, 'chat-billing-webhook').inputs)).toMatchObject({
      url: 'https://chat.example.com/api/webhooks/stripe',
      enabledEvents: ['checkout.session.completed', 'customer.subscription.created', 'customer.subscription.updated', 'customer.subscription.deleted', 'invoice.payment_succeeded', 'invoice.payment_failed'],
    });
    expect(plain(resource(run('prod'), T.portal, 'chat-billing-portal').inputs)).toMatchObject({
      allowCancel: true,
      allowPlanChange: true,
      products: [
        { product: 'prod_pro', prices: ['price_pro'] },
        { product: 'prod_premium', prices: ['price_premium'] },
      ],
      returnUrl: 'https://chat.example.com',
    });
  });

  test('the project is linked to the repository, on the team, behind the OWASP rules', () => {
    expect(plain(resource(run('prod'), T.vercelProvider, 'chat-app-vercel').inputs)).toMatchObject({ team: 'example-org' });
    expect(plain(resource(run('prod'), T.project, 'chat-app-project').inputs)).toMatchObject({ name: 'chat', framework: 'nextjs', gitRepository: { type: 'github', repo: 'example-org/chat', productionBranch: 'main' } });
    expect(plain(resource(run('prod'), T.domain, 'chat-app-domain').inputs)).toMatchObject({ domain: 'chat.example.com', projectId: 'prj_chat-app-project' });
    const fw = plain(resource(run('prod'), T.firewall, 'chat-app-firewall').inputs) as { enabled: boolean; managedRulesets: { owasp: Record<string, { action: string }> } };
    expect(fw.enabled).toBe(true);
    expect(Object.keys(fw.managedRulesets)).toEqual(['owasp']);
    expect(Object.values(fw.managedRulesets.owasp).every((r) => r.action === 'deny')).toBe(true);
    expect(Object.keys(fw.managedRulesets.owasp)).toHaveLength(11);
  });
});

describe('examples', () => {
  test('commerce: www is canonical and the apex redirects to it; Neon through its pooled endpoint; KV only in production', () => {
    const r = run('commerce');
    expect(plain(resource(r, T.domain, 'stormcom-app-domain').inputs)).toMatchObject({ domain: 'www.example.org' });
    expect(plain(resource(r, T.domain, 'stormcom-app-domain-redirect').inputs)).toMatchObject({ domain: 'example.org', redirect: 'www.example.org', redirectStatusCode: 308 });
    const env = envVars(r);
    expect(plain(env.get('NEXTAUTH_URL')?.inputs.value)).toBe('https://www.example.org');
    expect(plain(env.get('DATABASE_URL')?.inputs.value)).toBe(`postgresql://app:${'S3CR3T-stormcom-db-app-password'.padEnd(40, 'x')}@ep-cool-darkness-123456-pooler.us-east-2.aws.neon.tech:5432/stormcom?sslmode=require`);
    for (const key of ['KV_URL', 'KV_REST_API_URL', 'KV_REST_API_TOKEN', 'KV_REST_API_READ_ONLY_TOKEN']) expect(plain(env.get(key)?.inputs.targets)).toEqual(['production']);
    expect(plain(env.get('KV_REST_API_READ_ONLY_TOKEN')?.inputs.value)).toBe('S3CR3T-ro-stormcom-cache-redis');
    expect(plain(resource(r, T.upstash, 'stormcom-cache-redis').inputs)).toMatchObject({ databaseName: 'stormcom-commerce', region: 'global', primaryRegion: 'us-east-1', tls: true, eviction: true });
    expect(plain(resource(r, T.access, 'stormcom-db-access').inputs)).toMatchObject({ host: 'ep-cool-darkness-123456.us-east-2.aws.neon.tech', adminUser: 'neondb_owner', database: 'stormcom' });
    expect(r.outputs.postgresPoolerUrl).toBe(plain(env.get('DATABASE_URL')?.inputs.value));
  });

  test('llm-gateway: ADMIN_EMAILS and BCRYPT_ROUNDS come from prodcheck:env; three licensed prices', () => {
    const env = envVars(run('llm-gateway'));
    expect(plain(env.get('ADMIN_EMAILS')?.inputs)).toMatchObject({ value: 'admin@example.net,oncall@example.net', sensitive: false, targets: ['production'] });
    expect(plain(env.get('BCRYPT_ROUNDS')?.inputs)).toMatchObject({ value: '12', sensitive: false });
    expect(plain(env.get('STRIPE_PRICE_ENTERPRISE')?.inputs.value)).toBe('price_enterprise');
    expect(plain(env.get('NEXT_PUBLIC_APP_URL')?.inputs.value)).toBe('https://example.net');
  });

  test('llm-gateway with a Supabase admin login: the RLS tables are managed and the platform role `authenticated` stays NOLOGIN', async () => {
    const r = await runStackFile('llm-gateway', { 'postgres:adminUrl': ADMIN_URLS.supabase }, ['postgres:adminUrl']);
    expect(countByType(r)).toEqual({ ...EXPECTED_COUNTS['llm-gateway'], [T.database]: 1, [T.access]: 1, [T.password]: 3 });
    const access = plain(resource(r, T.access, 'llm-gateway-db-access').inputs) as Record<string, unknown>;
    expect(access).toMatchObject({ host: 'db.abcdefghijklmnopqrst.supabase.co', adminUser: 'postgres', appRole: 'authenticated', rls: ['users', 'api_keys', 'litellm_servers', 'usage_logs', 'rate_limits', 'billing_plans', 'invoices', 'payment_transactions'] });
    expect(access).not.toHaveProperty('appPassword');
    expect(Object.keys(r.outputs)).toContain('postgresVerifierUrl');
    expect(Object.keys(r.outputs)).not.toContain('postgresPoolerUrl');
  });

  test('metered: a Billing meter behind the metered price, no plan changes in the portal, append-only tables', () => {
    const r = run('metered');
    expect(plain(resource(r, T.meter, 'nofate-billing-metered-meter').inputs)).toMatchObject({ eventName: 'evaluation', displayName: 'Evaluations' });
    expect(plain(resource(r, T.price, 'nofate-billing-metered-price').inputs)).toMatchObject({ unitAmountDecimal: '0.5', usageType: 'metered', meterId: 'nofate-billing-metered-meter-id' });
    expect(plain(resource(r, T.portal, 'nofate-billing-portal').inputs)).toMatchObject({ allowPlanChange: false, products: [] });
    expect(plain(resource(r, T.access, 'nofate-db-access').inputs)).toMatchObject({ appendOnly: ['audit_events', 'usage_ledger'] });
    expect(plain(resource(r, T.rds, 'nofate-db-instance').inputs)).toMatchObject({ instanceClass: 'db.m6g.large', allocatedStorage: 100 });
    // PgBouncer is self-managed: as far as this program knows, the app connects to RDS directly.
    expect(plain(envVars(r).get('DATABASE_URL')?.inputs.value)).toBe(`postgresql://app:${'S3CR3T-nofate-db-app-password'.padEnd(40, 'x')}@nofate-metered-postgres.c0ffee.us-east-1.rds.amazonaws.com:5432/nofate?sslmode=require`);
  });

  test('phonepe: Upstash in its primary region, REST credentials wired, no Stripe', () => {
    const r = run('phonepe');
    expect(plain(resource(r, T.upstash, 'raptorflow-cache-redis').inputs)).toMatchObject({ region: 'global', primaryRegion: 'ap-south-1' });
    const env = envVars(r);
    expect(plain(env.get('UPSTASH_REDIS_REST_URL')?.inputs.value)).toBe('https://raptorflow-phonepe-12345.upstash.io');
    expect(plain(env.get('UPSTASH_REDIS_REST_TOKEN')?.inputs.value)).toBe('S3CR3T-rest-raptorflow-cache-redis');
    expect(Object.keys(r.outputs).filter((k) => k.startsWith('stripe'))).toEqual([]);
  });
});
