import type * as Ec2Sdk from '@aws-sdk/client-ec2';
import type * as ElastiCacheSdk from '@aws-sdk/client-elasticache';
import type * as RdsSdk from '@aws-sdk/client-rds';
import type { Targets } from '../../spec/index.js';
import { describeError } from '../net.js';
import { backupSdk, readRestoreJobs, type RestoreJob } from './backup.js';
import { boundedAwsHandler } from './http.js';
import type { CollectContext, Collector, Probe } from '../types.js';

export type AwsTarget = NonNullable<Targets['aws']>;

export interface RdsInstance {
  readonly arn: string | undefined;
  readonly status: string;
  readonly engine: string;
  readonly engineVersion: string;
  readonly instanceClass: string;
  readonly publiclyAccessible: boolean;
  readonly storageEncrypted: boolean;
  readonly kmsKeyId: string | undefined;
  readonly backupRetentionDays: number;
  readonly backupWindow: string | undefined;
  /** Epoch ms. */
  readonly latestRestorableTime: number | undefined;
  readonly deletionProtection: boolean;
  readonly port: number;
  readonly securityGroupIds: readonly string[];
  /** ReadReplicaDBInstanceIdentifiers: the instances replicating from this one. */
  readonly readReplicaIds: readonly string[];
}

export interface NewestSnapshot {
  readonly id: string;
  /** Epoch ms. */
  readonly createdAt: number;
}

/** One ingress permission of a security group. */
export interface IngressRule {
  readonly groupId: string;
  /** "-1" is every protocol. */
  readonly protocol: string;
  readonly fromPort: number | undefined;
  readonly toPort: number | undefined;
  /** IPv4 and IPv6 ranges. */
  readonly cidrs: readonly string[];
}

export interface ReplicationGroup {
  readonly status: string;
  readonly nodeType: string | undefined;
  readonly transitEncryption: boolean;
  /** "required", or "preferred" while a group migrates and still accepts plaintext. */
  readonly transitEncryptionMode: string | undefined;
  readonly automaticFailover: string | undefined;
  readonly multiAz: string | undefined;
  readonly nodes: number;
  readonly snapshotRetentionDays: number;
}

/** A part of the stack that is not on AWS says why, and is not collected. */
export type Section<T> = { readonly notOnAws: string } | T;

export interface RdsState {
  readonly instanceId: string;
  /** null when RDS has no such instance. */
  readonly instance: Probe<RdsInstance | null>;
  readonly newestSnapshot: Probe<NewestSnapshot | null>;
  readonly ingress: Probe<readonly IngressRule[]>;
  /** AWS Backup restore jobs of the instance, newest first; undefined when the spec asks for no restore test. */
  readonly restoreJobs?: Probe<readonly RestoreJob[]>;
}

export interface AwsSnapshot {
  /** Epoch ms when the state was read: backup ages are measured from it. */
  readonly collectedAt: number;
  readonly rds: Section<RdsState>;
  readonly elasticache: Section<{ readonly groupId: string; readonly group: Probe<ReplicationGroup | null> }>;
}

/** Bounds the snapshot listing: 10 pages of 100 cover far more than the 35 days RDS keeps. */
const SNAPSHOT_PAGES = 10;

/** What the verifier's AWS identity must be allowed, named when AWS refuses it; every answer's HTTP status and AWS's own words. */
function awsProblem(action: string, e: unknown): string {
  const name = (e as { name?: unknown })?.name;
  const meta = (e as { $metadata?: { requestId?: string; httpStatusCode?: number } })?.$metadata;
  const requestId = meta?.requestId;
  const status = meta?.httpStatusCode;
  const rid = requestId ? `, request id ${requestId}` : '';
  if (name === 'CredentialsProviderError') return `no AWS credentials were found for ${action} (standard chain: AWS_* env vars, profile, SSO, instance or task role)`;
  // The SDK names an answer it cannot read as AWS's "Unknown"/"UnknownError": only the status is known.
  const message = (describeError(e).split('\n')[0] ?? '').replace(/^(Unknown|UnknownError)$/, '').slice(0, 300);
  if (typeof name === 'string' && /AccessDenied|UnauthorizedOperation|NotAuthorized|InvalidClientTokenId|UnrecognizedClient/.test(name)) {
    const words = message && message !== name ? `: ${message}` : '';
    return `AWS refused ${action} (${status !== undefined ? `HTTP ${status} ` : ''}${name}${words}${rid}): allow ${action} for the verifier's credentials`;
  }
  if (status !== undefined && status >= 300) {
    const what = message || 'an answer that is not an AWS error';
    const named = typeof name === 'string' && !/^(Unknown|UnknownError|Error)$/.test(name) && !what.includes(name) ? `${name}: ` : '';
    return `${action} failed: HTTP ${status} (${named}${what}${rid})`;
  }
  return `${action} failed: ${message || describeError(e)}${requestId ? ` (request id ${requestId})` : ''}`;
}

