import { describe, expect, it } from 'vitest';
import { getControl } from '../../../checklist/index.js';
import type { StackSpec } from '../../../spec/index.js';
import { stackSpecSchema } from '../../../spec/index.js';
import * as checks from '../../../verify/aws/checks.js';
import {
  AWS_CHECKS,
  pgBackupsEnabled,
  pgBackupsRecent,
  pgBackupsRetention,
  pgEncryptionAtRest,
  pgInstance,
  pgNetworkAccess,
  redisHa,
  redisInstance,
  redisPersistence,
  redisTls,
} from '../../../verify/aws/checks.js';
import type { AwsSnapshot, RdsInstance, RdsState, ReplicationGroup } from '../../../verify/aws/collect.js';
import type { Check } from '../../../verify/types.js';

const input = {
  app: { name: 'chat', domain: 'chat.example.com' },
  postgres: { provider: 'rds', backups: { retentionDays: 30, window: '03:00-04:00', maxAgeHours: 26 }, network: { allowedCidrs: ['10.60.0.0/16'] }, restoreTest: {}, readReplica: {} },
  redis: { provider: 'elasticache', persistence: 'rdb', ha: true, elasticache: { nodeType: 'cache.t4g.small', replicas: 1, snapshotRetentionDays: 7 } },
};
const spec: StackSpec = stackSpecSchema.parse(input);
const withSpec = (over: { postgres?: object; redis?: object }): StackSpec =>
  stackSpecSchema.parse({ ...input, postgres: { ...input.postgres, ...over.postgres }, redis: { ...input.redis, ...over.redis } });

const NOW = Date.parse('2026-05-01T12:00:00Z');
const HOUR = 3_600_000;

const db: RdsInstance = {
  arn: 'arn:aws:rds:us-east-1:111122223333:db:chat-db',
  status: 'available',
  engine: 'postgres',
  engineVersion: '16.4',
  instanceClass: 'db.t4g.medium',
  publiclyAccessible: false,
  storageEncrypted: true,
  kmsKeyId: 'arn:aws:kms:us-east-1:111122223333:key/abc',
  backupRetentionDays: 30,
  backupWindow: '03:00-04:00',
  latestRestorableTime: NOW - 0.1 * HOUR,
  deletionProtection: true,
  port: 5432,
  securityGroupIds: ['sg-db'],
  readReplicaIds: ['chat-db-replica'],
};
const rds: RdsState = {
  instanceId: 'chat-db',
  instance: { ok: true, value: db },
  newestSnapshot: { ok: true, value: { id: 'rds:chat-db-2026-05-01-03-10', createdAt: NOW - 8.8 * HOUR } },
  ingress: { ok: true, value: [{ groupId: 'sg-db', protocol: 'tcp', fromPort: 5432, toPort: 5432, cidrs: ['10.60.0.0/16'] }] },
  restoreJobs: {
    ok: true,
    value: [
      {
        id: 'restore-job-7',
        status: 'COMPLETED',
        statusMessage: undefined,
        createdAt: NOW - 72 * HOUR,
        completedAt: NOW - 71 * HOUR,
        validationStatus: 'SUCCESSFUL',
        validationMessage: undefined,
        restoreTestingPlanArn: 'arn:aws:backup:us-east-1:111122223333:restore-testing-plan:chat_db_restore_test-abc',
      },
    ],
  },
};
const group: ReplicationGroup = {
  status: 'available',
  nodeType: 'cache.t4g.small',
  transitEncryption: true,
  transitEncryptionMode: 'required',
  automaticFailover: 'enabled',
  multiAz: 'enabled',
  nodes: 2,
  snapshotRetentionDays: 7,
};
const clean: AwsSnapshot = { collectedAt: NOW, rds, elasticache: { groupId: 'chat-cache', group: { ok: true, value: group } } };

const withDb = (over: Partial<RdsInstance>, state: Partial<RdsState> = {}): AwsSnapshot => ({ ...clean, rds: { ...rds, instance: { ok: true, value: { ...db, ...over } }, ...state } });
const withGroup = (over: Partial<ReplicationGroup>): AwsSnapshot => ({ ...clean, elasticache: { groupId: 'chat-cache', group: { ok: true, value: { ...group, ...over } } } });

