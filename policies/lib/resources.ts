import type { PolicyResource, ResourceValidationArgs } from '@pulumi/policy';
import type { Plain, PlainMap } from './values.js';
import { asList, asMap, isUnknown, plainMap } from './values.js';

/** Type tokens of the resources the policies judge (`pulumi-nodejs:dynamic/<module>:<Type>` for dynamic providers). */
export const TYPES = {
  rdsInstance: 'aws:rds/instance:Instance',
  rdsCluster: 'aws:rds/cluster:Cluster',
  rdsParameterGroup: 'aws:rds/parameterGroup:ParameterGroup',
  securityGroup: 'aws:ec2/securityGroup:SecurityGroup',
  securityGroupRule: 'aws:ec2/securityGroupRule:SecurityGroupRule',
  ingressRule: 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule',
  kmsKey: 'aws:kms/key:Key',
  randomPassword: 'random:index/randomPassword:RandomPassword',
  replicationGroup: 'aws:elasticache/replicationGroup:ReplicationGroup',
  cacheParameterGroup: 'aws:elasticache/parameterGroup:ParameterGroup',
  upstashRedis: 'upstash:index/redisDatabase:RedisDatabase',
  vercelEnv: 'vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable',
  vercelFirewall: 'vercel:index/firewallConfig:FirewallConfig',
  stripeWebhook: 'pulumi-nodejs:dynamic/stripe:WebhookEndpoint',
  stripePrice: 'pulumi-nodejs:dynamic/stripe:Price',
  pgAccess: 'pulumi-nodejs:dynamic/postgres:Access',
  pgRole: 'postgresql:index/role:Role',
  pgGrant: 'postgresql:index/grant:Grant',
  timeRotating: 'time:index/rotating:Rotating',
  secretRotation: 'aws:secretsmanager/secretRotation:SecretRotation',
  branchProtection: 'github:index/branchProtection:BranchProtection',
} as const;

/** A resource as the policies read it: plain props (unknowns as UnknownValue) and, in stack policies, its graph. */
export interface PlainResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly props: PlainMap;
  readonly additionalSecretOutputs: readonly string[];
  /** Resources each input was computed from (stack policies only: empty in resource policies). */
  readonly propertyDependencies: Readonly<Record<string, readonly PlainResource[]>>;
}

export function fromResourceArgs(args: ResourceValidationArgs): PlainResource {
  return {
    type: args.type,
    name: args.name,
    urn: args.urn,
    props: plainMap(args.props),
    additionalSecretOutputs: args.opts.additionalSecretOutputs ?? [],
    propertyDependencies: {},
  };
}

/** Converts the stack's resources once, keeping the dependency graph between the converted objects. */
export function fromStackResources(resources: readonly PolicyResource[]): PlainResource[] {
  const byUrn = new Map<string, { -readonly [K in keyof PlainResource]: PlainResource[K] }>();
  for (const r of resources) {
    byUrn.set(r.urn, {
      type: r.type,
      name: r.name,
      urn: r.urn,
      // Named by resource: a stack policy's unknown is reported with the resource it belongs to.
      props: plainMap(r.props, r.name),
      additionalSecretOutputs: r.opts.additionalSecretOutputs ?? [],
      propertyDependencies: {},
    });
  }
  for (const r of resources) {
    const target = byUrn.get(r.urn);
    if (!target) continue;
    target.propertyDependencies = Object.fromEntries(
      Object.entries(r.propertyDependencies).map(([key, deps]) => [key, deps.map((d) => byUrn.get(d.urn)).filter((d): d is PlainResource => d !== undefined)]),
    );
  }
  return [...byUrn.values()];
}

/** `chat-db (aws:rds/instance:Instance)`, for messages about a resource other than the one reported. */
export function describe(r: PlainResource): string {
  return `${r.name} (${r.type})`;
}

/** The value of a named entry of a parameter group's `parameters` list (RDS and ElastiCache alike). */
export function parameterValue(r: PlainResource, name: string): Plain | undefined {
  const params = asList(r.props.parameters);
  if (isUnknown(params) || params === undefined) return undefined;
  for (const p of params) {
    const m = asMap(p);
    if (m !== undefined && !isUnknown(m) && m.name === name) return m.value;
  }
  return undefined;
}
