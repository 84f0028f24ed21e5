import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import type { PostgresSpec } from '../../spec/index.js';
import { awsName, awsTags, resolveNetwork } from '../network.js';
import { maintenanceWindowAfter } from '../pg-url.js';
import { createReadReplica, createRdsRestoreTest, type RdsRestoreTest } from './rds-backup.js';

export const RDS_MASTER_USER = 'dbadmin';
const PORT = 5432;

export interface RdsArgs {
  readonly spec: PostgresSpec;
  readonly app: string;
  readonly stack: string;
  /** The app role's login, registered with RDS Proxy (which authenticates each user from Secrets Manager). */
  readonly appRole: string;
  /** Without it (an app that does not log in) there is nobody for the proxy to pool. */
  readonly appPassword?: pulumi.Output<string>;
  /** postgres:accessVia lambda: a security group for the access Lambda, admitted on the database port. */
  readonly accessViaLambda?: boolean;
}

export interface Rds {
  readonly instance: aws.rds.Instance;
  readonly masterPassword: pulumi.Output<string>;
  /** The RDS Proxy endpoint the app connects through, when pooling.kind is rds-proxy. */
  readonly proxyEndpoint?: pulumi.Output<string>;
  /** Where the access Lambda runs (accessViaLambda): the database's subnets and the group it admits. */
  readonly accessNetwork?: { readonly subnetIds: pulumi.Output<string[]>; readonly securityGroupId: pulumi.Output<string> };
  /** postgres.restoreTest: the AWS Backup plan and the restore testing plan of the instance. */
  readonly restoreTest?: RdsRestoreTest;
  /** postgres.readReplica: the replica instance. */
  readonly replica?: aws.rds.Instance;
}

const ingress = (cidrs: readonly string[], securityGroups: readonly pulumi.Input<string>[], description: string): aws.types.input.ec2.SecurityGroupIngress[] =>
  cidrs.length + securityGroups.length === 0
    ? []
    : [{ protocol: 'tcp', fromPort: PORT, toPort: PORT, cidrBlocks: [...cidrs], securityGroups: [...securityGroups], description }];

/**
 * The RDS Postgres instance and what it needs: encryption key, subnet group, a security group that admits
 * only the spec's networks, a parameter group that forces TLS and logs, the master password and, for
 * pooling.kind rds-proxy, an RDS Proxy in front. Resources are children of `parent`, named after `name`.
 */
