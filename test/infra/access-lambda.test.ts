import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, test } from 'vitest';
import { deploy } from '../../infra/program.js';
import type { StackRun } from './helpers/mock-stack.js';
import { envVars, isSecretWire, plain, resource, runMockStack, stackConfig, STACK_FILES, stubProviderSerialization } from './helpers/mock-stack.js';

const SG = 'aws:ec2/securityGroup:SecurityGroup';
const FN = 'aws:lambda/function:Function';
const INVOCATION = 'aws:lambda/invocation:Invocation';
type Obj = Record<string, unknown>;

let lambda: StackRun;
beforeAll(async () => {
  stubProviderSerialization();
  const { config, secretKeys } = stackConfig(STACK_FILES.prod);
  lambda = await runMockStack({ ...config, 'postgres:accessVia': 'lambda' }, secretKeys, deploy);
});

describe('postgres:accessVia lambda (a private RDS database, `pulumi up` from outside the VPC)', () => {
  test('declares no access resource that would connect from the machine running pulumi up', () => {
    expect(lambda.resources.filter((r) => r.type === 'pulumi-nodejs:dynamic/postgres:Access')).toEqual([]);
  });

  test('a Lambda in the database’s subnets, behind a group the database admits on 5432, that may only reach 5432', () => {
    const fn = plain(resource(lambda, FN, 'chat-db-access-function').inputs) as Obj;
    expect(fn).toMatchObject({ runtime: 'nodejs22.x', handler: 'index.handler', timeout: 120, vpcConfig: { subnetIds: ['subnet-a', 'subnet-b', 'subnet-c'], securityGroupIds: ['chat-db-access-sg-id'] } });
    const db = plain(resource(lambda, SG, 'chat-db-sg').inputs) as { ingress: Obj[] };
    expect(db.ingress).toEqual([expect.objectContaining({ fromPort: 5432, toPort: 5432, securityGroups: ['chat-db-proxy-sg-id', 'chat-db-access-sg-id'] })]);
    const access = plain(resource(lambda, SG, 'chat-db-access-sg').inputs) as Obj;
    expect(access.ingress).toBeUndefined();
    expect(access.egress).toEqual([{ protocol: 'tcp', fromPort: 5432, toPort: 5432, cidrBlocks: ['172.31.0.0/16'], description: 'to the database' }]);
    const attachment = plain(resource(lambda, 'aws:iam/rolePolicyAttachment:RolePolicyAttachment', 'chat-db-access-vpc-access').inputs) as Obj;
    expect(attachment.policyArn).toBe('arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole');
  });

  test('the code is an archive (its content, the bundle, runs against a real Postgres in access-lambda-bundle.test.ts)', () => {
    expect(resource(lambda, FN, 'chat-db-access-function').inputs.code).toMatchObject({ __pulumiArchive: true });
  });

  test('invoked on create, update and delete with the rules and the master login, as a secret', () => {
    const inv = resource(lambda, INVOCATION, 'chat-db-access-invocation');
    expect(plain(inv.inputs.lifecycleScope)).toBe('CRUD');
    expect(isSecretWire(inv.inputs.input)).toBe(true);
    const input = JSON.parse(String(plain(inv.inputs.input))) as Obj;
    expect(input).toMatchObject({
      host: 'chat-prod-postgres.c0ffee.us-east-1.rds.amazonaws.com',
      port: 5432,
      database: 'chat',
      adminUser: 'dbadmin',
      sslmode: 'require',
      appRole: 'app',
      verifierRole: 'prodcheck_verifier',
      claim: 'prodcheck:prodcheck/prod/chat-db',
    });
    expect(String(input.adminPassword)).toMatch(/^S3CR3T-chat-db-master-password/);
  });

  test('POSTGRES_URL is still the app role through the proxy, handed out after the invocation', () => {
    expect(String(plain(envVars(lambda).get('POSTGRES_URL')?.inputs.value))).toMatch(/^postgresql:\/\/app:S3CR3T-chat-db-app-password\w*@chat-prod-proxy\.proxy-c0ffee\.us-east-1\.rds\.amazonaws\.com:5432\/chat\?sslmode=require$/);
  });
});

describe('postgres:accessVia errors', () => {
  async function failure(extra: Record<string, string>, file: string = STACK_FILES.prod): Promise<string> {
    const { config, secretKeys } = stackConfig(file);
    await pulumi.runtime.setMocks({ newResource: () => ({ id: undefined, state: {} }), call: () => ({}) }, 'prodcheck', 'prod');
    pulumi.runtime.setAllConfig({ ...config, ...extra }, [...secretKeys]);
    try {
      deploy();
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error('deploy() accepted the config');
  }

  test('an unknown mode, lambda without RDS, and lambda with a tunnel endpoint', async () => {
    expect(await failure({ 'postgres:accessVia': 'ssm' })).toContain('postgres:accessVia: is "ssm": use direct (connect from where `pulumi up` runs) or lambda (apply the access rules from a Lambda in the database\'s VPC)');
    expect(await failure({ 'postgres:accessVia': 'lambda', 'postgres:adminEndpoint': '127.0.0.1:15432' })).toContain(
      'postgres:adminEndpoint: is set, but postgres:accessVia is lambda, which reaches the database from inside its VPC: remove one of them',
    );
    expect(await failure({ 'postgres:accessVia': 'lambda' }, STACK_FILES.phonepe)).toContain(
      'postgres:accessVia: is lambda, but this stack creates no RDS database (postgres.provider is supabase), so there is no VPC to put the Lambda in: use direct, with postgres:adminEndpoint for a tunnel',
    );
  });
});

describe('the prod stack with the Lambda passes the policies that judge what it adds', () => {
  test('network, KMS and RDS hardening policies report nothing on any of its resources', async () => {
    const { CACHE_HARDENING_POLICIES } = await import('../../policies/cache-hardening.js');
    const { RDS_HARDENING_POLICIES } = await import('../../policies/rds-hardening.js');
    const { KMS_POLICIES } = await import('../../policies/kms.js');
    const { pgNetworkAccess } = await import('../../policies/database.js');
    const { res, runResource } = await import('../policies/harness.js');
    const policies = [...CACHE_HARDENING_POLICIES, ...RDS_HARDENING_POLICIES, ...KMS_POLICIES, pgNetworkAccess];
    const violations: string[] = [];
    let judged = 0;
    for (const r of lambda.resources) {
      for (const p of policies) {
        const out = await runResource(p, res(r.type, r.name, plain(r.inputs) as Record<string, unknown>), { required: true });
        if (out.notApplicable === undefined) judged++;
        violations.push(...out.violations.map((v) => `${p.id} ${r.name}: ${v}`));
      }
    }
    expect(violations).toEqual([]);
    // 4 security groups x 2 port policies, the instance x 4, its parameter group, the replication group x 2, 2 keys.
    expect(judged).toBe(17);
  });
});
