import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import type { PostgresSpec } from '../../spec/index.js';
import type { PgLogin } from '../pg-url.js';
import { neonPoolerHost, parsePgUrl, pgUrl } from '../pg-url.js';
import { PostgresAccess } from '../providers/postgres-access.js';
import { ProvisionLog, provisions } from '../provisions.js';
import { createAccessLambda } from './access-lambda.js';
import type { Rds } from './rds.js';
import { createRds, RDS_MASTER_USER } from './rds.js';

export const DATABASE = provisions('infra/components/database.ts', [
  'pg.instance',
  'pg.backups.enabled',
  'pg.backups.retention',
  'pg.backups.restore-test',
  'pg.read-replica',
  'pg.encryption-at-rest',
  'pg.network-access',
  'pg.credentials',
  'pg.connection-pooling',
  'pg.grants.least-privilege',
  'pg.grants.append-only',
  'pg.multi-az',
  'pg.enhanced-monitoring',
  'pg.iam-auth',
  'platform.kms-keys',
]);

export interface DatabaseArgs {
  readonly spec: PostgresSpec;
  readonly app: string;
  readonly stack: string;
  /** Whether the app logs in with its role (an env var is from postgres.url); else the role is NOLOGIN. */
  readonly appLogin: boolean;
  /** The owner login of a database this program does not create (`postgres:adminUrl`). */
  readonly adminUrl?: pulumi.Output<string>;
  /** host:port to reach the database through instead (a tunnel into the VPC), for the access provider only. */
  readonly adminEndpoint?: string;
  /** PEM bundle to verify the server certificate with. */
  readonly caCert?: string;
  /**
   * Where the access rules are applied from (`postgres:accessVia`): `direct`, the machine running
   * `pulumi up` (through adminEndpoint if set); `lambda`, a Lambda in the RDS database's VPC.
   */
  readonly accessVia?: 'direct' | 'lambda';
}

type Login = { readonly [K in keyof PgLogin]: pulumi.Output<PgLogin[K]> };

const PASSWORD = { length: 40, special: false } as const;

/**
 * Postgres for the app: on RDS the instance (see rds.ts); on any provider with an admin login, the app
 * and verifier roles, RLS and append-only rules (PostgresAccess), and the URLs the app and verify use.
 */
export class Database extends pulumi.ComponentResource {
  /** The app role's URL (through the pooler where there is one), secret; undefined when the app role cannot log in. */
  readonly appUrl?: pulumi.Output<string>;
  readonly appHost?: pulumi.Output<string>;
  /** The pooler the app connects through, with the app login, secret. */
  readonly poolerUrl?: pulumi.Output<string>;
  /** The read-only verifier role's URL to the database itself, secret. */
  readonly verifierUrl?: pulumi.Output<string>;
  /** The master login of an RDS database, for migrations (the app role cannot run DDL), secret. */
  readonly adminUrl?: pulumi.Output<string>;
  readonly instanceId?: pulumi.Output<string>;
  /** postgres.restoreTest on RDS: the AWS Backup restore testing plan verify reads restore jobs of. */
  readonly restoreTestingPlanArn?: pulumi.Output<string>;
  readonly access?: PostgresAccess;
  /** postgres:accessVia lambda: what the in-VPC Lambda reported (roles it created, drift). */
  readonly accessResult?: pulumi.Output<{ readonly createdRoles: readonly string[]; readonly drift: readonly string[] }>;
  readonly provisioned = new ProvisionLog(DATABASE);

  constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super('prodcheck:database:Database', name, {}, opts);
    const { spec } = args;
    const parent = { parent: this };
    const appPassword = args.appLogin || spec.provider === 'rds' ? new random.RandomPassword(`${name}-app-password`, PASSWORD, parent).result : undefined;

    let admin: Login | undefined;
    let poolerHost: pulumi.Output<string> | undefined;
    let accessNetwork: Rds['accessNetwork'];
    const viaLambda = spec.provider === 'rds' && args.accessVia === 'lambda';
    if (spec.provider === 'rds') {
      const rds = createRds(name, { spec, app: args.app, stack: args.stack, appRole: spec.appRole, ...(appPassword ? { appPassword } : {}), accessViaLambda: viaLambda }, this);
      accessNetwork = rds.accessNetwork;
      admin = { host: rds.instance.address, port: rds.instance.port, database: pulumi.output(spec.database), user: pulumi.output(RDS_MASTER_USER), password: rds.masterPassword };
      poolerHost = rds.proxyEndpoint;
      this.instanceId = rds.instance.identifier;
      if (rds.restoreTest) this.restoreTestingPlanArn = rds.restoreTest.restoreTestingPlan.arn;
      this.adminUrl = pulumi.secret(pulumi.all([admin.host, admin.port, admin.password]).apply(([host, port, password]) => pgUrl({ host, port, database: spec.database, user: RDS_MASTER_USER, password }, spec.tls)));
      this.provisioned.claim('pg.instance', 'pg.backups.enabled', 'pg.network-access', 'pg.credentials');
      if (spec.backups.retentionDays >= 30) this.provisioned.claim('pg.backups.retention');
      if (spec.encryption.atRest) this.provisioned.claim('pg.encryption-at-rest');
      if (rds.proxyEndpoint) this.provisioned.claim('pg.connection-pooling');
      this.provisioned.claim('pg.enhanced-monitoring', 'pg.iam-auth');
      if (spec.multiAz) this.provisioned.claim('pg.multi-az');
      if (rds.restoreTest) this.provisioned.claim('pg.backups.restore-test');
      if (rds.replica) this.provisioned.claim('pg.read-replica');
      if (spec.encryption.atRest && spec.encryption.kmsKeyArn === undefined) this.provisioned.claim('platform.kms-keys');
    } else if (args.adminUrl) {
      const parsed = args.adminUrl.apply(parsePgUrl);
      // Where the database is, is no secret; only the password is.
      admin = {
        host: pulumi.unsecret(parsed.host),
        port: pulumi.unsecret(parsed.port),
        database: pulumi.unsecret(parsed.database),
        user: pulumi.unsecret(parsed.user),
        password: pulumi.secret(parsed.password),
      };
      if (spec.provider === 'neon' && spec.pooling.enabled) poolerHost = admin.host.apply(neonPoolerHost);
    }