function run(check: Check<AwsSnapshot>, s: AwsSnapshot = clean, sp: StackSpec = spec): [string, string][] {
  return check.evaluate(s, sp).map((f) => [f.status, f.message]);
}

describe('aws checks: registry', () => {
  it('exports one check per control, named the camelCase of its id, in AWS_CHECKS', () => {
    const exported = Object.entries(checks).filter(([, v]) => typeof v === 'object' && v !== null && 'evaluate' in v) as [string, Check<AwsSnapshot>][];
    const camel = (id: string) => id.replace(/[.-]([a-z])/g, (_m, c: string) => c.toUpperCase());
    expect(exported.map(([name, c]) => [name, camel(c.id)]).filter(([a, b]) => a !== b)).toEqual([]);
    expect(AWS_CHECKS.map((c) => c.id).sort()).toEqual(exported.map(([, c]) => c.id).sort());
    expect(AWS_CHECKS).toHaveLength(12);
    for (const c of AWS_CHECKS) {
      expect(getControl(c.id).stages).toContain('V');
      expect(c.target).toBe('aws');
    }
  });

  it('passes every check on the clean snapshot', () => {
    const statuses = AWS_CHECKS.flatMap((c) => c.evaluate(clean, spec).map((f) => `${c.id}: ${f.status}`));
    expect(statuses.filter((s) => !s.endsWith('pass'))).toEqual([]);
    expect(statuses).toHaveLength(13);
  });

  it('skips the parts of the stack that are not on AWS, and errors what could not be described', () => {
    const elsewhere: AwsSnapshot = { collectedAt: NOW, rds: { notOnAws: "The stack's Postgres provider is supabase, not rds" }, elasticache: { notOnAws: "The stack's Redis provider is upstash, not elasticache" } };
    expect(run(pgInstance, elsewhere)).toEqual([['skip', "The stack's Postgres provider is supabase, not rds: the RDS control plane is not checked."]]);
    expect(run(redisTls, elsewhere)).toEqual([['skip', "The stack's Redis provider is upstash, not elasticache: the ElastiCache control plane is not checked."]]);
    const upstashHa = withSpec({ redis: { provider: 'upstash', ha: true } });
    expect(run(redisHa, elsewhere, upstashHa)).toEqual([
      [
        'skip',
        "Spec redis.ha is true, but no check can judge Redis high availability for provider upstash: only ElastiCache's control plane reports failover and Multi-AZ (review replication by hand, or waive redis.ha).",
      ],
    ]);
    expect(run(redisHa, elsewhere, withSpec({ redis: { provider: 'upstash', ha: false } }))).toEqual([
      ['skip', "The stack's Redis provider is upstash, not elasticache: the ElastiCache control plane is not checked."],
    ]);
    const denied = { ok: false as const, error: "AWS refused rds:DescribeDBInstances (AccessDenied, request id r-1): allow rds:DescribeDBInstances for the verifier's credentials" };
    expect(run(pgBackupsRetention, withDb({}, { instance: denied }))).toEqual([
      ['error', "Could not describe RDS instance chat-db (AWS refused rds:DescribeDBInstances (AccessDenied, request id r-1): allow rds:DescribeDBInstances for the verifier's credentials)."],
    ]);
    expect(run(pgInstance, withDb({}, { instance: { ok: true, value: null } }))).toEqual([['fail', 'RDS instance chat-db must exist (found none).']]);
    expect(run(redisHa, { ...clean, elasticache: { groupId: 'chat-cache', group: { ok: true, value: null } } })).toEqual([
      ['fail', 'ElastiCache replication group chat-cache must exist (found none).'],
    ]);
  });
});

describe('pg.instance (RDS)', () => {
  it('passes an available instance with deletion protection', () => {
    expect(run(pgInstance)).toEqual([
      ['pass', 'RDS instance chat-db is available (postgres 16.4, db.t4g.medium).'],
      ['pass', 'RDS instance chat-db has deletion protection on.'],
    ]);
  });

  it('fails another status and deletion protection off; skips protection the stack does not ask for', () => {
    expect(run(pgInstance, withDb({ status: 'storage-full', deletionProtection: false }))).toEqual([
      ['fail', 'RDS instance chat-db must be available (found storage-full).'],
      ['fail', 'RDS instance chat-db must have deletion protection on (found it off).'],
    ]);
    expect(run(pgInstance, withDb({ deletionProtection: false }), withSpec({ postgres: { deletionProtection: false } }))).toHaveLength(1);
  });
});

