import { describe, expect, it } from 'vitest';
import { mergeAcrossTargets } from '../../verify/merge.js';
import type { Result } from '../../verify/types.js';

const r = (control: string, status: Result['status'], message: string, resource?: string): Result => ({
  control,
  title: control,
  severity: 'high',
  status,
  message,
  durationMs: 0,
  ...(resource === undefined ? {} : { resource }),
});

describe('mergeAcrossTargets', () => {
  it('lets the target that judged a control answer, dropping the other targets’ skips', () => {
    const merged = mergeAcrossTargets([
      { target: 'redis', results: [r('redis.tls', 'pass', 'Redis is reached over TLS (TLSv1.3) and refuses plaintext.'), r('redis.persistence', 'pass', 'Redis persistence is aof (AOF on).')] },
      {
        target: 'aws',
        results: [
          r('redis.tls', 'skip', 'Redis is self-hosted, not on ElastiCache: the ElastiCache control plane is not checked.'),
          r('redis.persistence', 'skip', 'Redis is self-hosted, not on ElastiCache: the ElastiCache control plane is not checked.'),
          r('redis.ha', 'skip', 'Redis is self-hosted, not on ElastiCache: the ElastiCache control plane is not checked.'),
        ],
      },
    ]);
    expect(merged.map((x) => [x.control, x.status, x.message])).toEqual([
      ['redis.tls', 'pass', 'Redis is reached over TLS (TLSv1.3) and refuses plaintext.'],
      ['redis.persistence', 'pass', 'Redis persistence is aof (AOF on).'],
      ['redis.ha', 'skip', 'Redis is self-hosted, not on ElastiCache: the ElastiCache control plane is not checked.'],
    ]);
  });

  it('drops a resource-less skip beside a resource another target judged, and keeps both targets’ findings on distinct resources', () => {
    const merged = mergeAcrossTargets([
      { target: 'redis', results: [r('env.redis-url', 'skip', 'No Upstash read-only token is configured.', 'Upstash read-only token')] },
      { target: 'vercel', results: [r('env.redis-url', 'pass', 'KV_REST_API_URL is set.', 'KV_REST_API_URL'), r('env.redis-url', 'fail', 'REDIS_URL must be set.', 'REDIS_URL')] },
      { target: 'aws', results: [r('env.redis-url', 'skip', 'Not on AWS.')] },
    ]);
    expect(merged.map((x) => [x.control, x.resource, x.status])).toEqual([
      ['env.redis-url', 'Upstash read-only token', 'skip'],
      ['env.redis-url', 'KV_REST_API_URL', 'pass'],
      ['env.redis-url', 'REDIS_URL', 'fail'],
    ]);
  });

  it('answers with the worst status when targets disagree on one resource, and once when every target skipped', () => {
    const merged = mergeAcrossTargets([
      { target: 'redis', results: [r('redis.tls', 'pass', 'Redis is reached over TLS.'), r('redis.ha', 'skip', 'first reason')] },
      { target: 'aws', results: [r('redis.tls', 'fail', 'ElastiCache replication group g must require TLS in transit (found transit encryption off).'), r('redis.ha', 'skip', 'second reason')] },
      { target: 'dns', results: [r('redis.tls', 'error', 'Could not check.')] },
    ]);
    expect(merged.map((x) => [x.control, x.status, x.message])).toEqual([
      ['redis.ha', 'skip', 'first reason'],
      ['redis.tls', 'fail', 'ElastiCache replication group g must require TLS in transit (found transit encryption off).'],
    ]);
  });

  it('never merges one target’s own results', () => {
    const own = [r('redis.ttl', 'pass', 'a', 'cache:'), r('redis.ttl', 'skip', 'b', 'session:'), r('pg.rls', 'fail', 'x'), r('pg.rls', 'pass', 'y')];
    expect(mergeAcrossTargets([{ target: 'redis', results: own }])).toEqual(own);
  });
});