    if (admin) {
      const verifierPassword = new random.RandomPassword(`${name}-verifier-password`, PASSWORD, parent).result;
      const rules = {
        appRole: spec.appRole,
        verifierRole: spec.verifierRole,
        tables: spec.tables,
        rls: spec.rls,
        appendOnly: spec.appendOnly,
      };
      let ready: pulumi.Output<string>;
      let drift: pulumi.Output<readonly string[]>;
      if (viaLambda && accessNetwork) {
        const login = admin;
        const event = pulumi
          .all([login.host, login.port, login.database, login.user, login.password, verifierPassword, appPassword ?? pulumi.output(undefined)])
          .apply(([host, port, database, adminUser, adminPassword, verifierPw, appPw]) => ({
            host,
            port,
            database,
            adminUser,
            adminPassword,
            // Inside the VPC the connection is to the instance's own name; verify-full needs the RDS bundle (postgres:caCert).
            sslmode: (!spec.tls ? 'disable' : args.caCert ? 'verify-full' : 'require') as 'disable' | 'require' | 'verify-full',
            ...(args.caCert ? { ca: args.caCert } : {}),
            ...rules,
            ...(appPw !== undefined ? { appPassword: appPw } : {}),
            verifierPassword: verifierPw,
            claim: `prodcheck:${pulumi.getProject()}/${args.stack}/${name}`,
          }));
        const lambda = createAccessLambda(`${name}-access`, { event, subnetIds: accessNetwork.subnetIds, securityGroupId: accessNetwork.securityGroupId, tags: { app: args.app, stack: args.stack, 'managed-by': 'prodcheck' } }, this);
        this.accessResult = lambda.result;
        ready = lambda.ready;
        drift = lambda.result.apply((r) => r.drift);
      } else {
        const endpoint = args.adminEndpoint?.split(':');
        const access = new PostgresAccess(
          `${name}-access`,
          {
            host: endpoint?.[0] ?? admin.host,
            port: endpoint?.[1] !== undefined ? Number(endpoint[1]) : admin.port,
            database: admin.database,
            adminUser: admin.user,
            adminPassword: admin.password,
            // A tunnel's address is not the certificate's name, so TLS is checked only when connecting directly.
            sslmode: !spec.tls ? 'disable' : args.caCert && !endpoint ? 'verify-full' : 'require',
            ...(args.caCert ? { ca: args.caCert } : {}),
            ...rules,
            ...(appPassword ? { appPassword } : {}),
            verifierPassword,
          },
          parent,
        );
        this.access = access;
        ready = access.id;
        drift = access.drift;
      }
      this.provisioned.claim('pg.grants.least-privilege');
      if (spec.appendOnly.length > 0) this.provisioned.claim('pg.grants.append-only');
      drift.apply((d) => {
        if (d.length > 0) pulumi.log.warn(`Postgres access rules are not fully in place:\n${d.map((x) => `  - ${x}`).join('\n')}`, this);
      });

      // After the access resource, so nobody is handed a URL before its role exists.
      const url = (host: pulumi.Input<string>, port: pulumi.Input<number>, user: string, password: pulumi.Output<string>) =>
        pulumi.secret(pulumi.all([ready, host, port, admin.database, password]).apply(([, h, p, database, pw]) => pgUrl({ host: h, port: p, database, user, password: pw }, spec.tls)));
      this.verifierUrl = url(admin.host, admin.port, spec.verifierRole, verifierPassword);
      if (appPassword) {
        this.appHost = poolerHost ?? admin.host;
        this.appUrl = url(this.appHost, admin.port, spec.appRole, appPassword);
        if (poolerHost) this.poolerUrl = this.appUrl;
      }
    }

    this.registerOutputs({ appHost: this.appHost, instanceId: this.instanceId, controls: this.provisioned.controls });
  }
}