describe('pg.backups.enabled, pg.backups.retention', () => {
  it('passes daily backups in the window, kept for the retention the stack asks', () => {
    expect(run(pgBackupsEnabled)).toEqual([['pass', 'RDS instance chat-db takes automated daily backups (retention 30 days, window 03:00-04:00).']]);
    expect(run(pgBackupsRetention)).toEqual([['pass', 'RDS instance chat-db keeps backups for 30 days (at least 30).']]);
  });

  it('fails backups off, another window, or a short retention', () => {
    expect(run(pgBackupsEnabled, withDb({ backupRetentionDays: 0 }))).toEqual([
      ['fail', 'RDS instance chat-db must take automated backups (found backup retention 0: automated backups are off).'],
    ]);
    expect(run(pgBackupsEnabled, withDb({ backupWindow: '09:00-09:30' }))).toEqual([['fail', 'RDS instance chat-db must take automated backups in the window 03:00-04:00 (found 09:00-09:30).']]);
    expect(run(pgBackupsRetention, withDb({ backupRetentionDays: 7 }))).toEqual([['fail', 'RDS instance chat-db must keep backups for at least 30 days (found 7).']]);
  });
});

describe('pg.backups.recent', () => {
  it('passes on the newer of the latest restorable time and the newest automated snapshot', () => {
    expect(run(pgBackupsRecent)).toEqual([['pass', 'The newest RDS backup of chat-db is 0.1 h old (latest restorable time; limit 26 h).']]);
    expect(run(pgBackupsRecent, withDb({ latestRestorableTime: undefined }))).toEqual([
      ['pass', 'The newest RDS backup of chat-db is 8.8 h old (automated snapshot rds:chat-db-2026-05-01-03-10; limit 26 h).'],
    ]);
  });

  it('fails a stale backup or none; errors when snapshots could not be listed and nothing else is known', () => {
    const stale = withDb({ latestRestorableTime: NOW - 40 * HOUR }, { newestSnapshot: { ok: true, value: { id: 'rds:old', createdAt: NOW - 50 * HOUR } } });
    expect(run(pgBackupsRecent, stale)).toEqual([['fail', 'The newest RDS backup of chat-db must be under 26 h old (found 40.0 h: latest restorable time).']]);
    expect(run(pgBackupsRecent, withDb({ latestRestorableTime: undefined }, { newestSnapshot: { ok: true, value: null } }))).toEqual([
      ['fail', 'The newest RDS backup of chat-db must be under 26 h old (found no automated snapshot and no restorable time).'],
    ]);
    expect(run(pgBackupsRecent, withDb({ latestRestorableTime: undefined }, { newestSnapshot: { ok: false, error: 'rds:DescribeDBSnapshots failed: socket hang up' } }))).toEqual([
      ['error', 'Could not list the automated snapshots of RDS instance chat-db (rds:DescribeDBSnapshots failed: socket hang up).'],
    ]);
  });
});

