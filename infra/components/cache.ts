import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import * as upstash from '@upstash/pulumi';
import type { RedisSpec } from '../../spec/index.js';
import { awsName, awsTags, resolveNetwork } from '../network.js';
import { ProvisionLog, provisions } from '../provisions.js';

export const CACHE = provisions('infra/components/cache.ts', ['redis.instance', 'redis.persistence', 'redis.eviction-policy', 'redis.tls', 'redis.ha', 'redis.network-access', 'redis.encryption-at-rest', 'redis.auth', 'platform.kms-keys']);

const PORT = 6379;

export interface CacheArgs {
  readonly spec: RedisSpec;
  readonly app: string;
  readonly stack: string;
  /**
   * Where an ElastiCache group goes and who may reach it: the VPC (the database's, postgres.network.vpcId,
   * unless redis.elasticache.vpcId says otherwise), its subnets and the networks admitted on the port
   * (redis.elasticache.allowedCidrs, else the database's allowedCidrs).
   */
  readonly network: { readonly vpcId?: string | undefined; readonly subnetIds: readonly string[]; readonly allowedCidrs: readonly string[] };
}

/** The cache's network from the spec: its own settings first, then the database's, so both land in one VPC. */
export function cacheNetwork(redis: RedisSpec, pg: { readonly network: { readonly vpcId?: string | undefined; readonly subnetIds: readonly string[]; readonly allowedCidrs: readonly string[] } } | undefined): CacheArgs['network'] {
  const ec = redis.elasticache;
  const vpcId = ec.vpcId ?? pg?.network.vpcId;
  // The database's subnets only when the cache follows the database's VPC (else they may be in another one).
  const subnetIds = ec.subnetIds.length > 0 ? ec.subnetIds : ec.vpcId === undefined ? (pg?.network.subnetIds ?? []) : [];
  return { ...(vpcId !== undefined ? { vpcId } : {}), subnetIds, allowedCidrs: ec.allowedCidrs ?? pg?.network.allowedCidrs ?? [] };
}

/**
 * Redis for the app: an Upstash database or an ElastiCache replication group, as spec.redis.provider
 * says. A self-hosted Redis is not provisioned (its URL comes from config).
 */
export class Cache extends pulumi.ComponentResource {
  /** rediss://…, secret. */
  readonly url: pulumi.Output<string>;
  readonly host: pulumi.Output<string>;
  /** Upstash only: the REST API and its tokens (secret). */
  readonly restUrl?: pulumi.Output<string>;
  readonly restToken?: pulumi.Output<string>;
  readonly restReadOnlyToken?: pulumi.Output<string>;
  readonly upstashDatabaseId?: pulumi.Output<string>;
  readonly replicationGroupId?: pulumi.Output<string>;
  readonly provisioned = new ProvisionLog(CACHE);

  constructor(name: string, args: CacheArgs, opts?: pulumi.ComponentResourceOptions) {
    super('prodcheck:cache:Cache', name, {}, opts);
    const { spec } = args;
    if (spec.provider === 'upstash') {
      const db = this.upstash(name, args);
      this.host = db.endpoint;
      this.url = pulumi.secret(pulumi.interpolate`rediss://default:${db.password}@${db.endpoint}:${db.port}`);
      this.restUrl = pulumi.interpolate`https://${db.endpoint}`;
      this.restToken = pulumi.secret(db.restToken);
      this.restReadOnlyToken = pulumi.secret(db.readOnlyRestToken);
      this.upstashDatabaseId = db.databaseId;
    } else if (spec.provider === 'elasticache') {
      const { group, authToken } = this.elasticache(name, args);
      this.host = group.primaryEndpointAddress;
      // AUTH with the token alone (no user name): ElastiCache's token auth, not RBAC.
      this.url = pulumi.secret(pulumi.interpolate`rediss://:${authToken}@${group.primaryEndpointAddress}:${PORT}`);
      this.replicationGroupId = group.id;
    } else {
      throw new Error('a self-hosted Redis is not provisioned: the program creates no Cache for it');
    }
    this.registerOutputs({ host: this.host, controls: this.provisioned.controls });
  }

  /**
   * Upstash offers eviction on or off (its own policy), not Redis's maxmemory-policy; TLS is always on for
   * new databases. Regional databases are deprecated, so it is a global one with the spec's primary region.
   */
  private upstash(name: string, args: CacheArgs): upstash.RedisDatabase {
    const { spec } = args;
    const db = new upstash.RedisDatabase(
      `${name}-redis`,
      {
        databaseName: `${args.app}-${args.stack}`,
        region: 'global',
        primaryRegion: spec.upstash.primaryRegion ?? spec.upstash.region,
        ...(spec.upstash.readRegions.length > 0 ? { readRegions: spec.upstash.readRegions } : {}),
        tls: spec.tls,
        eviction: spec.evictionPolicy !== 'noeviction',
      },
      // Renaming app.name must not touch the database (its name is set once); Upstash keeps every write.
      { parent: this, protect: spec.persistence !== 'none', ignoreChanges: ['databaseName'] },
    );
    this.provisioned.claim('redis.instance', 'redis.eviction-policy');
    if (spec.tls) this.provisioned.claim('redis.tls');
    if (spec.upstash.readRegions.length > 0) this.provisioned.claim('redis.ha');
    return db;
  }

