import { describe, expect, it } from 'vitest';
import { pgBackupsEnabled, pgBackupsRetention, pgCredentials, pgEncryptionAtRest, pgGrantsAppendOnly, pgGrantsLeastPrivilege, pgNetworkAccess } from '../../policies/database.js';
import { TYPES } from '../../policies/lib/resources.js';
import { UNKNOWN, res, runResource, runStack } from './harness.js';

const ACCESS = 'pulumi-nodejs:dynamic/postgres:Access';

const instance = (props: Record<string, unknown> = {}, deps = {}) =>
  res(TYPES.rdsInstance, 'chat-db-instance', { engine: 'postgres', backupRetentionPeriod: 30, deletionProtection: true, skipFinalSnapshot: false, storageEncrypted: true, publiclyAccessible: false, password: UNKNOWN, ...props }, { deps });

describe('pg.backups.enabled', () => {
  it('passes a database with backups that survive a deletion', async () => {
    expect((await runStack(pgBackupsEnabled, [instance()], { requireDatabase: true })).violations).toEqual([]);
  });

  it('fails backups switched off, deletion protection off and a skipped final snapshot, naming the instance', async () => {
    const db = instance({ backupRetentionPeriod: 0, deletionProtection: false, skipFinalSnapshot: true });
    const out = await runStack(pgBackupsEnabled, [db], { requireDatabase: true });
    expect(out.violations).toEqual([
      'backupRetentionPeriod must be greater than 0 so automated daily backups run (found 0)',
      'deletionProtection must be true: deleting the instance deletes its automated backups (found false)',
      'skipFinalSnapshot must be false so a deleted instance leaves a final snapshot (found true)',
    ]);
    expect(out.urns).toEqual([db.urn, db.urn, db.urn]);
  });

  it('fails a stack that declares RDS and provisions none', async () => {
    expect((await runStack(pgBackupsEnabled, [], { requireDatabase: true })).violations).toEqual([
      'the stack declares an RDS database (prodcheck:postgres.provider: rds) but provisions no aws:rds/instance:Instance, so nothing takes its backups',
    ]);
  });

  it('does not apply to a stack without RDS that does not need one, nor judge read replicas', async () => {
    expect((await runStack(pgBackupsEnabled, [])).notApplicable).toBe('the stack provisions no RDS database');
    expect((await runStack(pgBackupsEnabled, [instance({ replicateSourceDb: 'primary', backupRetentionPeriod: 0 })])).notApplicable).toBe('the stack provisions no RDS database');
  });
});

describe('pg.backups.retention', () => {
  it('passes 30 days and fails 7, with the minimum from config', async () => {
    expect((await runResource(pgBackupsRetention, instance())).violations).toEqual([]);
    expect((await runResource(pgBackupsRetention, instance({ backupRetentionPeriod: 7 }))).violations).toEqual(['backupRetentionPeriod must be at least 30 days (found 7)']);
    expect((await runResource(pgBackupsRetention, instance(), { minRetentionDays: 35 })).violations).toEqual(['backupRetentionPeriod must be at least 35 days (found 30)']);
  });

  it('fails a retention left unset and skips one not known at preview', async () => {
    expect((await runResource(pgBackupsRetention, instance({ backupRetentionPeriod: undefined }))).violations).toEqual(['backupRetentionPeriod must be at least 30 days (found not set)']);
    expect((await runResource(pgBackupsRetention, instance({ backupRetentionPeriod: UNKNOWN }))).violations).toEqual([]);
  });

  it('is not applicable to other resources', async () => {
    expect((await runResource(pgBackupsRetention, res(TYPES.randomPassword, 'pw', { length: 40 }))).notApplicable).toBe('applies to aws:rds/instance:Instance, aws:rds/cluster:Cluster');
  });
});

describe('pg.encryption-at-rest', () => {
  it('passes encrypted storage and fails it off or unset', async () => {
    expect((await runResource(pgEncryptionAtRest, instance())).violations).toEqual([]);
    expect((await runResource(pgEncryptionAtRest, instance({ storageEncrypted: false }))).violations).toEqual(['storageEncrypted must be true (found false)']);
    expect((await runResource(pgEncryptionAtRest, instance({ storageEncrypted: undefined }))).violations).toEqual(['storageEncrypted must be true (found not set: RDS leaves storage unencrypted by default)']);
  });
});

