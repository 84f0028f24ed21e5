import { integer, text } from './lib/config.js';
import type { Violation } from './lib/define.js';
import { ofType, resourcePolicy, stackPolicy } from './lib/define.js';
import { TYPES, parameterValue } from './lib/resources.js';
import { asBoolean, asNumber, asString, asStringList, found, isUnknown } from './lib/values.js';

const CACHE_TYPE = { elasticache: TYPES.replicationGroup, upstash: TYPES.upstashRedis } as const;


export const redisPersistence = stackPolicy({
  id: 'redis.persistence',
  remediation:
    'Provision the cache the stack declares (prodcheck:redis.provider). On ElastiCache set snapshotRetentionLimit > 0 (prodcheck:redis.elasticache.snapshotRetentionDays); Upstash persists every write by default.',
  config: {
    cache: text('', 'The cache the stack must provision (from prodcheck:redis.provider; empty: none required).', ['', 'elasticache', 'upstash']),
    minSnapshotRetentionDays: integer(1, 'Fewest days of ElastiCache snapshots to keep.', { minimum: 1, maximum: 35 }),
  },
  fromSpec: (spec) => {
    const provider = spec.redis?.provider;
    return { cache: provider === 'elasticache' || provider === 'upstash' ? provider : '' };
  },
  check(resources, config) {
    const caches = ofType(resources, TYPES.replicationGroup, TYPES.upstashRedis);
    const violations: Violation[] = [];
    if (config.cache === 'elasticache' || config.cache === 'upstash') {
      const type = CACHE_TYPE[config.cache];
      if (!caches.some((c) => c.type === type)) violations.push({ message: `the stack declares its cache on ${config.cache} (prodcheck:redis.provider) but provisions no ${type}` });
    } else if (caches.length === 0) {
      return { notApplicable: 'the stack provisions no cache' };
    }
    for (const group of ofType(caches, TYPES.replicationGroup)) {
      const days = asNumber(group.props.snapshotRetentionLimit);
      if (isUnknown(days) || (days !== undefined && days >= config.minSnapshotRetentionDays)) continue;
      violations.push({ resource: group, message: `snapshotRetentionLimit must be at least ${config.minSnapshotRetentionDays} so the cache keeps daily snapshots (found ${found(group.props.snapshotRetentionLimit)})` });
    }
    return violations;
  },
});

export const redisEvictionPolicy = resourcePolicy({
  id: 'redis.eviction-policy',
  remediation: 'Upstash: set eviction: true. ElastiCache: attach a parameter group with maxmemory-policy allkeys-lru to the replication group.',
  types: [TYPES.upstashRedis, TYPES.cacheParameterGroup, TYPES.replicationGroup],
  config: { policy: text('allkeys-lru', 'The maxmemory-policy a cache must use.') },
  check(r, config) {
    if (r.type === TYPES.upstashRedis) {
      const eviction = asBoolean(r.props.eviction);
      if (isUnknown(eviction) || eviction === true) return [];
      return [`eviction must be true so a full database evicts keys (${config.policy}) instead of refusing writes (found ${found(r.props.eviction)})`];
    }
    if (r.type === TYPES.cacheParameterGroup) {
      const family = asString(r.props.family);
      if (typeof family !== 'string' || !/^(redis|valkey)/.test(family)) return [];
      const value = parameterValue(r, 'maxmemory-policy');
      if (isUnknown(value) || value === config.policy) return [];
      return [`maxmemory-policy must be ${config.policy} (found ${value === undefined ? 'not set: the engine default is volatile-lru' : String(value)})`];
    }
    const group = asString(r.props.parameterGroupName);
    if (isUnknown(group) || (group !== undefined && !group.startsWith('default.'))) return [];
    return [`uses the default parameter group${group ? ` ${group}` : ''}, whose maxmemory-policy is volatile-lru: attach one with maxmemory-policy ${config.policy}`];
  },
});

export const redisTls = resourcePolicy({
  id: 'redis.tls',
  remediation: 'Upstash: set tls: true. ElastiCache: set transitEncryptionEnabled: true (with an authToken), then connect with rediss://.',
  types: [TYPES.upstashRedis, TYPES.replicationGroup],
  config: {},
  check(r) {
    const key = r.type === TYPES.upstashRedis ? 'tls' : 'transitEncryptionEnabled';
    const on = asBoolean(r.props[key]);
    if (isUnknown(on) || on === true) return [];
    return [`${key} must be true so clients connect over TLS (found ${found(r.props[key])})`];
  },
});

export const redisHa = resourcePolicy({
  id: 'redis.ha',
  remediation: 'ElastiCache: automaticFailoverEnabled and multiAzEnabled true with at least one replica (numCacheClusters >= 2). Upstash: add a read region.',
  types: [TYPES.replicationGroup, TYPES.upstashRedis],
  config: { minNodes: integer(2, 'Fewest cache nodes (primary and replicas) in an ElastiCache replication group.', { minimum: 2 }) },
  check(r, config) {
    if (r.type === TYPES.upstashRedis) {
      const regions = asStringList(r.props.readRegions);
      if (isUnknown(regions) || (regions !== undefined && regions.length > 0)) return [];
      return ['readRegions must list at least one region so a replica can serve when the primary region fails (found none)'];
    }
    const out: string[] = [];
    for (const flag of ['automaticFailoverEnabled', 'multiAzEnabled'] as const) {
      const on = asBoolean(r.props[flag]);
      if (!isUnknown(on) && on !== true) out.push(`${flag} must be true (found ${found(r.props[flag])})`);
    }
    const nodes = asNumber(r.props.numCacheClusters);
    const replicas = asNumber(r.props.replicasPerNodeGroup);
    const count = typeof nodes === 'number' ? nodes : typeof replicas === 'number' ? replicas + 1 : undefined;
    if (!isUnknown(nodes) && !isUnknown(replicas) && (count ?? 1) < config.minNodes) {
      out.push(`numCacheClusters must be at least ${config.minNodes} (a primary and a replica) (found ${count ?? 'not set'})`);
    }
    return out;
  },
});

export const CACHE_POLICIES = [redisPersistence, redisEvictionPolicy, redisTls, redisHa];
