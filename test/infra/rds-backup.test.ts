import { beforeAll, describe, expect, test } from 'vitest';
import { dailyBackupSchedule } from '../../infra/components/rds-backup.js';
import type { StackRun } from './helpers/mock-stack.js';
import { countByType, plain, resource, runMockStack, stackConfig, STACK_FILES, stubProviderSerialization } from './helpers/mock-stack.js';

const RDS = 'aws:rds/instance:Instance';
const T = {
  vault: 'aws:backup/vault:Vault',
  plan: 'aws:backup/plan:Plan',
  selection: 'aws:backup/selection:Selection',
  rtp: 'aws:backup/restoreTestingPlan:RestoreTestingPlan',
  rts: 'aws:backup/restoreTestingSelection:RestoreTestingSelection',
  role: 'aws:iam/role:Role',
  attach: 'aws:iam/rolePolicyAttachment:RolePolicyAttachment',
};

/** The prod stack file's config with its prodcheck:postgres changed, run under mocks. */
async function runProd(change: (pg: Record<string, unknown>) => void = () => {}): Promise<StackRun> {
  const { deploy } = await import('../../infra/program.js');
  const { config, secretKeys } = stackConfig(STACK_FILES.prod);
  const parsed = Object.fromEntries(Object.entries(config).map(([k, v]) => [k, k.startsWith('prodcheck:') ? JSON.parse(v) : v]));
  change(parsed['prodcheck:postgres'] as Record<string, unknown>);
  const engine = Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  return runMockStack(engine, secretKeys, deploy);
}

let prod: StackRun;
let tested: StackRun;
beforeAll(async () => {
  stubProviderSerialization();
  prod = await runProd();
  tested = await runProd((pg) => {
    pg.restoreTest = { scheduleExpression: 'cron(0 6 ? * MON *)', validationWindowHours: 2 };
    pg.readReplica = { instanceClass: 'db.t4g.small' };
  });
});

describe('pg.backups.restore-test: AWS Backup plan and restore testing plan', () => {
  test('none without postgres.restoreTest, and no replica without postgres.readReplica', () => {
    const counts = countByType(prod);
    for (const t of [T.vault, T.plan, T.selection, T.rts, T.rtp]) expect(counts[t] ?? 0).toBe(0);
    expect(counts[RDS]).toBe(1);
  });

  test('a vault under the instance’s key, a daily plan kept for the retention, a selection of the instance', () => {
    const counts = countByType(tested);
    for (const t of [T.vault, T.plan, T.selection, T.rts, T.rtp]) expect(counts[t]).toBe(1);
    const vault = resource(tested, T.vault, 'chat-db-backup-vault');
    expect(plain(vault.inputs)).toMatchObject({ name: 'chat-prod-postgres-backups', kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/chat-db-kms', forceDestroy: false });
    expect(vault.options.protect).toBe(true);
    const plan = plain(resource(tested, T.plan, 'chat-db-backup-plan').inputs) as { rules: Record<string, unknown>[] };
    expect(plan.rules).toEqual([
      expect.objectContaining({ ruleName: 'daily', targetVaultName: 'chat-prod-postgres-backups', schedule: 'cron(0 3 * * ? *)', lifecycle: { deleteAfter: 30 }, startWindow: 60, completionWindow: 360 }),
    ]);
    const selection = plain(resource(tested, T.selection, 'chat-db-backup-selection').inputs);
    expect(selection).toMatchObject({ planId: 'chat-db-backup-plan-id', resources: ['arn:aws:rds:us-east-1:123456789012:db:chat-prod-postgres'], iamRoleArn: 'arn:aws:mock:us-east-1:123456789012:chat-db-backup-role' });
  });

  test('a restore testing plan on the spec’s schedule over the vault, restoring the instance into its own network', () => {
    const rtp = plain(resource(tested, T.rtp, 'chat-db-restore-test').inputs);
    expect(rtp).toEqual({
      name: 'chat_prod_postgres_restore_test',
      scheduleExpression: 'cron(0 6 ? * MON *)',
      startWindowHours: 8,
      recoveryPointSelection: { algorithm: 'LATEST_WITHIN_WINDOW', includeVaults: ['arn:aws:mock:us-east-1:123456789012:chat-db-backup-vault'], recoveryPointTypes: ['SNAPSHOT'], selectionWindowDays: 7 },
      tags: expect.any(Object),
    });
    const rts = plain(resource(tested, T.rts, 'chat-db-restore-test-selection').inputs);
    expect(rts).toEqual({
      name: 'chat_prod_postgres',
      restoreTestingPlanName: 'chat_prod_postgres_restore_test',
      protectedResourceType: 'RDS',
      protectedResourceArns: ['arn:aws:rds:us-east-1:123456789012:db:chat-prod-postgres'],
      iamRoleArn: 'arn:aws:mock:us-east-1:123456789012:chat-db-backup-role',
      validationWindowHours: 2,
      restoreMetadataOverrides: { dbsubnetgroupname: 'chat-db-subnets-physical', vpcsecuritygroupids: '["chat-db-sg-id"]' },
    });
    const role = plain(resource(tested, T.role, 'chat-db-backup-role').inputs) as { assumeRolePolicy: string };
    expect(JSON.parse(role.assumeRolePolicy).Statement[0].Principal).toEqual({ Service: 'backup.amazonaws.com' });
    expect(
      ['backup', 'restore'].map((k) => (plain(resource(tested, T.attach, `chat-db-backup-policy-${k}`).inputs) as { policyArn: string }).policyArn),
    ).toEqual(['arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup', 'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores']);
  });

  test('the restore testing plan is a stack output, for targets aws.restoreTestingPlanArn', () => {
    expect(plain(tested.outputs.restoreTestingPlanArn)).toBe('arn:aws:mock:us-east-1:123456789012:chat-db-restore-test');
    expect(Object.keys(prod.outputs)).not.toContain('restoreTestingPlanArn');
  });

  test('the daily rule starts with the spec’s backup window', () => {
    expect(dailyBackupSchedule('03:00-04:00')).toBe('cron(0 3 * * ? *)');
    expect(dailyBackupSchedule('22:30-23:30')).toBe('cron(30 22 * * ? *)');
  });
});

describe('pg.read-replica: an RDS replica of the instance', () => {
  test('replicates the primary in its network, encrypted with its key', () => {
    expect(countByType(tested)[RDS]).toBe(2);
    const replica = plain(resource(tested, RDS, 'chat-db-replica').inputs);
    expect(replica).toMatchObject({
      identifier: 'chat-prod-postgres-replica',
      replicateSourceDb: 'chat-prod-postgres',
      instanceClass: 'db.t4g.small',
      vpcSecurityGroupIds: ['chat-db-sg-id'],
      publiclyAccessible: false,
      storageEncrypted: true,
      kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/chat-db-kms',
      monitoringInterval: 60,
      monitoringRoleArn: 'arn:aws:mock:us-east-1:123456789012:chat-db-monitoring-role',
      iamDatabaseAuthenticationEnabled: true,
    });
  });
});