describe('pg.network-access', () => {
  const params = (value: string | undefined) =>
    res(TYPES.rdsParameterGroup, 'chat-db-params', { family: 'postgres16', parameters: value === undefined ? [{ name: 'log_connections', value: '1' }] : [{ name: 'rds.force_ssl', value }] });
  const sg = (ingress: unknown[]) => res(TYPES.securityGroup, 'chat-db-sg', { ingress });

  it('passes a private instance, a TLS-only parameter group and ingress from the app network', async () => {
    expect((await runResource(pgNetworkAccess, instance())).violations).toEqual([]);
    expect((await runResource(pgNetworkAccess, params('1'))).violations).toEqual([]);
    expect((await runResource(pgNetworkAccess, sg([{ protocol: 'tcp', fromPort: 5432, toPort: 5432, cidrBlocks: ['10.60.0.0/16'] }]))).violations).toEqual([]);
  });

  it('fails a publicly accessible instance', async () => {
    expect((await runResource(pgNetworkAccess, instance({ publiclyAccessible: true }))).violations).toEqual(['publiclyAccessible must be false (found true)']);
  });

  it('fails rds.force_ssl 0 or missing', async () => {
    expect((await runResource(pgNetworkAccess, params('0'))).violations).toEqual(['parameter rds.force_ssl must be 1 so the database refuses connections without TLS (found "0")']);
    expect((await runResource(pgNetworkAccess, params(undefined))).violations).toEqual(['parameter rds.force_ssl must be 1 so the database refuses connections without TLS (found not set)']);
  });

  it('fails ingress from anywhere that reaches 5432, inline or as a rule, and ignores other ports', async () => {
    expect((await runResource(pgNetworkAccess, sg([{ protocol: '-1', fromPort: 0, toPort: 0, cidrBlocks: ['0.0.0.0/0'] }]))).violations).toEqual([
      "ingress from 0.0.0.0/0 reaches port 5432: admit only the app's CIDRs or security groups",
    ]);
    expect((await runResource(pgNetworkAccess, sg([{ protocol: 'tcp', fromPort: 443, toPort: 443, cidrBlocks: ['0.0.0.0/0'] }]))).violations).toEqual([]);
    const rule = res(TYPES.ingressRule, 'open', { ipProtocol: 'tcp', fromPort: 5000, toPort: 6000, cidrIpv6: '::/0' });
    expect((await runResource(pgNetworkAccess, rule)).violations).toEqual(["ingress from ::/0 reaches port 5432: admit only the app's CIDRs or security groups"]);
  });
});

describe('pg.credentials', () => {
  const pw = (length: number) => res(TYPES.randomPassword, `pw-${length}`, { length, special: false });

  it('passes a master password generated with 40 characters, and a managed master password', async () => {
    const g = pw(40);
    expect((await runStack(pgCredentials, [g, instance({}, { password: [g] })])).violations).toEqual([]);
    expect((await runStack(pgCredentials, [instance({ manageMasterUserPassword: true, password: undefined })])).violations).toEqual([]);
  });

  it('fails a generator shorter than 32 and a password written into the program, never showing it', async () => {
    const g = pw(16);
    expect((await runStack(pgCredentials, [g, instance({}, { password: [g] })])).violations).toEqual([
      'the master password comes from pw-16 (random:index/randomPassword:RandomPassword) with length 16; it must be at least 32',
    ]);
    const out = await runStack(pgCredentials, [instance({ password: 'hunter2-hunter2' })]);
    expect(out.violations).toEqual(['the master password must come from random.RandomPassword (length ≥ 32) or manageMasterUserPassword must be true (found a value set in the program (length 15))']);
    expect(out.violations.join()).not.toContain('hunter2');
  });

  it('checks the app and verifier passwords of the Postgres access rules', async () => {
    const g = pw(40);
    const access = (deps: Record<string, unknown[]>, props: Record<string, unknown> = {}) =>
      res(ACCESS, 'chat-db-access', { appRole: 'app', verifierRole: 'prodcheck_verifier', adminUser: 'dbadmin', appPassword: UNKNOWN, verifierPassword: UNKNOWN, ...props }, { deps: deps as never });
    expect((await runStack(pgCredentials, [g, access({ appPassword: [g], verifierPassword: [g] })])).violations).toEqual([]);
    expect((await runStack(pgCredentials, [g, access({ appPassword: [g] }, { verifierPassword: 'short-literal' })])).violations).toEqual([
      'the verifierPassword of the Postgres access rules must come from random.RandomPassword (length ≥ 32) (found a value set in the program (length 13))',
    ]);
  });
});

