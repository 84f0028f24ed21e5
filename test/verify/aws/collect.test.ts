import { DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeReplicationGroupsCommand, ElastiCacheClient, ReplicationGroupNotFoundFault } from '@aws-sdk/client-elasticache';
import { DBInstanceNotFoundFault, DescribeDBInstancesCommand, DescribeDBSnapshotsCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { StackSpec } from '../../../spec/index.js';
import { stackSpecSchema, targetsSchema } from '../../../spec/index.js';
import { awsCollector, awsFamily } from '../../../verify/aws/index.js';
import { Redactor } from '../../../report/redact.js';
import { runVerify } from '../../../verify/runner.js';
import type { Report } from '../../../report/types.js';

const rds = mockClient(RDSClient);
const ec2 = mockClient(EC2Client);
const cache = mockClient(ElastiCacheClient);

const spec: StackSpec = stackSpecSchema.parse({
  app: { name: 'chat', domain: 'chat.example.com' },
  postgres: { provider: 'rds', network: { allowedCidrs: ['10.60.0.0/16'] } },
  redis: { provider: 'elasticache', persistence: 'rdb', ha: true },
});
const targets = targetsSchema.parse({ aws: { region: 'us-east-1', rdsInstanceId: 'chat-db', replicationGroupId: 'chat-cache' } });
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);

function seed(): void {
  rds.reset();
  ec2.reset();
  cache.reset();
  rds.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: 'chat-db' }).resolves({
    DBInstances: [
      {
        DBInstanceIdentifier: 'chat-db',
        DBInstanceStatus: 'available',
        Engine: 'postgres',
        EngineVersion: '16.4',
        DBInstanceClass: 'db.t4g.medium',
        PubliclyAccessible: false,
        StorageEncrypted: true,
        KmsKeyId: 'arn:aws:kms:us-east-1:111122223333:key/abc',
        BackupRetentionPeriod: 30,
        PreferredBackupWindow: '03:00-04:00',
        LatestRestorableTime: hoursAgo(0.2),
        DeletionProtection: true,
        Endpoint: { Address: 'chat-db.abc.us-east-1.rds.amazonaws.com', Port: 5432 },
        VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-db', Status: 'active' }],
      },
    ],
  });
  rds
    .on(DescribeDBSnapshotsCommand, { DBInstanceIdentifier: 'chat-db', SnapshotType: 'automated', Marker: undefined })
    .resolves({ DBSnapshots: [{ DBSnapshotIdentifier: 'rds:chat-db-old', SnapshotCreateTime: hoursAgo(30), Status: 'available' }], Marker: 'page-2' })
    .on(DescribeDBSnapshotsCommand, { Marker: 'page-2' })
    .resolves({
      DBSnapshots: [
        { DBSnapshotIdentifier: 'rds:chat-db-new', SnapshotCreateTime: hoursAgo(6), Status: 'available' },
        { DBSnapshotIdentifier: 'rds:chat-db-running', SnapshotCreateTime: hoursAgo(0.1), Status: 'creating' },
      ],
    });
  ec2.on(DescribeSecurityGroupsCommand, { GroupIds: ['sg-db'] }).resolves({
    SecurityGroups: [{ GroupId: 'sg-db', IpPermissions: [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '10.60.0.0/16' }] }] }],
  });
  cache.on(DescribeReplicationGroupsCommand, { ReplicationGroupId: 'chat-cache' }).resolves({
    ReplicationGroups: [
      {
        ReplicationGroupId: 'chat-cache',
        Status: 'available',
        CacheNodeType: 'cache.t4g.small',
        TransitEncryptionEnabled: true,
        TransitEncryptionMode: 'required',
        AutomaticFailover: 'enabled',
        MultiAZ: 'enabled',
        MemberClusters: ['chat-cache-001', 'chat-cache-002'],
        NodeGroups: [{ NodeGroupId: '0001', NodeGroupMembers: [{ CacheClusterId: 'chat-cache-001' }, { CacheClusterId: 'chat-cache-002' }] }],
        SnapshotRetentionLimit: 7,
      },
    ],
  });
}

async function verify(): Promise<Report> {
  return runVerify({ stack: 'test', spec, targets, families: [awsFamily as never], redactor: new Redactor(), select: () => true, active: false });
}
const messages = (r: Report, control: string) => r.results.filter((x) => x.control === control).map((x) => [x.status, x.message]);

beforeEach(seed);
afterAll(() => {
  rds.restore();
  ec2.restore();
  cache.restore();
});

