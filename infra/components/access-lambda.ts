import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { AccessEvent, AccessResult } from '../access-lambda/handler.js';
import { accessBundle } from '../access-lambda/bundle.js';

export interface AccessLambdaArgs {
  /** The access rules with the admin login, as the handler receives them (secret: it holds passwords). */
  readonly event: pulumi.Output<Omit<AccessEvent, 'tf'>>;
  /** Subnets of the database and the group the database admits on its port. */
  readonly subnetIds: pulumi.Input<string[]>;
  readonly securityGroupId: pulumi.Input<string>;
  readonly tags: Record<string, string>;
}

export interface AccessLambda {
  /** Resolves once the rules are applied: URLs wait for it, as they wait for the access resource. */
  readonly ready: pulumi.Output<string>;
  readonly result: pulumi.Output<AccessResult>;
}

/**
 * Applies the Postgres access rules from inside the VPC (postgres:accessVia lambda): a Lambda in the
 * database's subnets, invoked by aws.lambda.Invocation on create, on every change of the rules or the
 * login (lifecycleScope CRUD), so `pulumi up` needs no route to the database. It needs no NAT either:
 * the function talks to the database only, and the result returns through the Lambda service.
 */
export function createAccessLambda(name: string, args: AccessLambdaArgs, parent: pulumi.Resource): AccessLambda {
  const opts = { parent };
  const role = new aws.iam.Role(
    `${name}-role`,
    {
      description: 'The Postgres access Lambda: network interfaces in the VPC and its own logs',
      assumeRolePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
      tags: args.tags,
    },
    opts,
  );
  const vpcAccess = new aws.iam.RolePolicyAttachment(`${name}-vpc-access`, { role: role.name, policyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole' }, opts);
  const bundle = pulumi.output(accessBundle());
  const fn = new aws.lambda.Function(
    `${name}-function`,
    {
      description: 'Applies the app and verifier roles, grants, RLS and append-only rules from inside the VPC',
      runtime: aws.lambda.Runtime.NodeJS22dX,
      handler: 'index.handler',
      code: bundle.apply((b) => new pulumi.asset.AssetArchive({ 'index.js': new pulumi.asset.StringAsset(b.code) })),
      role: role.arn,
      timeout: 120,
      memorySize: 256,
      vpcConfig: { subnetIds: args.subnetIds, securityGroupIds: [args.securityGroupId] },
      tags: args.tags,
    },
    { ...opts, dependsOn: [vpcAccess] },
  );
  const invocation = new aws.lambda.Invocation(
    `${name}-invocation`,
    {
      functionName: fn.name,
      input: pulumi.secret(pulumi.jsonStringify(args.event)),
      lifecycleScope: 'CRUD',
      // A new bundle applies the rules again, with the same input.
      triggers: { code: bundle.apply((b) => b.sha256) },
    },
    { ...opts, additionalSecretOutputs: ['input', 'result'] },
  );
  const result = invocation.result.apply((r) => parseResult(r));
  return { ready: pulumi.all([invocation.id, result]).apply(([id]) => id), result };
}

/** The handler's answer; an error the function raised arrives as the Invocation's failure, not here. */
export function parseResult(text: string | undefined): AccessResult {
  if (text === undefined || text === '') return { action: 'unknown', createdRoles: [], drift: [] };
  const parsed = JSON.parse(text) as Partial<AccessResult>;
  return { action: parsed.action ?? 'unknown', createdRoles: parsed.createdRoles ?? [], drift: parsed.drift ?? [] };
}