describe('pg.grants.least-privilege', () => {
  it('passes a login-only role and table DML grants', async () => {
    expect((await runResource(pgGrantsLeastPrivilege, res(TYPES.pgRole, 'app', { name: 'app', login: true, superuser: false }))).violations).toEqual([]);
    expect((await runResource(pgGrantsLeastPrivilege, res(TYPES.pgGrant, 'dml', { role: 'app', objectType: 'table', privileges: ['SELECT', 'INSERT'] }))).violations).toEqual([]);
  });

  it('fails superuser, role and database creation, and ALL privileges', async () => {
    expect((await runResource(pgGrantsLeastPrivilege, res(TYPES.pgRole, 'app', { name: 'app', superuser: true, createRole: true, createDatabase: true }))).violations).toEqual([
      'role "app" must not have superuser (found true)',
      'role "app" must not have createRole (found true)',
      'role "app" must not have createDatabase (found true)',
    ]);
    expect((await runResource(pgGrantsLeastPrivilege, res(TYPES.pgGrant, 'all', { role: 'app', objectType: 'table', privileges: ['ALL'] }))).violations).toEqual([
      'grant to role "app" on "table" must list the privileges the app uses, not ALL',
    ]);
  });

  it('fails access rules that make the admin login the app role', async () => {
    const access = res(ACCESS, 'chat-db-access', { appRole: 'dbadmin', verifierRole: 'prodcheck_verifier', adminUser: 'dbadmin' });
    expect((await runResource(pgGrantsLeastPrivilege, access)).violations).toEqual(["appRole \"dbadmin\" must not be the admin login: the app would run with the owner's privileges"]);
  });
});

describe('pg.grants.append-only', () => {
  const config = { tables: ['audit_events'] };

  it('passes SELECT and INSERT on an append-only table and access rules that list it', async () => {
    expect((await runResource(pgGrantsAppendOnly, res(TYPES.pgGrant, 'audit', { role: 'app', schema: 'public', objectType: 'table', objects: ['audit_events'], privileges: ['SELECT', 'INSERT'] }), config)).violations).toEqual([]);
    expect((await runResource(pgGrantsAppendOnly, res(ACCESS, 'access', { appendOnly: ['audit_events'] }), config)).violations).toEqual([]);
  });

  it('fails UPDATE or DELETE on an append-only table, also through a schema-wide grant', async () => {
    expect((await runResource(pgGrantsAppendOnly, res(TYPES.pgGrant, 'audit', { role: 'app', schema: 'public', objectType: 'table', objects: ['audit_events'], privileges: ['SELECT', 'UPDATE', 'DELETE'] }), config)).violations).toEqual([
      'append-only table public.audit_events must not be granted UPDATE, DELETE (grant to role "app")',
    ]);
    expect((await runResource(pgGrantsAppendOnly, res(TYPES.pgGrant, 'all-tables', { role: 'app', schema: 'public', objectType: 'table', objects: [], privileges: ['ALL'] }), config)).violations).toEqual([
      'append-only table public.audit_events must not be granted ALL (grant to role "app")',
    ]);
  });

  it('fails access rules that leave an append-only table out', async () => {
    expect((await runResource(pgGrantsAppendOnly, res(ACCESS, 'access', { appendOnly: [] }), config)).violations).toEqual([
      'appendOnly must list public.audit_events so the access rules revoke UPDATE, DELETE and TRUNCATE on it',
    ]);
  });
});
