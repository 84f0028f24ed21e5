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
      })
      .prefault({}),
  })
  .superRefine((r, ctx) => {
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
