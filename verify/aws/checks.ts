import type { Check } from '../types.js';
import type { AwsSnapshot } from './collect.js';
import { redisHa, redisInstance, redisPersistence, redisTls } from './elasticache-checks.js';
import { pgBackupsEnabled, pgBackupsRecent, pgBackupsRestoreTest, pgBackupsRetention, pgEncryptionAtRest, pgInstance, pgNetworkAccess, pgReadReplica } from './rds-checks.js';

export { redisHa, redisInstance, redisPersistence, redisTls } from './elasticache-checks.js';
export { pgBackupsEnabled, pgBackupsRecent, pgBackupsRestoreTest, pgBackupsRetention, pgEncryptionAtRest, pgInstance, pgNetworkAccess, pgReadReplica } from './rds-checks.js';

/** Control-plane views of pg.* and redis.* controls; the pg and redis families judge the same ids from inside. */
export const AWS_CHECKS: readonly Check<AwsSnapshot>[] = [
  pgInstance,
  pgBackupsEnabled,
  pgBackupsRetention,
  pgBackupsRecent,
  pgBackupsRestoreTest,
  pgReadReplica,
  pgEncryptionAtRest,
  pgNetworkAccess,
  redisInstance,
  redisTls,
  redisHa,
  redisPersistence,
];
