import { describe, expect, it } from 'vitest';
import { redisAuth, redisEncryptionAtRest, redisNetworkAccess } from '../../policies/cache-hardening.js';
import { platformKmsKeys } from '../../policies/kms.js';
import { TYPES } from '../../policies/lib/resources.js';
import { pgEnhancedMonitoring, pgIamAuth, pgMultiAz } from '../../policies/rds-hardening.js';
import { loadStackFile } from '../../spec/index.js';
import { UNKNOWN, res, runResource } from './harness.js';

const instance = (props: Record<string, unknown> = {}) =>
  res(TYPES.rdsInstance, 'chat-db-instance', { engine: 'postgres', multiAz: true, monitoringInterval: 60, monitoringRoleArn: 'arn:aws:iam::123456789012:role/mon', iamDatabaseAuthenticationEnabled: true, ...props });
const group = (props: Record<string, unknown> = {}) =>
  res(TYPES.replicationGroup, 'chat-cache-redis', { engine: 'redis', atRestEncryptionEnabled: true, kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/k', transitEncryptionEnabled: true, authToken: 'x'.repeat(64), ...props });
const sg = (ingress: unknown[]) => res(TYPES.securityGroup, 'chat-cache-sg', { vpcId: 'vpc-1', ingress });
const key = (props: Record<string, unknown> = {}) => res(TYPES.kmsKey, 'chat-cache-kms', { enableKeyRotation: true, deletionWindowInDays: 30, ...props });

describe('pg.multi-az', () => {
  it('passes a Multi-AZ instance and fails a single-AZ one', async () => {
    expect((await runResource(pgMultiAz, instance())).violations).toEqual([]);
    expect((await runResource(pgMultiAz, instance({ multiAz: false }))).violations).toEqual([
      "multiAz must be true so a standby in another Availability Zone takes over when the primary's zone fails (found false)",
    ]);
    expect((await runResource(pgMultiAz, instance({ multiAz: undefined }))).violations).toEqual([
      "multiAz must be true so a standby in another Availability Zone takes over when the primary's zone fails (found not set)",
    ]);
  });

  it('does not judge read replicas, nor a non-production stack that does not ask for it', async () => {
    expect((await runResource(pgMultiAz, instance({ multiAz: false, replicateSourceDb: 'primary' }))).notApplicable).toBe('a read replica fails over with its source');
    expect((await runResource(pgMultiAz, instance({ multiAz: false }), { required: false })).notApplicable).toBe('the stack is not production and does not ask for Multi-AZ');
  });

  it('takes its config from the stack: production always requires it', () => {
    const { spec } = loadStackFile('Pulumi.prod.yaml');
    expect(pgMultiAz.configFor(spec)).toMatchObject({ required: true });
    const staging = { ...spec, app: { ...spec.app, environment: 'staging' as const }, postgres: spec.postgres && { ...spec.postgres, multiAz: false } };
    expect(pgMultiAz.configFor(staging)).toMatchObject({ required: false });
    const productionSingle = { ...spec, postgres: spec.postgres && { ...spec.postgres, multiAz: false } };
    expect(pgMultiAz.configFor(productionSingle)).toMatchObject({ required: true });
  });
});

describe('pg.enhanced-monitoring', () => {
  it('passes a 60 s interval with a role and fails monitoring off, too slow or without a role', async () => {
    expect((await runResource(pgEnhancedMonitoring, instance())).violations).toEqual([]);
    expect((await runResource(pgEnhancedMonitoring, instance({ monitoringInterval: 0, monitoringRoleArn: undefined }))).violations).toEqual([
      'monitoringInterval must be between 1 and 60 seconds so RDS publishes OS metrics (found 0)',
      'monitoringRoleArn must name the role RDS publishes enhanced monitoring with (found not set)',
    ]);
    expect((await runResource(pgEnhancedMonitoring, instance(), { maxIntervalSeconds: 15 })).violations).toEqual(['monitoringInterval must be between 1 and 15 seconds so RDS publishes OS metrics (found 60)']);
  });

  it('skips a role not known at preview', async () => {
    const out = await runResource(pgEnhancedMonitoring, instance({ monitoringRoleArn: UNKNOWN }));
    expect(out.violations).toEqual([]);
    expect(out.unknown).toBeDefined();
  });
});

describe('pg.iam-auth', () => {
  it('passes IAM authentication on and fails it off or unset', async () => {
    expect((await runResource(pgIamAuth, instance())).violations).toEqual([]);
    expect((await runResource(pgIamAuth, instance({ iamDatabaseAuthenticationEnabled: undefined }))).violations).toEqual([
      'iamDatabaseAuthenticationEnabled must be true so people and tools connect with short-lived IAM tokens instead of a shared password (found not set)',
    ]);
    expect((await runResource(pgIamAuth, instance({ iamDatabaseAuthenticationEnabled: false }))).violations).toEqual([
      'iamDatabaseAuthenticationEnabled must be true so people and tools connect with short-lived IAM tokens instead of a shared password (found false)',
    ]);
  });
});

describe('redis.network-access', () => {
  const rule = (cidrs: string[], from = 6379, to = from, protocol = 'tcp') => ({ protocol, fromPort: from, toPort: to, cidrBlocks: cidrs });
  it('passes the app network on 6379 and the world on another port', async () => {
    expect((await runResource(redisNetworkAccess, sg([rule(['10.60.0.0/16']), rule(['0.0.0.0/0'], 443)]))).violations).toEqual([]);
  });

  it('fails 6379 open to 0.0.0.0/0 or ::/0, directly, by a port range or all traffic', async () => {
    expect((await runResource(redisNetworkAccess, sg([rule(['0.0.0.0/0'])]))).violations).toEqual(["ingress from 0.0.0.0/0 reaches port 6379: admit only the app's CIDRs or security groups"]);
    expect((await runResource(redisNetworkAccess, sg([{ protocol: '-1', fromPort: 0, toPort: 0, ipv6CidrBlocks: ['::/0'] }]))).violations).toEqual([
      "ingress from ::/0 reaches port 6379: admit only the app's CIDRs or security groups",
    ]);
    expect((await runResource(redisNetworkAccess, res(TYPES.securityGroupRule, 'open', { type: 'ingress', protocol: 'tcp', fromPort: 6000, toPort: 7000, cidrBlocks: ['0.0.0.0/0'] }))).violations).toEqual([
      "ingress from 0.0.0.0/0 reaches port 6379: admit only the app's CIDRs or security groups",
    ]);
  });

  it('judges the configured port', async () => {
    expect((await runResource(redisNetworkAccess, sg([rule(['0.0.0.0/0'], 6380)]), { port: 6380 })).violations).toEqual([
      "ingress from 0.0.0.0/0 reaches port 6380: admit only the app's CIDRs or security groups",
    ]);
  });
});

describe('redis.encryption-at-rest', () => {
  it('passes encryption with a customer-managed key', async () => {
    expect((await runResource(redisEncryptionAtRest, group())).violations).toEqual([]);
  });

  it('fails encryption off, and the AWS-managed key unless allowed', async () => {
    expect((await runResource(redisEncryptionAtRest, group({ atRestEncryptionEnabled: undefined }))).violations).toEqual([
      'atRestEncryptionEnabled must be true so data and snapshots are encrypted on disk (found not set)',
    ]);
    expect((await runResource(redisEncryptionAtRest, group({ kmsKeyId: undefined }))).violations).toEqual([
      'kmsKeyId must name a customer-managed KMS key so its policy and rotation are the stack’s own (found not set: the AWS-managed key)',
    ]);
    expect((await runResource(redisEncryptionAtRest, group({ kmsKeyId: undefined }), { requireCustomerKey: false })).violations).toEqual([]);
  });
});

describe('redis.auth', () => {
  it('passes an AUTH token or RBAC user groups, and fails neither', async () => {
    expect((await runResource(redisAuth, group())).violations).toEqual([]);
    expect((await runResource(redisAuth, group({ authToken: undefined, userGroupIds: ['app-users'] }))).violations).toEqual([]);
    expect((await runResource(redisAuth, group({ authToken: undefined }))).violations).toEqual([
      'authToken (or userGroupIds for RBAC) must be set so every client authenticates (found neither: anyone who reaches the port can read and write)',
    ]);
  });

  it('skips a token not known at preview', async () => {
    expect((await runResource(redisAuth, group({ authToken: UNKNOWN }))).violations).toEqual([]);
  });
});

describe('platform.kms-keys', () => {
  it('passes a rotated key with the default policy or one naming the account', async () => {
    expect((await runResource(platformKmsKeys, key())).violations).toEqual([]);
    const named = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'root', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'kms:*', Resource: '*' }] });
    expect((await runResource(platformKmsKeys, key({ policy: named }))).violations).toEqual([]);
  });

  it('fails rotation off and a statement open to every principal without a condition', async () => {
    expect((await runResource(platformKmsKeys, key({ enableKeyRotation: undefined }))).violations).toEqual(['enableKeyRotation must be true so KMS rotates the key material every year (found not set)']);
    const open = JSON.stringify({
      Statement: [
        { Sid: 'anyone', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*' },
        { Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:CallerAccount': '123456789012' } } },
        { Effect: 'Allow', Principal: '*', Action: 'kms:Encrypt', Resource: '*' },
      ],
    });
    expect((await runResource(platformKmsKeys, key({ policy: open }))).violations).toEqual([
      'key policy statement anyone allows Principal "*" without a Condition: anyone in any account could use the key',
      'key policy statement #3 allows Principal "*" without a Condition: anyone in any account could use the key',
    ]);
    expect((await runResource(platformKmsKeys, key({ policy: '{not json' }))).violations).toEqual(['policy must be a JSON key policy (found text that does not parse)']);
  });

  it('does not ask asymmetric keys to rotate', async () => {
    expect((await runResource(platformKmsKeys, key({ enableKeyRotation: false, customerMasterKeySpec: 'RSA_2048' }))).violations).toEqual([]);
  });
});
