import { BackupClient, ListRestoreJobsCommand } from '@aws-sdk/client-backup';
import { DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeDBInstancesCommand, DescribeDBSnapshotsCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { Redactor } from '../../../report/redact.js';
import type { Report } from '../../../report/types.js';
import { parseStackConfig, stackSpecSchema, targetsSchema, type StackSpec } from '../../../spec/index.js';
import { awsCollector, awsFamily, pgBackupsRestoreTest, pgReadReplica } from '../../../verify/aws/index.js';
import type { AwsSnapshot } from '../../../verify/aws/index.js';
import { runVerify } from '../../../verify/runner.js';

const rds = mockClient(RDSClient);
const ec2 = mockClient(EC2Client);
const backup = mockClient(BackupClient);

const ARN = 'arn:aws:rds:us-east-1:111122223333:db:chat-db';
const PLAN = 'arn:aws:backup:us-east-1:111122223333:restore-testing-plan:chat_db_restore_test-abc';
const DAY = 86_400_000;
const daysAgo = (d: number) => new Date(Date.now() - d * DAY);

const specOf = (pg: Record<string, unknown> = {}): StackSpec =>
  stackSpecSchema.parse({ app: { name: 'chat', domain: 'chat.example.com' }, postgres: { provider: 'rds', restoreTest: {}, readReplica: {}, ...pg } });
const targets = targetsSchema.parse({ aws: { region: 'us-east-1', rdsInstanceId: 'chat-db', restoreTestingPlanArn: PLAN } });

function seed(replicas: string[] = ['chat-db-replica']): void {
  rds.reset();
  ec2.reset();
  backup.reset();
  rds.on(DescribeDBInstancesCommand).resolves({
    DBInstances: [{ DBInstanceIdentifier: 'chat-db', DBInstanceArn: ARN, DBInstanceStatus: 'available', BackupRetentionPeriod: 30, ReadReplicaDBInstanceIdentifiers: replicas }],
  });
  rds.on(DescribeDBSnapshotsCommand).resolves({ DBSnapshots: [] });
  ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] });
}
const job = (id: string, created: number, over: Record<string, unknown> = {}) => ({
  RestoreJobId: id,
  SourceResourceArn: ARN,
  ResourceType: 'RDS',
  Status: 'COMPLETED' as const,
  CreationDate: daysAgo(created),
  CompletionDate: daysAgo(created - 0.05),
  CreatedBy: { RestoreTestingPlanArn: PLAN },
  ...over,
});

async function verify(spec = specOf()): Promise<Report> {
  return runVerify({ stack: 'test', spec, targets, families: [awsFamily as never], redactor: new Redactor(), select: () => true, active: false });
}
const messages = (r: Report, control: string) => r.results.filter((x) => x.control === control).map((x) => [x.status, x.message]);

beforeEach(() => seed());
afterAll(() => {
  rds.restore();
  ec2.restore();
  backup.restore();
});

