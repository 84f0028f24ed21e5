import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

export interface Network {
  readonly vpcId: pulumi.Output<string>;
  readonly cidrBlock: pulumi.Output<string>;
  readonly subnetIds: pulumi.Output<string[]>;
}

/**
 * The VPC and subnets a database or cache goes into: the spec's subnets (their VPC found from the first),
 * else the spec's VPC and all its subnets, else the account's default VPC.
 */
export function resolveNetwork(spec: { readonly vpcId?: string | undefined; readonly subnetIds: readonly string[] }, opts: pulumi.InvokeOutputOptions): Network {
  const first = spec.subnetIds[0];
  const vpcId: pulumi.Output<string> =
    spec.vpcId !== undefined ? pulumi.output(spec.vpcId) : first !== undefined ? aws.ec2.getSubnetOutput({ id: first }, opts).vpcId : aws.ec2.getVpcOutput({ default: true }, opts).id;
  const vpc = aws.ec2.getVpcOutput({ id: vpcId }, opts);
  const subnetIds = spec.subnetIds.length > 0 ? pulumi.output([...spec.subnetIds]) : aws.ec2.getSubnetsOutput({ filters: [{ name: 'vpc-id', values: [vpcId] }] }, opts).ids;
  return { vpcId, cidrBlock: vpc.cidrBlock, subnetIds };
}

/** A name AWS accepts for identifiers (lower-case letters, digits, single hyphens, a letter first). */
export function awsName(...parts: string[]): string {
  const name = parts
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-$/, '');
  return name.slice(0, 63).replace(/-$/, '');
}

/** The standard tags on every AWS resource of the stack. */
export function awsTags(app: string, stack: string): Record<string, string> {
  return { app, stack, 'managed-by': 'prodcheck' };
}