describe('pg.encryption-at-rest (RDS)', () => {
  it('passes encrypted storage, with the key the stack names', () => {
    expect(run(pgEncryptionAtRest)).toEqual([['pass', 'RDS instance chat-db encrypts its storage at rest (KMS key arn:aws:kms:us-east-1:111122223333:key/abc).']]);
    expect(run(pgEncryptionAtRest, clean, withSpec({ postgres: { encryption: { atRest: false } } }))).toEqual([
      ['skip', 'The stack does not ask for encryption at rest (postgres.encryption.atRest: false).'],
    ]);
  });

  it('fails unencrypted storage or another key', () => {
    expect(run(pgEncryptionAtRest, withDb({ storageEncrypted: false, kmsKeyId: undefined }))).toEqual([
      ['fail', 'RDS instance chat-db must encrypt its storage at rest (found StorageEncrypted false).'],
    ]);
    expect(run(pgEncryptionAtRest, clean, withSpec({ postgres: { encryption: { atRest: true, kmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/prod' } } }))).toEqual([
      ['fail', 'RDS instance chat-db must encrypt its storage with KMS key arn:aws:kms:us-east-1:111122223333:key/prod (found arn:aws:kms:us-east-1:111122223333:key/abc).'],
    ]);
  });
});

describe('pg.network-access (RDS)', () => {
  it('passes a private instance whose groups admit the port only from allowed ranges', () => {
    expect(run(pgNetworkAccess)).toEqual([['pass', 'RDS instance chat-db is not publicly accessible and its security groups (sg-db) admit port 5432 from 10.60.0.0/16.']]);
  });

  it('fails public access, a world-open rule on the port (any protocol too), and an unlisted range', () => {
    const open = withDb(
      { publiclyAccessible: true },
      {
        ingress: {
          ok: true,
          value: [
            { groupId: 'sg-db', protocol: 'tcp', fromPort: 5000, toPort: 6000, cidrs: ['0.0.0.0/0', '192.168.0.0/16'] },
            { groupId: 'sg-all', protocol: '-1', fromPort: undefined, toPort: undefined, cidrs: ['::/0'] },
            { groupId: 'sg-web', protocol: 'tcp', fromPort: 443, toPort: 443, cidrs: ['0.0.0.0/0'] },
          ],
        },
      },
    );
    expect(run(pgNetworkAccess, open)).toEqual([
      [
        'fail',
        'RDS instance chat-db must not be reachable from the internet (found publicly accessible; sg-db open to 0.0.0.0/0 on port 5432; sg-all open to ::/0 on port 5432; sg-db admitting 192.168.0.0/16, which postgres.network.allowedCidrs does not list).',
      ],
    ]);
  });
});

describe('redis.instance, redis.tls (ElastiCache)', () => {
  it('passes an available group of the node type that requires TLS', () => {
    expect(run(redisInstance)).toEqual([['pass', 'ElastiCache replication group chat-cache is available (cache.t4g.small).']]);
    expect(run(redisTls)).toEqual([['pass', 'ElastiCache replication group chat-cache requires TLS in transit.']]);
  });

  it('fails another node type or status, TLS off or only preferred', () => {
    expect(run(redisInstance, withGroup({ status: 'modifying', nodeType: 'cache.t3.micro' }))).toEqual([
      ['fail', 'ElastiCache replication group chat-cache must be available on cache.t4g.small (found modifying, cache.t3.micro).'],
    ]);
    expect(run(redisTls, withGroup({ transitEncryption: false, transitEncryptionMode: undefined }))).toEqual([
      ['fail', 'ElastiCache replication group chat-cache must require TLS in transit (found transit encryption off).'],
    ]);
    expect(run(redisTls, withGroup({ transitEncryptionMode: 'preferred' }))).toEqual([
      ['fail', 'ElastiCache replication group chat-cache must require TLS in transit (found mode preferred, which still accepts plaintext).'],
    ]);
  });
});

describe('redis.ha, redis.persistence (ElastiCache)', () => {
  it('passes automatic Multi-AZ failover and snapshots kept for the retention asked', () => {
    expect(run(redisHa)).toEqual([['pass', 'ElastiCache replication group chat-cache fails over automatically across AZs (2 nodes).']]);
    expect(run(redisPersistence)).toEqual([['pass', 'ElastiCache replication group chat-cache keeps RDB snapshots for 7 days (at least 7).']]);
  });

  it('fails a single node without failover, and snapshots off', () => {
    expect(run(redisHa, withGroup({ automaticFailover: 'disabled', multiAz: 'disabled', nodes: 1 }))).toEqual([
      ['fail', 'ElastiCache replication group chat-cache must fail over automatically across AZs with at least 2 nodes (found automatic failover disabled, Multi-AZ disabled, 1 node).'],
    ]);
    expect(run(redisPersistence, withGroup({ snapshotRetentionDays: 0 }))).toEqual([
      ['fail', 'ElastiCache replication group chat-cache must keep RDB snapshots for at least 7 days (found 0: snapshots are off).'],
    ]);
  });

  it('skips what the stack does not ask for', () => {
    expect(run(redisHa, clean, withSpec({ redis: { ha: false } }))).toEqual([['skip', 'The stack does not ask for high availability (redis.ha: false).']]);
    expect(run(redisPersistence, clean, withSpec({ redis: { persistence: 'aof' } }))).toEqual([
      ['skip', 'DescribeReplicationGroups does not report AOF: the redis family judges it from INFO persistence.'],
    ]);
  });
});