describe('pg.backups.restore-test from AWS Backup restore jobs', () => {
  it('pages ListRestoreJobs by the plan and RDS, keeps this instance’s jobs and passes the newest completed, validated one', async () => {
    backup
      .on(ListRestoreJobsCommand, { NextToken: undefined })
      .resolves({ RestoreJobs: [job('other-db', 1, { SourceResourceArn: 'arn:aws:rds:us-east-1:111122223333:db:other' }), job('old', 20, { ValidationStatus: 'SUCCESSFUL' })], NextToken: 'p2' })
      .on(ListRestoreJobsCommand, { NextToken: 'p2' })
      .resolves({ RestoreJobs: [job('newest', 3.05, { ValidationStatus: 'SUCCESSFUL' }), job('running', 0.5, { Status: 'RUNNING', CompletionDate: undefined })] });
    const r = await verify();
    const calls = backup.commandCalls(ListRestoreJobsCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => [c.ByResourceType, c.ByRestoreTestingPlanArn, c.NextToken])).toEqual([
      ['RDS', PLAN, undefined],
      ['RDS', PLAN, 'p2'],
    ]);
    // The window is the spec's 31 days.
    const since = calls[0]?.ByCreatedAfter?.getTime() ?? 0;
    expect(Math.round((Date.now() - since) / DAY)).toBe(31);
    expect(messages(r, 'pg.backups.restore-test')).toEqual([['pass', 'RDS instance chat-db was restored by test newest 3.0 days ago (validation SUCCESSFUL).']]);
    expect(messages(r, 'pg.read-replica')).toEqual([['pass', 'RDS instance chat-db has read replica chat-db-replica.']]);
  });

  it('fails no restore job, a failed one, a failed validation and a missing validation when required', async () => {
    backup.on(ListRestoreJobsCommand).resolves({ RestoreJobs: [] });
    expect(messages(await verify(), 'pg.backups.restore-test')).toEqual([['fail', 'RDS instance chat-db must have a restore test COMPLETED within the last 31 days (found no restore job at all).']]);

    backup.on(ListRestoreJobsCommand).resolves({ RestoreJobs: [job('broken', 2, { Status: 'FAILED', StatusMessage: 'Insufficient permissions to restore the DB instance.' })] });
    const d = daysAgo(2).toISOString().slice(0, 10);
    expect(messages(await verify(), 'pg.backups.restore-test')).toEqual([
      ['fail', `RDS instance chat-db must have a restore test COMPLETED within the last 31 days (found the latest, broken of ${d}, is FAILED: Insufficient permissions to restore the DB instance.).`],
    ]);

    backup.on(ListRestoreJobsCommand).resolves({ RestoreJobs: [job('restored', 2, { ValidationStatus: 'FAILED', ValidationStatusMessage: 'SELECT count(*) FROM orders returned 0' })] });
    expect(messages(await verify(), 'pg.backups.restore-test')).toEqual([
      ['fail', 'RDS restore test restored of chat-db must pass validation (found ValidationStatus FAILED: SELECT count(*) FROM orders returned 0).'],
    ]);

    backup.on(ListRestoreJobsCommand).resolves({ RestoreJobs: [job('unvalidated', 2.05)] });
    expect(messages(await verify(), 'pg.backups.restore-test')).toEqual([['pass', 'RDS instance chat-db was restored by test unvalidated 2.0 days ago (no validation result reported).']]);
    expect(messages(await verify(specOf({ restoreTest: { requireValidation: true } })), 'pg.backups.restore-test')).toEqual([
      ['fail', 'RDS restore test unvalidated of chat-db must report a validation result (found none; spec postgres.restoreTest.requireValidation is true).'],
    ]);
  });

  it('names the permission AWS refused and never passes what it could not list', async () => {
    backup.on(ListRestoreJobsCommand).rejects(Object.assign(new Error('User is not authorized to perform: backup:ListRestoreJobs'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403, requestId: 'req-9' } }));
    expect(messages(await verify(), 'pg.backups.restore-test')).toEqual([
      [
        'error',
        'Could not list the restore jobs of RDS instance chat-db (AWS refused backup:ListRestoreJobs (HTTP 403 AccessDeniedException: User is not authorized to perform: backup:ListRestoreJobs, request id req-9): allow backup:ListRestoreJobs for the verifier\'s credentials).',
      ],
    ]);
  });

  it('does not list restore jobs for a stack that asks for none, and skips both controls', async () => {
    const s = await awsCollector.collect({ spec: specOf({ restoreTest: undefined, readReplica: undefined }), targets, active: false, redactor: new Redactor(), signal: new AbortController().signal });
    expect(backup.commandCalls(ListRestoreJobsCommand)).toHaveLength(0);
    const spec = specOf({ restoreTest: undefined, readReplica: undefined });
    expect(pgBackupsRestoreTest.evaluate(s, spec).map((f) => f.message)).toEqual(['The stack does not ask for restore tests (spec postgres.restoreTest is not set).']);
    expect(pgReadReplica.evaluate(s, spec).map((f) => f.message)).toEqual(['The stack does not ask for a read replica (spec postgres.readReplica is not set).']);
  });
});

describe('pg.read-replica from DescribeDBInstances', () => {
  it('fails an instance nothing replicates from', async () => {
    seed([]);
    backup.on(ListRestoreJobsCommand).resolves({ RestoreJobs: [] });
    expect(messages(await verify(), 'pg.read-replica')).toEqual([['fail', 'RDS instance chat-db must have a read replica (found none).']]);
  });

  it('skips off RDS', () => {
    const elsewhere: AwsSnapshot = { collectedAt: Date.now(), rds: { notOnAws: "The stack's Postgres provider is neon, not rds" }, elasticache: { notOnAws: 'no redis' } };
    expect(pgReadReplica.evaluate(elsewhere, specOf()).map((f) => f.message)).toEqual(["The stack's Postgres provider is neon, not rds: the RDS control plane is not checked."]);
  });
});

describe('postgres.restoreTest and readReplica in the stack config', () => {
  const load = (pg: Record<string, unknown>) => () => parseStackConfig({ 'prodcheck:app': { name: 'a', domain: 'a.example.com' }, 'prodcheck:postgres': pg }, 'Pulumi.test.yaml');
  it('rejects a bad schedule and RDS-only settings on another provider, with their paths', () => {
    expect(load({ restoreTest: { scheduleExpression: 'every sunday' } })).toThrow(
      'prodcheck:postgres.restoreTest.scheduleExpression: must be an AWS schedule expression such as cron(0 5 ? * SUN *) or rate(7 days)',
    );
    expect(load({ provider: 'neon', readReplica: {} })).toThrow('prodcheck:postgres.readReplica: is provisioned and checked on RDS only (provider is neon)');
    expect(load({ restoreTest: { maxAgeDays: 1, startWindowHours: 48 } })).toThrow('prodcheck:postgres.restoreTest.maxAgeDays: must leave room for the start window (startWindowHours)');
  });
  it('fills the defaults', () => {
    expect(load({ restoreTest: {} })().spec.postgres?.restoreTest).toEqual({ scheduleExpression: 'cron(0 5 ? * SUN *)', startWindowHours: 8, validationWindowHours: 4, maxAgeDays: 31, requireValidation: false });
  });
});
