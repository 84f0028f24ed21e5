import { beforeAll, describe, expect, test } from 'vitest';
import { DATADOG_AWS_ACCOUNT, integrationActions } from '../../infra/components/datadog-aws.js';
import { programProblems } from '../../infra/problems.js';
import { ConfigError, parseStackConfig, stackSpecSchema } from '../../spec/index.js';
import type { StackRun } from './helpers/mock-stack.js';
import { engineConfig, plain, resource, runStackFile, stubProviderSerialization } from './helpers/mock-stack.js';

const T = {
  externalId: 'datadog:aws/integrationExternalId:IntegrationExternalId',
  account: 'datadog:aws/integrationAccount:IntegrationAccount',
  role: 'aws:iam/role:Role',
  policy: 'aws:iam/rolePolicy:RolePolicy',
} as const;

/** prod's prodcheck:datadog with awsIntegration set to `on`. */
const prodDatadog = (on: boolean): Record<string, string> => {
  const dd = JSON.parse(engineConfig('Pulumi.prod.yaml')['prodcheck:datadog'] ?? '{}') as Record<string, unknown>;
  return { 'prodcheck:datadog': JSON.stringify({ ...dd, awsIntegration: on }) };
};

let prod: StackRun;
let off: StackRun;
beforeAll(async () => {
  stubProviderSerialization();
  prod = await runStackFile('prod');
  off = await runStackFile('prod', prodDatadog(false));
});

describe('prod: the Datadog AWS integration (prodcheck:datadog.awsIntegration)', () => {
  test('the role trusts only Datadog\'s account, and only with the external ID Datadog issued for it', () => {
    const role = resource(prod, T.role, 'chat-datadog-aws-role');
    expect(role.parent).toBe('chat-datadog');
    const inputs = plain(role.inputs) as { name: string; assumeRolePolicy: string; tags: Record<string, string> };
    expect(inputs.name).toBe('chat-prod-datadog-integration');
    expect(JSON.parse(inputs.assumeRolePolicy)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::464622532012:root' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'chat-datadog-aws-external-id-id' } } }],
    });
    expect(DATADOG_AWS_ACCOUNT).toBe('464622532012');
    const externalId = resource(prod, T.externalId, 'chat-datadog-aws-external-id');
    expect(externalId.provider?.split('::')[0]).toBe('chat-datadog-datadog');
  });

  test('the policy grants the read-only calls metric collection from RDS and ElastiCache needs, nothing else', () => {
    const policy = plain(resource(prod, T.policy, 'chat-datadog-aws-policy').inputs) as { role: string; policy: string };
    expect(policy.role).toBe('chat-prod-datadog-integration');
    expect(JSON.parse(policy.policy)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: [
            'cloudwatch:GetMetricData',
            'cloudwatch:GetMetricStatistics',
            'cloudwatch:ListMetrics',
            'tag:GetResources',
            'rds:DescribeDBInstances',
            'rds:DescribeEvents',
            'rds:ListTagsForResource',
            'elasticache:DescribeCacheClusters',
            'elasticache:DescribeEvents',
            'elasticache:ListTagsForResource',
          ],
          Resource: '*',
        },
      ],
    });
    expect(integrationActions(['AWS/RDS']).some((a) => a.startsWith('elasticache:'))).toBe(false);
  });

  test('the integration is for the stack\'s account and region, with the role and external ID, collecting only AWS/RDS and AWS/ElastiCache', () => {
    const account = resource(prod, T.account, 'chat-datadog-aws-integration');
    expect([account.parent, account.provider?.split('::')[0]]).toEqual(['chat-datadog', 'chat-datadog-datadog']);
    expect(plain(account.inputs)).toEqual({
      awsAccountId: '123456789012',
      awsPartition: 'aws',
      authConfig: { awsAuthConfigRole: { roleName: 'chat-prod-datadog-integration', externalId: 'chat-datadog-aws-external-id-id' } },
      awsRegions: { includeOnlies: ['us-east-1'] },
      metricsConfig: { enabled: true, automuteEnabled: false, collectCloudwatchAlarms: false, collectCustomMetrics: false, namespaceFilters: { includeOnlies: ['AWS/RDS', 'AWS/ElastiCache'] } },
      resourcesConfig: { extendedCollection: false, cloudSecurityPostureManagementCollection: false },
      logsConfig: { lambdaForwarder: { lambdas: [], sources: [] } },
      tracesConfig: { xrayServices: { includeOnlies: [] } },
      accountTags: ['app:chat', 'stack:prod', 'managed-by:prodcheck'],
    });
  });

  test('the component claims monitoring.metrics only when the integration is provisioned', () => {
    expect(prod.deployment.components.datadog?.provisioned.controls).toContain('monitoring.metrics');
    expect(off.deployment.components.datadog?.provisioned.controls).toEqual(['monitoring.slo', 'monitoring.dashboards']);
    expect(off.resources.filter((r) => r.type.startsWith('datadog:aws/') || r.name.startsWith('chat-datadog-aws'))).toEqual([]);
  });
});

describe('awsIntegration in config', () => {
  const problems = (config: Record<string, unknown>): string[] => {
    try {
      parseStackConfig({ 'prodcheck:app': { name: 'chat', domain: 'chat.example.com' }, ...config }, 'Pulumi.prod.yaml');
    } catch (e) {
      if (e instanceof ConfigError) return e.problems.map((p) => `${p.path}: ${p.message}`);
      throw e;
    }
    return [];
  };
  const datadog = (site = 'datadoghq.com') => ({ 'prodcheck:datadog': { site, metrics: { series: { db: 'avg:aws.rds.database_connections{*}' } }, awsIntegration: true } });

  test('opted in without RDS Postgres or ElastiCache Redis is an error saying what to do', () => {
    expect(problems({ ...datadog(), 'prodcheck:redis': { provider: 'upstash', upstash: { region: 'us-east-1' } } })).toEqual([
      "prodcheck:datadog.awsIntegration: is true, but the stack has no RDS Postgres (postgres.provider is unset) and no ElastiCache Redis (redis.provider is upstash), the databases whose CloudWatch series the Datadog AWS integration collects: drop awsIntegration (other providers' series come from the Agent or their own integration)",
    ]);
  });

  test('on ddog-gov.com it is refused: the role would trust another Datadog account', () => {
    expect(problems({ ...datadog('ddog-gov.com'), 'prodcheck:redis': { provider: 'elasticache' } })).toEqual([
      'prodcheck:datadog.awsIntegration: is not provisioned by prodcheck on ddog-gov.com (GovCloud, whose integration role trusts another Datadog account): set up the AWS integration in Datadog and drop awsIntegration',
    ]);
  });

  test('the keys are required for the integration alone, and the message says so', () => {
    const spec = stackSpecSchema.parse({ app: { name: 'a', domain: 'a.example.com' }, redis: { provider: 'elasticache' }, datadog: { metrics: { series: { redis: 'avg:aws.elasticache.curr_connections{*}' } }, awsIntegration: true } });
    const lookup = { has: () => false, isSecret: () => false };
    expect(programProblems(spec, lookup).filter((p) => p.path === 'datadog:apiKey')).toEqual([
      { path: 'datadog:apiKey', message: 'is not set, and the SLOs, dashboards and AWS integration of prodcheck:datadog need it: `pulumi config set --secret datadog:apiKey <an API key of the organization on datadoghq.com>`' },
    ]);
  });
});
