import * as aws from '@pulumi/aws';
import * as datadog from '@pulumi/datadog';
import type * as pulumi from '@pulumi/pulumi';
import { awsName, awsTags } from '../network.js';

/**
 * The AWS account Datadog assumes integration roles from, on the commercial sites (datadoghq.com, us3, us5,
 * datadoghq.eu, ap1): the principal of Datadog's role-delegation setup (docs: "The AWS Integration with
 * Terraform"). ddog-gov.com (GovCloud) is refused by the schema.
 */
export const DATADOG_AWS_ACCOUNT = '464622532012';

/** The CloudWatch namespaces of the databases the program creates, as the integration names them. */
export type AwsNamespace = 'AWS/RDS' | 'AWS/ElastiCache';

/**
 * Least privilege for metric collection from these namespaces, as Datadog documents it per service:
 * CloudWatch to list and read the metrics, the tagging API to tag the series with the resources' tags,
 * and per service the describe/list calls that name and tag each instance (and its events).
 */
export function integrationActions(namespaces: readonly AwsNamespace[]): string[] {
  const core = ['cloudwatch:GetMetricData', 'cloudwatch:GetMetricStatistics', 'cloudwatch:ListMetrics', 'tag:GetResources'];
  const rds = namespaces.includes('AWS/RDS') ? ['rds:DescribeDBInstances', 'rds:DescribeEvents', 'rds:ListTagsForResource'] : [];
  const cache = namespaces.includes('AWS/ElastiCache') ? ['elasticache:DescribeCacheClusters', 'elasticache:DescribeEvents', 'elasticache:ListTagsForResource'] : [];
  return [...core, ...rds, ...cache];
}

/** The trust policy: Datadog's account may assume the role only with the external ID Datadog issued. */
export function trustPolicy(externalId: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${DATADOG_AWS_ACCOUNT}:root` }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': externalId } } }],
  });
}

export interface DatadogAwsArgs {
  readonly app: string;
  readonly stack: string;
  readonly namespaces: readonly AwsNamespace[];
}

export interface DatadogAws {
  readonly roleArn: pulumi.Output<string>;
  readonly integrationId: pulumi.Output<string>;
}

/**
 * The Datadog AWS integration for the stack's account and region, collecting only the namespaces of the
 * databases the program creates: an external ID from Datadog, the IAM role Datadog assumes with it, its
 * read-only policy, then the integration (after the policy, so that Datadog's first assume succeeds).
 * Resource collection, CSPM, log and trace collection stay off: they need permissions this role lacks.
 */
export function createDatadogAws(name: string, args: DatadogAwsArgs, parent: pulumi.Resource, provider: datadog.Provider): DatadogAws {
  const opts = { parent };
  const identity = aws.getCallerIdentityOutput({}, opts);
  const region = aws.getRegionOutput({}, opts);
  const partition = aws.getPartitionOutput({}, opts);
  const externalId = new datadog.aws.IntegrationExternalId(`${name}-external-id`, {}, { ...opts, provider });
  const roleName = awsName(args.app, args.stack, 'datadog-integration');
  const role = new aws.iam.Role(
    `${name}-role`,
    { name: roleName, description: `Assumed by Datadog to read the CloudWatch metrics of ${args.namespaces.join(' and ')} for ${args.app} ${args.stack}`, assumeRolePolicy: externalId.id.apply(trustPolicy), tags: awsTags(args.app, args.stack) },
    opts,
  );
  const policy = new aws.iam.RolePolicy(
    `${name}-policy`,
    { role: role.name, policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: integrationActions(args.namespaces), Resource: '*' }] }) },
    opts,
  );
  const integration = new datadog.aws.IntegrationAccount(
    `${name}-integration`,
    {
      awsAccountId: identity.accountId,
      awsPartition: partition.partition,
      authConfig: { awsAuthConfigRole: { roleName: role.name, externalId: externalId.id } },
      awsRegions: { includeOnlies: [region.region] },
      metricsConfig: { enabled: true, automuteEnabled: false, collectCloudwatchAlarms: false, collectCustomMetrics: false, namespaceFilters: { includeOnlies: [...args.namespaces] } },
      resourcesConfig: { extendedCollection: false, cloudSecurityPostureManagementCollection: false },
      logsConfig: { lambdaForwarder: { lambdas: [], sources: [] } },
      tracesConfig: { xrayServices: { includeOnlies: [] } },
      accountTags: [`app:${args.app}`, `stack:${args.stack}`, 'managed-by:prodcheck'],
    },
    { ...opts, provider, dependsOn: [policy] },
  );
  return { roleArn: role.arn, integrationId: integration.id };
}