async function probe<T>(action: string, run: () => Promise<T>): Promise<Probe<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (e) {
    return { ok: false, error: awsProblem(action, e) };
  }
}

const isNamed = (e: unknown, name: string) => (e as { name?: unknown })?.name === name;

function clientConfig(t: AwsTarget) {
  return {
    region: t.region,
    ...(t.endpoint !== undefined ? { endpoint: t.endpoint } : {}),
    maxAttempts: 3,
    requestHandler: boundedAwsHandler(t.timeoutMs),
  };
}

/**
 * The AWS SDK clients, loaded only by a run that has an aws target: importing them is most of verify's
 * start-up, and a stack on Supabase/Upstash never needs them.
 */
const ec2Sdk = () => import('@aws-sdk/client-ec2');
const elastiCacheSdk = () => import('@aws-sdk/client-elasticache');
const rdsSdk = () => import('@aws-sdk/client-rds');

async function readInstance(sdk: typeof RdsSdk, rds: RdsSdk.RDSClient, id: string, signal: AbortSignal): Promise<RdsInstance | null> {
  try {
    const out = await rds.send(new sdk.DescribeDBInstancesCommand({ DBInstanceIdentifier: id }), { abortSignal: signal });
    const db = out.DBInstances?.[0];
    if (!db) return null;
    return {
      arn: db.DBInstanceArn,
      status: db.DBInstanceStatus ?? 'unknown',
      engine: db.Engine ?? 'unknown',
      engineVersion: db.EngineVersion ?? 'unknown',
      instanceClass: db.DBInstanceClass ?? 'unknown',
      publiclyAccessible: db.PubliclyAccessible ?? false,
      storageEncrypted: db.StorageEncrypted ?? false,
      kmsKeyId: db.KmsKeyId,
      backupRetentionDays: db.BackupRetentionPeriod ?? 0,
      backupWindow: db.PreferredBackupWindow,
      latestRestorableTime: db.LatestRestorableTime?.getTime(),
      deletionProtection: db.DeletionProtection ?? false,
      port: db.Endpoint?.Port ?? db.DbInstancePort ?? 5432,
      securityGroupIds: (db.VpcSecurityGroups ?? []).filter((g) => g.Status !== 'inactive').flatMap((g) => (g.VpcSecurityGroupId ? [g.VpcSecurityGroupId] : [])),
      readReplicaIds: db.ReadReplicaDBInstanceIdentifiers ?? [],
    };
  } catch (e) {
    if (isNamed(e, 'DBInstanceNotFoundFault')) return null;
    throw e;
  }
}

async function readNewestSnapshot(sdk: typeof RdsSdk, rds: RdsSdk.RDSClient, id: string, signal: AbortSignal): Promise<NewestSnapshot | null> {
  let newest: NewestSnapshot | null = null;
  let marker: string | undefined;
  for (let page = 0; page < SNAPSHOT_PAGES; page++) {
    const out = await rds.send(new sdk.DescribeDBSnapshotsCommand({ DBInstanceIdentifier: id, SnapshotType: 'automated', MaxRecords: 100, Marker: marker }), { abortSignal: signal });
    for (const s of out.DBSnapshots ?? []) {
      const at = s.SnapshotCreateTime?.getTime();
      if (s.Status === 'available' && at !== undefined && (newest === null || at > newest.createdAt)) newest = { id: s.DBSnapshotIdentifier ?? 'unnamed', createdAt: at };
    }
    marker = out.Marker;
    if (!marker) break;
  }
  return newest;
}

async function readIngress(sdk: typeof Ec2Sdk, ec2: Ec2Sdk.EC2Client, groupIds: readonly string[], signal: AbortSignal): Promise<IngressRule[]> {
  if (groupIds.length === 0) return [];
  const out = await ec2.send(new sdk.DescribeSecurityGroupsCommand({ GroupIds: [...groupIds] }), { abortSignal: signal });
  return (out.SecurityGroups ?? []).flatMap((g) =>
    (g.IpPermissions ?? []).map((p) => ({
      groupId: g.GroupId ?? 'unknown',
      protocol: p.IpProtocol ?? '-1',
      fromPort: p.FromPort,
      toPort: p.ToPort,
      cidrs: [...(p.IpRanges ?? []).flatMap((r) => (r.CidrIp ? [r.CidrIp] : [])), ...(p.Ipv6Ranges ?? []).flatMap((r) => (r.CidrIpv6 ? [r.CidrIpv6] : []))],
    })),
  );
}

async function readReplicationGroup(sdk: typeof ElastiCacheSdk, cache: ElastiCacheSdk.ElastiCacheClient, id: string, signal: AbortSignal): Promise<ReplicationGroup | null> {
  try {
    const out = await cache.send(new sdk.DescribeReplicationGroupsCommand({ ReplicationGroupId: id }), { abortSignal: signal });
    const g = out.ReplicationGroups?.[0];
    if (!g) return null;
    const members = (g.NodeGroups ?? []).reduce((n, ng) => n + (ng.NodeGroupMembers?.length ?? 0), 0);
    return {
      status: g.Status ?? 'unknown',
      nodeType: g.CacheNodeType,
      transitEncryption: g.TransitEncryptionEnabled ?? false,
      transitEncryptionMode: g.TransitEncryptionMode,
      automaticFailover: g.AutomaticFailover,
      multiAz: g.MultiAZ,
      nodes: Math.max(members, g.MemberClusters?.length ?? 0),
      snapshotRetentionDays: g.SnapshotRetentionLimit ?? 0,
    };
  } catch (e) {
    if (isNamed(e, 'ReplicationGroupNotFoundFault')) return null;
    throw e;
  }
}