describe('aws collector through the AWS SDK clients', () => {
  it('reads the instance, pages the automated snapshots, reads the groups and the replication group', async () => {
    const s = await awsCollector.collect({ spec, targets, active: false, redactor: new Redactor(), signal: new AbortController().signal });
    if ('notOnAws' in s.rds || 'notOnAws' in s.elasticache) throw new Error('expected both sections');
    expect(s.rds.instance.ok && s.rds.instance.value).toMatchObject({ status: 'available', port: 5432, securityGroupIds: ['sg-db'], backupRetentionDays: 30 });
    expect(s.rds.newestSnapshot.ok && s.rds.newestSnapshot.value?.id).toBe('rds:chat-db-new');
    expect(rds.commandCalls(DescribeDBSnapshotsCommand).map((c) => c.args[0].input.Marker)).toEqual([undefined, 'page-2']);
    expect(s.rds.ingress).toEqual({ ok: true, value: [{ groupId: 'sg-db', protocol: 'tcp', fromPort: 5432, toPort: 5432, cidrs: ['10.60.0.0/16'] }] });
    expect(s.elasticache.group.ok && s.elasticache.group.value).toEqual({
      status: 'available',
      nodeType: 'cache.t4g.small',
      transitEncryption: true,
      transitEncryptionMode: 'required',
      automaticFailover: 'enabled',
      multiAz: 'enabled',
      nodes: 2,
      snapshotRetentionDays: 7,
    });
  });

  it('passes every check on the seeded account', async () => {
    const r = await verify();
    expect(r.results.filter((x) => x.status !== 'pass').map((x) => `${x.control}: ${x.message}`)).toEqual([
      'pg.backups.restore-test: The stack does not ask for restore tests (spec postgres.restoreTest is not set).',
      'pg.read-replica: The stack does not ask for a read replica (spec postgres.readReplica is not set).',
    ]);
    expect(r.results).toHaveLength(13);
  });

  it('reports planted faults with the exact messages', async () => {
    ec2.on(DescribeSecurityGroupsCommand).resolves({
      SecurityGroups: [{ GroupId: 'sg-db', IpPermissions: [{ IpProtocol: 'tcp', FromPort: 0, ToPort: 65535, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }],
    });
    cache.on(DescribeReplicationGroupsCommand).resolves({ ReplicationGroups: [{ ReplicationGroupId: 'chat-cache', Status: 'available', CacheNodeType: 'cache.t4g.small', TransitEncryptionEnabled: false, SnapshotRetentionLimit: 0 }] });
    const r = await verify();
    expect(messages(r, 'pg.network-access')).toEqual([['fail', 'RDS instance chat-db must not be reachable from the internet (found sg-db open to 0.0.0.0/0 on port 5432).']]);
    expect(messages(r, 'redis.tls')).toEqual([['fail', 'ElastiCache replication group chat-cache must require TLS in transit (found transit encryption off).']]);
    expect(messages(r, 'redis.ha')).toEqual([
      ['fail', 'ElastiCache replication group chat-cache must fail over automatically across AZs with at least 2 nodes (found automatic failover disabled, Multi-AZ disabled, 0 nodes).'],
    ]);
    expect(messages(r, 'redis.persistence')).toEqual([['fail', 'ElastiCache replication group chat-cache must keep RDB snapshots for at least 7 days (found 0: snapshots are off).']]);
  });

  it('fails missing resources and names the permission AWS refused', async () => {
    rds.on(DescribeDBInstancesCommand).rejects(new DBInstanceNotFoundFault({ message: 'DBInstance chat-db not found.', $metadata: {} }));
    cache.on(DescribeReplicationGroupsCommand).rejects(new ReplicationGroupNotFoundFault({ message: 'not found', $metadata: {} }));
    const gone = await verify();
    expect(messages(gone, 'pg.instance')).toEqual([['fail', 'RDS instance chat-db must exist (found none).']]);
    expect(messages(gone, 'redis.instance')).toEqual([['fail', 'ElastiCache replication group chat-cache must exist (found none).']]);

    seed();
    const denied = Object.assign(new Error('User is not authorized to perform: rds:DescribeDBInstances'), { name: 'AccessDenied', $metadata: { requestId: 'req-42' } });
    rds.on(DescribeDBInstancesCommand).rejects(denied);
    const refused = await verify();
    expect(messages(refused, 'pg.backups.retention')).toEqual([
      ['error', "Could not describe RDS instance chat-db (AWS refused rds:DescribeDBInstances (AccessDenied: User is not authorized to perform: rds:DescribeDBInstances, request id req-42): allow rds:DescribeDBInstances for the verifier's credentials)."],
    ]);
  });

  it('does not apply without RDS or ElastiCache, and errors when the targets name no resource', async () => {
    const upstash = stackSpecSchema.parse({ app: { name: 'chat', domain: 'chat.example.com' }, postgres: { provider: 'neon' }, redis: { provider: 'upstash' } });
    expect(awsCollector.applies(upstash, targets)).toBe('The stack runs neither Postgres on RDS nor Redis on ElastiCache.');
    expect(awsCollector.applies(spec, {})).toBe('No aws entry in the targets file (region, rdsInstanceId, replicationGroupId).');
    const unnamed = targetsSchema.parse({ aws: { region: 'us-east-1' } });
    const r = await runVerify({ stack: 'test', spec, targets: unnamed, families: [awsFamily as never], redactor: new Redactor(), select: (id) => id === 'pg.instance', active: false });
    expect(messages(r, 'pg.instance')).toEqual([['error', 'Could not describe RDS instance (unnamed) (targets aws.rdsInstanceId is not set: name the resource to check).']]);
  });
});
