import { z } from 'zod';
import { positiveInt } from './common.js';

export const EVICTION_POLICIES = ['noeviction', 'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl'] as const;

export const redisSchema = z
  .strictObject({
    provider: z.enum(['upstash', 'elasticache', 'self-hosted']),
    evictionPolicy: z.enum(EVICTION_POLICIES).default('allkeys-lru'),
    persistence: z.enum(['aof', 'rdb', 'aof+rdb', 'none']).default('aof'),
    tls: z.boolean().default(true),
    maxmemoryMb: positiveInt.optional(),
    ha: z.boolean().default(false),
    /** Key prefixes the app writes, with the TTL each key must carry. */
    keys: z
      .array(
        z.strictObject({
          prefix: z.string().min(1),
          ttlSeconds: positiveInt,
          /** How many keys of the prefix redis.ttl samples with SCAN. */
          sampleSize: z.number().int().min(1).max(1000).default(100),
        }),
      )
      .default([]),
    latencyP95Ms: z.number().positive().default(50),
    minCacheHitRate: z.number().min(0).max(1).default(0.8),
    /** Key lookups (hits + misses) Redis must have served before redis.cache-hit-rate judges the ratio. */
    minCacheLookups: z.number().int().min(1).default(100),
    maxUsagePct: z.number().min(1).max(100).default(80),
    maxEvictions: z.number().int().min(0).default(0),
    upstash: z.strictObject({ region: z.string().default('us-east-1'), primaryRegion: z.string().optional(), readRegions: z.array(z.string()).default([]) }).prefault({}),
    elasticache: z
      .strictObject({
        nodeType: z.string().default('cache.t4g.small'),
        engineVersion: z.string().default('7.1'),
        replicas: z.number().int().min(0).max(5).default(1),
        snapshotRetentionDays: z.number().int().min(0).max(35).default(7),
        subnetIds: z.array(z.string()).default([]),
        allowedSecurityGroupIds: z.array(z.string()).default([]),
        /** Networks that may reach the cache on its port; unset: the database's (postgres.network.allowedCidrs). */
        allowedCidrs: z.array(z.string().regex(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/, { message: 'must be an IPv4 CIDR such as 10.0.0.0/16' })).optional(),
        /** The VPC of the cache; unset: the database's (postgres.network.vpcId), else that of the subnets, else the default VPC. */
        vpcId: z.string().optional(),
      })
      .prefault({}),
  })
  .superRefine((r, ctx) => {
    if (r.elasticache.allowedCidrs?.some((c) => c === '0.0.0.0/0')) {
      ctx.addIssue({ code: 'custom', path: ['elasticache', 'allowedCidrs'], message: 'contains 0.0.0.0/0, which opens the cache to the internet' });
    }
    if (r.provider === 'elasticache' && r.ha && r.elasticache.replicas < 1) {
      ctx.addIssue({ code: 'custom', path: ['elasticache', 'replicas'], message: 'must be at least 1 when ha is true (automatic failover needs a replica)' });
    }
    const seen = new Set<string>();
    r.keys.forEach((k, i) => {
      if (seen.has(k.prefix)) ctx.addIssue({ code: 'custom', path: ['keys', i, 'prefix'], message: `"${k.prefix}" is listed twice` });
      seen.add(k.prefix);
    });
  });

export type RedisSpec = z.output<typeof redisSchema>;
