import { describe, expect, it } from 'vitest';
import { redisEvictionPolicy, redisHa, redisPersistence, redisTls } from '../../policies/cache.js';
import { TYPES } from '../../policies/lib/resources.js';
import { UNKNOWN, res, runResource, runStack } from './harness.js';

const group = (props: Record<string, unknown> = {}) =>
  res(TYPES.replicationGroup, 'chat-cache-redis', {
    engine: 'redis',
    numCacheClusters: 2,
    automaticFailoverEnabled: true,
    multiAzEnabled: true,
    transitEncryptionEnabled: true,
    snapshotRetentionLimit: 7,
    parameterGroupName: UNKNOWN,
    ...props,
  });
const upstash = (props: Record<string, unknown> = {}) => res(TYPES.upstashRedis, 'kv', { databaseName: 'kv', region: 'global', tls: true, eviction: true, readRegions: ['us-west-1'], ...props });

describe('redis.persistence', () => {
  it('passes a replication group keeping snapshots and an Upstash database', async () => {
    expect((await runStack(redisPersistence, [group()], { cache: 'elasticache' })).violations).toEqual([]);
    expect((await runStack(redisPersistence, [upstash()], { cache: 'upstash' })).violations).toEqual([]);
  });

  it('fails snapshots switched off', async () => {
    expect((await runStack(redisPersistence, [group({ snapshotRetentionLimit: 0 })], { cache: 'elasticache' })).violations).toEqual([
      'snapshotRetentionLimit must be at least 1 so the cache keeps daily snapshots (found 0)',
    ]);
  });

  it('fails a stack that declares a cache and provisions none; does not apply when none is declared', async () => {
    expect((await runStack(redisPersistence, [upstash()], { cache: 'elasticache' })).violations).toEqual([
      'the stack declares its cache on elasticache (prodcheck:redis.provider) but provisions no aws:elasticache/replicationGroup:ReplicationGroup',
    ]);
    expect((await runStack(redisPersistence, [])).notApplicable).toBe('the stack provisions no cache');
  });
});

describe('redis.eviction-policy', () => {
  const params = (value?: string) => res(TYPES.cacheParameterGroup, 'chat-cache-params', { family: 'redis7', parameters: value === undefined ? [] : [{ name: 'maxmemory-policy', value }] });

  it('passes allkeys-lru, Upstash eviction on, and a group with its own parameter group', async () => {
    expect((await runResource(redisEvictionPolicy, params('allkeys-lru'))).violations).toEqual([]);
    expect((await runResource(redisEvictionPolicy, upstash())).violations).toEqual([]);
    expect((await runResource(redisEvictionPolicy, group({ parameterGroupName: 'chat-cache-params-1a2b3c' }))).violations).toEqual([]);
  });

  it('fails noeviction, an unset policy, Upstash eviction off and the default parameter group', async () => {
    expect((await runResource(redisEvictionPolicy, params('noeviction'))).violations).toEqual(['maxmemory-policy must be allkeys-lru (found noeviction)']);
    expect((await runResource(redisEvictionPolicy, params())).violations).toEqual(['maxmemory-policy must be allkeys-lru (found not set: the engine default is volatile-lru)']);
    expect((await runResource(redisEvictionPolicy, upstash({ eviction: false }))).violations).toEqual([
      'eviction must be true so a full database evicts keys (allkeys-lru) instead of refusing writes (found false)',
    ]);
    expect((await runResource(redisEvictionPolicy, group({ parameterGroupName: 'default.redis7' }))).violations).toEqual([
      'uses the default parameter group default.redis7, whose maxmemory-policy is volatile-lru: attach one with maxmemory-policy allkeys-lru',
    ]);
  });
});

describe('redis.tls', () => {
  it('passes TLS on both providers and fails it off', async () => {
    expect((await runResource(redisTls, group())).violations).toEqual([]);
    expect((await runResource(redisTls, upstash())).violations).toEqual([]);
    expect((await runResource(redisTls, group({ transitEncryptionEnabled: false }))).violations).toEqual(['transitEncryptionEnabled must be true so clients connect over TLS (found false)']);
    expect((await runResource(redisTls, upstash({ tls: undefined }))).violations).toEqual(['tls must be true so clients connect over TLS (found not set)']);
  });
});

describe('redis.ha', () => {
  it('passes failover across zones with a replica, and an Upstash read region', async () => {
    expect((await runResource(redisHa, group())).violations).toEqual([]);
    expect((await runResource(redisHa, upstash())).violations).toEqual([]);
  });

  it('fails each missing piece of HA', async () => {
    expect((await runResource(redisHa, group({ automaticFailoverEnabled: false, multiAzEnabled: false, numCacheClusters: 1 }))).violations).toEqual([
      'automaticFailoverEnabled must be true (found false)',
      'multiAzEnabled must be true (found false)',
      'numCacheClusters must be at least 2 (a primary and a replica) (found 1)',
    ]);
    expect((await runResource(redisHa, upstash({ readRegions: [] }))).violations).toEqual([
      'readRegions must list at least one region so a replica can serve when the primary region fails (found none)',
    ]);
  });
});
