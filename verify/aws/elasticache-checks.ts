import type { RedisSpec, StackSpec } from '../../spec/index.js';
import type { Check, Finding } from '../types.js';
import type { AwsSnapshot, ReplicationGroup } from './collect.js';

function redisSpecOf(spec: StackSpec): RedisSpec {
  if (!spec.redis) throw new Error('the stack has no prodcheck:redis section');
  return spec.redis;
}

/**
 * A control-plane check of the ElastiCache replication group: skips when Redis is not on ElastiCache
 * or the stack does not ask for the control, errors when the group could not be described.
 */
function groupCheck(
  id: string,
  judge: (g: ReplicationGroup, name: string, redis: RedisSpec) => Finding[],
  notAsked: (redis: RedisSpec) => string | undefined = () => undefined,
  /** Set when no other target judges the control: off ElastiCache, a spec that asks for it gets this reason once. */
  unjudgedElsewhere?: (redis: RedisSpec) => string,
): Check<AwsSnapshot> {
  return {
    id,
    target: 'aws',
    evaluate(snapshot, spec) {
      const s = snapshot.elasticache;
      if ('notOnAws' in s) {
        const redis = spec.redis;
        if (redis && unjudgedElsewhere && notAsked(redis) === undefined) return [{ status: 'skip', message: unjudgedElsewhere(redis) }];
        return [{ status: 'skip', message: `${s.notOnAws}: the ElastiCache control plane is not checked.` }];
      }
      const redis = redisSpecOf(spec);
      const why = notAsked(redis);
      if (why !== undefined) return [{ status: 'skip', message: why }];
      const name = s.groupId;
      if (!s.group.ok) return [{ status: 'error', resource: name, message: `Could not describe ElastiCache replication group ${name} (${s.group.error}).` }];
      if (s.group.value === null) return [{ status: 'fail', resource: name, message: `ElastiCache replication group ${name} must exist (found none).`, expected: 'exists', actual: 'none' }];
      return judge(s.group.value, name, redis).map((f) => ({ resource: name, ...f }));
    },
  };
}

export const redisInstance = groupCheck('redis.instance', (g, name, redis) => {
  const want = redis.elasticache.nodeType;
  const expected = `available, ${want}`;
  const actual = `${g.status}, ${g.nodeType ?? 'unknown node type'}`;
  return g.status === 'available' && g.nodeType === want
    ? [{ status: 'pass', message: `ElastiCache replication group ${name} is available (${want}).`, expected, actual }]
    : [{ status: 'fail', message: `ElastiCache replication group ${name} must be available on ${want} (found ${actual}).`, expected, actual }];
});

export const redisTls = groupCheck(
  'redis.tls',
  (g, name) => {
    const expected = 'transit encryption required';
    if (!g.transitEncryption) return [{ status: 'fail', message: `ElastiCache replication group ${name} must require TLS in transit (found transit encryption off).`, expected, actual: 'off' }];
    if (g.transitEncryptionMode === 'preferred') {
      return [{ status: 'fail', message: `ElastiCache replication group ${name} must require TLS in transit (found mode preferred, which still accepts plaintext).`, expected, actual: 'preferred' }];
    }
    return [{ status: 'pass', message: `ElastiCache replication group ${name} requires TLS in transit.`, expected, actual: g.transitEncryptionMode ?? 'enabled' }];
  },
  (redis) => (redis.tls ? undefined : 'The stack does not ask for TLS (redis.tls: false).'),
);

export const redisHa = groupCheck(
  'redis.ha',
  (g, name, redis) => {
    const nodes = 1 + redis.elasticache.replicas;
    const expected = `automatic failover and Multi-AZ enabled, at least ${nodes} nodes`;
    const problems = [
      ...(g.automaticFailover === 'enabled' ? [] : [`automatic failover ${g.automaticFailover ?? 'disabled'}`]),
      ...(g.multiAz === 'enabled' ? [] : [`Multi-AZ ${g.multiAz ?? 'disabled'}`]),
      ...(g.nodes >= nodes ? [] : [`${g.nodes} node${g.nodes === 1 ? '' : 's'}`]),
    ];
    return problems.length === 0
      ? [{ status: 'pass', message: `ElastiCache replication group ${name} fails over automatically across AZs (${g.nodes} nodes).`, expected, actual: `${g.nodes} nodes` }]
      : [{ status: 'fail', message: `ElastiCache replication group ${name} must fail over automatically across AZs with at least ${nodes} nodes (found ${problems.join(', ')}).`, expected, actual: problems.join(', ') }];
  },
  (redis) => (redis.ha ? undefined : 'The stack does not ask for high availability (redis.ha: false).'),
  (redis) =>
    `Spec redis.ha is true, but no check can judge Redis high availability for provider ${redis.provider}: only ElastiCache's control plane reports failover and Multi-AZ (review replication by hand, or waive redis.ha).`,
);

export const redisPersistence = groupCheck(
  'redis.persistence',
  (g, name, redis) => {
    const want = Math.max(1, redis.elasticache.snapshotRetentionDays);
    const expected = `RDB snapshots kept at least ${want} days`;
    const actual = `${g.snapshotRetentionDays} days`;
    if (g.snapshotRetentionDays >= want) return [{ status: 'pass', message: `ElastiCache replication group ${name} keeps RDB snapshots for ${g.snapshotRetentionDays} days (at least ${want}).`, expected, actual }];
    const found = g.snapshotRetentionDays === 0 ? '0: snapshots are off' : String(g.snapshotRetentionDays);
    return [{ status: 'fail', message: `ElastiCache replication group ${name} must keep RDB snapshots for at least ${want} days (found ${found}).`, expected, actual }];
  },
  (redis) =>
    redis.persistence === 'none'
      ? 'The stack does not ask for persistence (redis.persistence: none).'
      : redis.persistence === 'aof'
        ? 'DescribeReplicationGroups does not report AOF: the redis family judges it from INFO persistence.'
        : undefined,
);