  /**
   * ElastiCache for Redis 7 has no append-only file (appendonly is not a settable parameter since 2.8.22),
   * so durability is daily snapshots plus Multi-AZ replicas with automatic failover; the program refuses
   * persistence aof for it (problems.ts).
   */
  private elasticache(name: string, args: CacheArgs): { group: aws.elasticache.ReplicationGroup; authToken: pulumi.Output<string> } {
    const { spec } = args;
    const ec = spec.elasticache;
    const parent = { parent: this };
    const tags = awsTags(args.app, args.stack);
    const network = resolveNetwork({ vpcId: args.network.vpcId, subnetIds: args.network.subnetIds }, parent);
    const cidrs = args.network.allowedCidrs;
    // 16-128 printable characters without @ " /; letters and digits also keep the rediss:// URL plain.
    const authToken = new random.RandomPassword(`${name}-auth-token`, { length: 64, special: false }, parent).result;
    const sg = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      {
        vpcId: network.vpcId,
        description: 'Redis from the app networks only',
        ingress:
          cidrs.length + ec.allowedSecurityGroupIds.length === 0
            ? []
            : [{ protocol: 'tcp', fromPort: PORT, toPort: PORT, cidrBlocks: [...cidrs], securityGroups: [...ec.allowedSecurityGroupIds], description: 'app networks' }],
        tags,
      },
      parent,
    );
    const subnets = new aws.elasticache.SubnetGroup(`${name}-subnets`, { subnetIds: network.subnetIds, description: `${args.app} ${args.stack} Redis`, tags }, parent);
    const major = ec.engineVersion.split('.')[0] ?? ec.engineVersion;
    const params = new aws.elasticache.ParameterGroup(
      `${name}-params`,
      { family: `redis${major}`, description: `${args.app} ${args.stack}: eviction policy`, parameters: [{ name: 'maxmemory-policy', value: spec.evictionPolicy }], tags },
      parent,
    );
    const ha = spec.ha && ec.replicas >= 1;
    const snapshots = spec.persistence === 'none' ? 0 : ec.snapshotRetentionDays;
    // At-rest encryption with a key of the stack's own, rotated yearly; without it the snapshots are unreadable.
    const key = new aws.kms.Key(`${name}-kms`, { description: `${args.app} ${args.stack} Redis storage and snapshots`, enableKeyRotation: true, deletionWindowInDays: 30, tags }, { ...parent, protect: true });
    const group = new aws.elasticache.ReplicationGroup(
      `${name}-redis`,
      {
        description: `${args.app} ${args.stack} Redis`,
        engine: 'redis',
        engineVersion: ec.engineVersion,
        nodeType: ec.nodeType,
        numCacheClusters: 1 + ec.replicas,
        automaticFailoverEnabled: ha,
        multiAzEnabled: ha,
        port: PORT,
        parameterGroupName: params.name,
        subnetGroupName: subnets.name,
        securityGroupIds: [sg.id],
        transitEncryptionEnabled: true,
        transitEncryptionMode: 'required',
        atRestEncryptionEnabled: true,
        kmsKeyId: key.arn,
        authToken,
        snapshotRetentionLimit: snapshots,
        // Deleting the group leaves a last snapshot of the data (set once: the name must stay free).
        ...(snapshots > 0 ? { finalSnapshotIdentifier: `${awsName(args.app, args.stack, 'redis')}-final` } : {}),
        snapshotWindow: '05:00-06:00',
        maintenanceWindow: 'sun:07:00-sun:08:00',
        autoMinorVersionUpgrade: true,
        applyImmediately: false,
        tags,
      },
      // Persistence asked for means the data must outlive a mistaken `pulumi destroy` or replacement.
      { ...parent, protect: spec.persistence !== 'none' },
    );
    this.provisioned.claim('redis.instance', 'redis.eviction-policy', 'redis.tls', 'redis.network-access', 'redis.encryption-at-rest', 'redis.auth', 'platform.kms-keys');
    if (snapshots > 0) this.provisioned.claim('redis.persistence');
    if (ha) this.provisioned.claim('redis.ha');
    return { group, authToken };
  }
}