const unnamed = (setting: string): Probe<never> => ({ ok: false, error: `targets aws.${setting} is not set: name the resource to check` });

async function collectRds(ctx: CollectContext, t: AwsTarget): Promise<Section<RdsState>> {
  const provider = ctx.spec.postgres?.provider;
  if (provider !== 'rds') return { notOnAws: provider ? `The stack's Postgres provider is ${provider}, not rds` : 'The stack has no prodcheck:postgres section' };
  const id = t.rdsInstanceId;
  if (id === undefined) return { instanceId: '(unnamed)', instance: unnamed('rdsInstanceId'), newestSnapshot: unnamed('rdsInstanceId'), ingress: unnamed('rdsInstanceId') };
  const [rdsMod, ec2Mod] = await Promise.all([rdsSdk(), ec2Sdk()]);
  const rds = new rdsMod.RDSClient(clientConfig(t));
  const ec2 = new ec2Mod.EC2Client(clientConfig(t));
  try {
    const [instance, newestSnapshot] = await Promise.all([
      probe('rds:DescribeDBInstances', () => readInstance(rdsMod, rds, id, ctx.signal)),
      probe('rds:DescribeDBSnapshots', () => readNewestSnapshot(rdsMod, rds, id, ctx.signal)),
    ]);
    const groups = instance.ok ? (instance.value?.securityGroupIds ?? []) : [];
    const ingress = instance.ok ? await probe('ec2:DescribeSecurityGroups', () => readIngress(ec2Mod, ec2, groups, ctx.signal)) : instance;
    const restoreTest = ctx.spec.postgres?.restoreTest;
    if (!restoreTest) return { instanceId: id, instance, newestSnapshot, ingress };
    return { instanceId: id, instance, newestSnapshot, ingress, restoreJobs: await collectRestoreJobs(ctx, t, instance, restoreTest.maxAgeDays) };
  } finally {
    rds.destroy();
    ec2.destroy();
  }
}

/** Restore jobs need the instance's ARN, which only DescribeDBInstances gives. */
async function collectRestoreJobs(ctx: CollectContext, t: AwsTarget, instance: Probe<RdsInstance | null>, maxAgeDays: number): Promise<Probe<readonly RestoreJob[]>> {
  if (!instance.ok) return instance;
  const arn = instance.value?.arn;
  if (arn === undefined) return { ok: false, error: 'rds:DescribeDBInstances gave no instance ARN to look restore jobs up by' };
  const since = Date.now() - maxAgeDays * 86_400_000;
  const mod = await backupSdk();
  const backup = new mod.BackupClient(clientConfig(t));
  try {
    return await probe('backup:ListRestoreJobs', () => readRestoreJobs(mod, backup, arn, since, t.restoreTestingPlanArn, ctx.signal));
  } finally {
    backup.destroy();
  }
}

async function collectElastiCache(ctx: CollectContext, t: AwsTarget): Promise<AwsSnapshot['elasticache']> {
  const provider = ctx.spec.redis?.provider;
  if (provider !== 'elasticache') return { notOnAws: provider ? `The stack's Redis provider is ${provider}, not elasticache` : 'The stack has no prodcheck:redis section' };
  const id = t.replicationGroupId;
  if (id === undefined) return { groupId: '(unnamed)', group: unnamed('replicationGroupId') };
  const cacheMod = await elastiCacheSdk();
  const cache = new cacheMod.ElastiCacheClient(clientConfig(t));
  try {
    return { groupId: id, group: await probe('elasticache:DescribeReplicationGroups', () => readReplicationGroup(cacheMod, cache, id, ctx.signal)) };
  } finally {
    cache.destroy();
  }
}

export const awsCollector: Collector<AwsSnapshot> = {
  target: 'aws',
  applies(spec, targets) {
    if (spec.postgres?.provider !== 'rds' && spec.redis?.provider !== 'elasticache') return 'The stack runs neither Postgres on RDS nor Redis on ElastiCache.';
    if (!targets.aws) return 'No aws entry in the targets file (region, rdsInstanceId, replicationGroupId).';
    return undefined;
  },
  async collect(ctx) {
    const t = ctx.targets.aws;
    if (!t) throw new Error('the aws family runs only when applies() found its target');
    const collectedAt = Date.now();
    const [rds, elasticache] = await Promise.all([collectRds(ctx, t), collectElastiCache(ctx, t)]);
    return { collectedAt, rds, elasticache };
  },
};
