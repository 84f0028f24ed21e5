import { boolean, integer } from './lib/config.js';
import { resourcePolicy } from './lib/define.js';
import { TYPES } from './lib/resources.js';
import { asBoolean, asString, asStringList, found, isUnknown } from './lib/values.js';
import { ingressViolations } from './database.js';

// ElastiCache settings the peers (Checkov) check: network exposure, encryption at rest with a key of
// one's own, and AUTH. policies/README.md maps them.


export const redisNetworkAccess = resourcePolicy({
  id: 'redis.network-access',
  remediation:
    'Admit the Redis port only from the app networks: prodcheck:redis.elasticache.allowedCidrs / allowedSecurityGroupIds (else the database’s postgres.network.allowedCidrs), never 0.0.0.0/0 or ::/0.',
  types: [TYPES.securityGroup, TYPES.securityGroupRule, TYPES.ingressRule],
  config: { port: integer(6379, 'The Redis port that must not be open to the internet.', { minimum: 1, maximum: 65535 }) },
  check(r, config) {
    return ingressViolations(r, config.port);
  },
});

export const redisEncryptionAtRest = resourcePolicy({
  id: 'redis.encryption-at-rest',
  remediation:
    'Set atRestEncryptionEnabled: true and kmsKeyId to a customer-managed aws.kms.Key with rotation on. Encryption at rest cannot be switched on in place: snapshot, then restore into a new encrypted group.',
  types: [TYPES.replicationGroup],
  config: { requireCustomerKey: boolean(true, 'The group must name a customer-managed KMS key (kmsKeyId), not the AWS-managed aws/elasticache key.') },
  check(r, config) {
    const on = asBoolean(r.props.atRestEncryptionEnabled);
    if (!isUnknown(on) && on !== true) return [`atRestEncryptionEnabled must be true so data and snapshots are encrypted on disk (found ${found(r.props.atRestEncryptionEnabled)})`];
    const key = asString(r.props.kmsKeyId);
    if (!config.requireCustomerKey || isUnknown(key) || (key !== undefined && key !== '')) return [];
    return ['kmsKeyId must name a customer-managed KMS key so its policy and rotation are the stack’s own (found not set: the AWS-managed key)'];
  },
});

export const redisAuth = resourcePolicy({
  id: 'redis.auth',
  remediation: 'Set authToken from a random.RandomPassword (16-128 characters) with transitEncryptionEnabled: true, or userGroupIds for Redis RBAC users.',
  types: [TYPES.replicationGroup],
  config: {},
  check(r) {
    const token = asString(r.props.authToken);
    const groups = asStringList(r.props.userGroupIds);
    if (isUnknown(token) || isUnknown(groups) || (token !== undefined && token !== '') || (groups !== undefined && groups.length > 0)) return [];
    return ['authToken (or userGroupIds for RBAC) must be set so every client authenticates (found neither: anyone who reaches the port can read and write)'];
  },
});

export const CACHE_HARDENING_POLICIES = [redisNetworkAccess, redisEncryptionAtRest, redisAuth];
