import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { PostgresSpec } from '../../spec/index.js';
import { awsName } from '../network.js';

export interface RdsRestoreTestArgs {
  readonly spec: PostgresSpec;
  readonly restoreTest: NonNullable<PostgresSpec['restoreTest']>;
  readonly app: string;
  readonly stack: string;
  readonly tags: Record<string, string>;
  readonly instance: aws.rds.Instance;
  /** The customer-managed key of the instance, which also encrypts the vault. */
  readonly kmsKeyArn: pulumi.Input<string> | undefined;
  /** Where a restored copy is started: the instance's own subnet group and security group, never the default VPC. */
  readonly subnetGroupName: pulumi.Input<string>;
  readonly securityGroupId: pulumi.Input<string>;
}

export interface RdsRestoreTest {
  readonly vault: aws.backup.Vault;
  readonly plan: aws.backup.Plan;
  readonly restoreTestingPlan: aws.backup.RestoreTestingPlan;
  readonly restoreTestingSelection: aws.backup.RestoreTestingSelection;
}

/** AWS Backup names of restore testing plans and selections allow letters, digits and underscores only. */
export const backupName = (...parts: string[]): string => parts.join('_').replace(/[^A-Za-z0-9_]/g, '_');

/** cron() for AWS Backup at the start of the spec's backup window (hh:mm-hh:mm, UTC). */
export function dailyBackupSchedule(window: string): string {
  const [hh, mm] = window.split('-')[0]?.split(':') ?? [];
  return `cron(${Number(mm ?? 0)} ${Number(hh ?? 0)} * * ? *)`;
}

/**
 * pg.backups.restore-test: an AWS Backup vault, plan (a daily rule kept for the spec's retention) and selection of
 * the instance, which a restore testing plan needs recovery points from; the restore testing plan restores the
 * newest snapshot on the spec's schedule into the instance's own private network and keeps it validationWindowHours
 * for validation, after which AWS Backup deletes it. ListRestoreJobs then shows each test's outcome (verify/aws).
 */
export function createRdsRestoreTest(name: string, args: RdsRestoreTestArgs, parent: pulumi.Resource): RdsRestoreTest {
  const opts = { parent };
  const { spec, restoreTest, tags } = args;
  const role = new aws.iam.Role(
    `${name}-backup-role`,
    {
      description: 'Lets AWS Backup back up the database and restore it for restore tests',
      assumeRolePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
      tags,
    },
    opts,
  );
  const policies = ['AWSBackupServiceRolePolicyForBackup', 'AWSBackupServiceRolePolicyForRestores'].map(
    (policy, i) => new aws.iam.RolePolicyAttachment(`${name}-backup-policy-${i === 0 ? 'backup' : 'restore'}`, { role: role.name, policyArn: `arn:aws:iam::aws:policy/service-role/${policy}` }, opts),
  );
  const vault = new aws.backup.Vault(
    `${name}-backup-vault`,
    { name: awsName(args.app, args.stack, 'postgres-backups'), ...(args.kmsKeyArn !== undefined ? { kmsKeyArn: args.kmsKeyArn } : {}), forceDestroy: false, tags },
    // The vault holds the recovery points the restore tests and a real restore start from.
    { ...opts, protect: spec.deletionProtection },
  );
  const plan = new aws.backup.Plan(
    `${name}-backup-plan`,
    {
      name: awsName(args.app, args.stack, 'postgres-daily'),
      rules: [
        {
          ruleName: 'daily',
          targetVaultName: vault.name,
          schedule: dailyBackupSchedule(spec.backups.window),
          startWindow: 60,
          completionWindow: 360,
          lifecycle: { deleteAfter: spec.backups.retentionDays },
          recoveryPointTags: tags,
        },
      ],
      tags,
    },
    opts,
  );
  new aws.backup.Selection(`${name}-backup-selection`, { name: backupName(args.app, args.stack, 'postgres'), planId: plan.id, iamRoleArn: role.arn, resources: [args.instance.arn] }, { ...opts, dependsOn: policies });
  const restoreTestingPlan = new aws.backup.RestoreTestingPlan(
    `${name}-restore-test`,
    {
      name: backupName(args.app, args.stack, 'postgres_restore_test'),
      scheduleExpression: restoreTest.scheduleExpression,
      startWindowHours: restoreTest.startWindowHours,
      recoveryPointSelection: { algorithm: 'LATEST_WITHIN_WINDOW', includeVaults: [vault.arn], recoveryPointTypes: ['SNAPSHOT'], selectionWindowDays: 7 },
      tags,
    },
    opts,
  );
  const restoreTestingSelection = new aws.backup.RestoreTestingSelection(
    `${name}-restore-test-selection`,
    {
      name: backupName(args.app, args.stack, 'postgres'),
      restoreTestingPlanName: restoreTestingPlan.name,
      protectedResourceType: 'RDS',
      protectedResourceArns: [args.instance.arn],
      iamRoleArn: role.arn,
      validationWindowHours: restoreTest.validationWindowHours,
      // The restored copy starts private, in the database's subnets behind its security group.
      restoreMetadataOverrides: { dbsubnetgroupname: args.subnetGroupName, vpcsecuritygroupids: pulumi.jsonStringify([args.securityGroupId]) },
    },
    { ...opts, dependsOn: policies },
  );
  return { vault, plan, restoreTestingPlan, restoreTestingSelection };
}

/**
 * pg.read-replica: an RDS read replica of the instance in its network, encrypted with its key, which RDS lists in
 * the primary's ReadReplicaDBInstanceIdentifiers. Backups stay on the primary.
 */
export function createReadReplica(
  name: string,
  args: { readonly spec: PostgresSpec; readonly app: string; readonly stack: string; readonly tags: Record<string, string>; readonly instance: aws.rds.Instance; readonly kmsKeyArn: pulumi.Input<string> | undefined; readonly securityGroupId: pulumi.Input<string>; readonly parameterGroupName: pulumi.Input<string>; readonly monitoringRoleArn: pulumi.Input<string> },
  parent: pulumi.Resource,
): aws.rds.Instance {
  const { spec } = args;
  const identifier = awsName(args.app, args.stack, 'postgres-replica');
  return new aws.rds.Instance(
    `${name}-replica`,
    {
      identifier,
      replicateSourceDb: args.instance.identifier,
      instanceClass: spec.readReplica?.instanceClass ?? spec.instanceClass,
      storageType: 'gp3',
      vpcSecurityGroupIds: [args.securityGroupId],
      parameterGroupName: args.parameterGroupName,
      publiclyAccessible: spec.network.publiclyAccessible,
      storageEncrypted: spec.encryption.atRest,
      ...(spec.encryption.atRest && args.kmsKeyArn !== undefined ? { kmsKeyId: args.kmsKeyArn } : {}),
      backupRetentionPeriod: 0,
      deletionProtection: spec.deletionProtection,
      skipFinalSnapshot: true,
      performanceInsightsEnabled: true,
      // Monitored and reached like the primary: a replica that serves reads is production too.
      monitoringInterval: 60,
      monitoringRoleArn: args.monitoringRoleArn,
      iamDatabaseAuthenticationEnabled: true,
      autoMinorVersionUpgrade: true,
      applyImmediately: false,
      tags: args.tags,
    },
    { parent, ignoreChanges: ['identifier'] },
  );
}