export function createRds(name: string, args: RdsArgs, parent: pulumi.Resource): Rds {
  const { spec } = args;
  const opts = { parent };
  const tags = awsTags(args.app, args.stack);
  const net = spec.network;
  const network = resolveNetwork(net, opts);

  const key =
    spec.encryption.atRest && spec.encryption.kmsKeyArn === undefined
      ? new aws.kms.Key(
          `${name}-kms`,
          { description: `${args.app} ${args.stack} Postgres storage, Performance Insights and proxy credentials`, enableKeyRotation: true, deletionWindowInDays: 30, tags },
          // Without the key every snapshot and backup it encrypted is unreadable.
          { ...opts, protect: true },
        )
      : undefined;
  const kmsKeyArn: pulumi.Input<string> | undefined = spec.encryption.kmsKeyArn ?? key?.arn;

  const subnets = new aws.rds.SubnetGroup(`${name}-subnets`, { subnetIds: network.subnetIds, tags }, opts);
  const pooled = spec.pooling.enabled && spec.pooling.kind === 'rds-proxy' && args.appPassword !== undefined;
  const proxySg = pooled
    ? new aws.ec2.SecurityGroup(
        `${name}-proxy-sg`,
        {
          vpcId: network.vpcId,
          description: 'RDS Proxy: Postgres from the app networks only',
          ingress: ingress(net.allowedCidrs, net.allowedSecurityGroupIds, 'app networks'),
          egress: [{ protocol: 'tcp', fromPort: PORT, toPort: PORT, cidrBlocks: [network.cidrBlock], description: 'to the database' }],
          tags,
        },
        opts,
      )
    : undefined;
  const accessSg = args.accessViaLambda
    ? new aws.ec2.SecurityGroup(
        `${name}-access-sg`,
        {
          vpcId: network.vpcId,
          description: 'The Postgres access Lambda: to the database only',
          egress: [{ protocol: 'tcp', fromPort: PORT, toPort: PORT, cidrBlocks: [network.cidrBlock], description: 'to the database' }],
          tags,
        },
        opts,
      )
    : undefined;
  const sg = new aws.ec2.SecurityGroup(
    `${name}-sg`,
    {
      vpcId: network.vpcId,
      description: 'Postgres from the app networks (and its proxy) only',
      ingress: ingress(net.allowedCidrs, [...net.allowedSecurityGroupIds, ...(proxySg ? [proxySg.id] : []), ...(accessSg ? [accessSg.id] : [])], 'app networks'),
      tags,
    },
    opts,
  );

  const major = spec.engineVersion.split('.')[0] ?? spec.engineVersion;
  const params = new aws.rds.ParameterGroup(
    `${name}-params`,
    {
      family: `postgres${major}`,
      description: `${args.app} ${args.stack}: TLS only, slow-statement and connection logging`,
      parameters: [
        { name: 'rds.force_ssl', value: spec.tls ? '1' : '0' },
        { name: 'log_min_duration_statement', value: '1000' },
        { name: 'log_connections', value: '1' },
        { name: 'log_disconnections', value: '1' },
        { name: 'log_lock_waits', value: '1' },
        // verify reads statement latencies from pg_stat_statements; preloading needs a reboot.
        { name: 'shared_preload_libraries', value: 'pg_stat_statements', applyMethod: 'pending-reboot' },
      ],
      tags,
    },
    opts,
  );

  // Enhanced monitoring: OS metrics every 60 s, published by RDS with this role.
  const monitoringRole = new aws.iam.Role(
    `${name}-monitoring-role`,
    {
      description: 'Lets RDS publish enhanced monitoring metrics',
      assumeRolePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'monitoring.rds.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
      tags,
    },
    opts,
  );
  const monitoringPolicy = new aws.iam.RolePolicyAttachment(`${name}-monitoring-policy`, { role: monitoringRole.name, policyArn: 'arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole' }, opts);

  // RDS refuses / @ " and spaces in a master password; letters and digits are also URL-safe.
  const master = new random.RandomPassword(`${name}-master-password`, { length: 40, special: false }, opts);
  const identifier = awsName(args.app, args.stack, 'postgres');
  const instance = new aws.rds.Instance(
    `${name}-instance`,
    {
      identifier,
      engine: 'postgres',
      engineVersion: spec.engineVersion,
      instanceClass: spec.instanceClass,
      allocatedStorage: spec.allocatedStorageGb,
      maxAllocatedStorage: spec.allocatedStorageGb * 4,
      storageType: 'gp3',
      dbName: spec.database,
      username: RDS_MASTER_USER,
      password: master.result,
      port: PORT,
      dbSubnetGroupName: subnets.name,
      vpcSecurityGroupIds: [sg.id],
      parameterGroupName: params.name,
      publiclyAccessible: net.publiclyAccessible,
      storageEncrypted: spec.encryption.atRest,
      ...(spec.encryption.atRest && kmsKeyArn !== undefined ? { kmsKeyId: kmsKeyArn, performanceInsightsKmsKeyId: kmsKeyArn } : {}),
      multiAz: spec.multiAz,
      backupRetentionPeriod: spec.backups.retentionDays,
      backupWindow: spec.backups.window,
      maintenanceWindow: maintenanceWindowAfter(spec.backups.window),
      copyTagsToSnapshot: true,
      deleteAutomatedBackups: false,
      deletionProtection: spec.deletionProtection,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: `${identifier}-final`,
      performanceInsightsEnabled: true,
      performanceInsightsRetentionPeriod: 7,
      monitoringInterval: 60,
      monitoringRoleArn: monitoringRole.arn,
      // IAM tokens for people and tools (rds-db:connect); the app keeps its password login through the proxy.
      iamDatabaseAuthenticationEnabled: true,
      autoMinorVersionUpgrade: true,
      allowMajorVersionUpgrade: false,
      enabledCloudwatchLogsExports: ['postgresql', 'upgrade'],
      caCertIdentifier: 'rds-ca-rsa2048-g1',
      applyImmediately: false,
      tags,
    },
    // The identifier is set at creation: renaming app.name must not replace the instance (and its data).
    { ...opts, protect: spec.deletionProtection, ignoreChanges: ['identifier'], dependsOn: [monitoringPolicy] },
  );

  const accessNetwork = accessSg ? { subnetIds: network.subnetIds, securityGroupId: accessSg.id } : undefined;
  const restoreTest = spec.restoreTest
    ? createRdsRestoreTest(name, { spec, restoreTest: spec.restoreTest, app: args.app, stack: args.stack, tags, instance, kmsKeyArn, subnetGroupName: subnets.name, securityGroupId: sg.id }, parent)
    : undefined;
  const replica = spec.readReplica ? createReadReplica(name, { spec, app: args.app, stack: args.stack, tags, instance, kmsKeyArn, securityGroupId: sg.id, parameterGroupName: params.name, monitoringRoleArn: monitoringRole.arn }, parent) : undefined;
  const extras = { ...(accessNetwork ? { accessNetwork } : {}), ...(restoreTest ? { restoreTest } : {}), ...(replica ? { replica } : {}) };
  if (!proxySg || !args.appPassword) return { instance, masterPassword: master.result, ...extras };

  const secret = new aws.secretsmanager.Secret(
    `${name}-proxy-app-login`,
    { description: `RDS Proxy login of the ${args.appRole} role`, ...(kmsKeyArn !== undefined ? { kmsKeyId: kmsKeyArn } : {}), recoveryWindowInDays: 7, tags },
    opts,
  );
  new aws.secretsmanager.SecretVersion(
    `${name}-proxy-app-login`,
    { secretId: secret.id, secretString: pulumi.secret(pulumi.jsonStringify({ username: args.appRole, password: args.appPassword })) },
    opts,
  );
  const role = new aws.iam.Role(
    `${name}-proxy-role`,
    {
      description: 'Lets RDS Proxy read the app login from Secrets Manager',
      assumeRolePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'rds.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
      tags,
    },
    opts,
  );
  new aws.iam.RolePolicy(
    `${name}-proxy-policy`,
    {
      role: role.id,
      policy: pulumi.jsonStringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: [secret.arn] },
          ...(kmsKeyArn !== undefined ? [{ Effect: 'Allow', Action: ['kms:Decrypt'], Resource: [kmsKeyArn] }] : []),
        ],
      }),
    },
    opts,
  );
  const proxy = new aws.rds.Proxy(
    `${name}-proxy`,
    {
      name: awsName(args.app, args.stack, 'proxy'),
      engineFamily: 'POSTGRESQL',
      roleArn: role.arn,
      vpcSubnetIds: network.subnetIds,
      vpcSecurityGroupIds: [proxySg.id],
      requireTls: spec.tls,
      idleClientTimeout: 1800,
      auths: [{ authScheme: 'SECRETS', iamAuth: 'DISABLED', clientPasswordAuthType: 'POSTGRES_SCRAM_SHA_256', secretArn: secret.arn, description: args.appRole }],
      tags,
    },
    // A new name would be a new proxy with a new endpoint: POSTGRES_URL would change under the app.
    { ...opts, ignoreChanges: ['name'] },
  );
  const targets = new aws.rds.ProxyDefaultTargetGroup(
    `${name}-proxy-targets`,
    {
      dbProxyName: proxy.name,
      // Leaves headroom under the spec's connection budget for the verifier and the admin.
      connectionPoolConfig: { maxConnectionsPercent: Math.max(10, spec.maxConnectionUsePct - 10), connectionBorrowTimeout: 120 },
    },
    opts,
  );
  new aws.rds.ProxyTarget(`${name}-proxy-target`, { dbProxyName: proxy.name, targetGroupName: targets.name, dbInstanceIdentifier: instance.identifier }, opts);
  return { instance, masterPassword: master.result, proxyEndpoint: proxy.endpoint, ...extras };
}
