import { boolean, integer, textList } from './lib/config.js';
import type { Violation } from './lib/define.js';
import { ofType, resourcePolicy, stackPolicy } from './lib/define.js';
import type { PlainResource } from './lib/resources.js';
import { TYPES, describe, parameterValue } from './lib/resources.js';
import type { Plain } from './lib/values.js';
import { asBoolean, asList, asMap, asNumber, asString, asStringList, found, isUnknown } from './lib/values.js';

const DATABASES = [TYPES.rdsInstance, TYPES.rdsCluster];

/** Read replicas inherit backups, encryption and credentials from their source. */
export function isReplica(r: PlainResource): boolean {
  const source = r.props.replicateSourceDb ?? r.props.replicationSourceIdentifier;
  return source !== undefined && source !== null && source !== '';
}


export const pgBackupsEnabled = stackPolicy({
  id: 'pg.backups.enabled',
  remediation:
    'Provision the database as an aws.rds.Instance with backupRetentionPeriod > 0 (prodcheck:postgres.backups.retentionDays), deletionProtection: true and skipFinalSnapshot: false, so automated daily backups run and survive a deletion.',
  config: {
    requireDatabase: boolean(false, 'The stack must provision an RDS database (true when prodcheck:postgres.provider is rds).'),
  },
  fromSpec: (spec) => ({ requireDatabase: spec.postgres?.provider === 'rds' }),
  check(resources, config) {
    const databases = ofType(resources, ...DATABASES).filter((r) => !isReplica(r));
    if (databases.length === 0) {
      if (!config.requireDatabase) return { notApplicable: 'the stack provisions no RDS database' };
      return [{ message: `the stack declares an RDS database (prodcheck:postgres.provider: rds) but provisions no ${TYPES.rdsInstance}, so nothing takes its backups` }];
    }
    const violations: Violation[] = [];
    for (const db of databases) {
      const retention = asNumber(db.props.backupRetentionPeriod);
      if (!isUnknown(retention) && !(retention !== undefined && retention > 0)) {
        violations.push({ resource: db, message: `backupRetentionPeriod must be greater than 0 so automated daily backups run (found ${found(db.props.backupRetentionPeriod)})` });
      }
      const protect = asBoolean(db.props.deletionProtection);
      if (!isUnknown(protect) && protect !== true) {
        violations.push({ resource: db, message: `deletionProtection must be true: deleting the instance deletes its automated backups (found ${found(db.props.deletionProtection)})` });
      }
      if (asBoolean(db.props.skipFinalSnapshot) === true) {
        violations.push({ resource: db, message: 'skipFinalSnapshot must be false so a deleted instance leaves a final snapshot (found true)' });
      }
    }
    return violations;
  },
});

export const pgBackupsRetention = resourcePolicy({
  id: 'pg.backups.retention',
  remediation: 'Set backupRetentionPeriod to at least the minimum (prodcheck:postgres.backups.retentionDays, 30 by default; RDS allows up to 35).',
  types: DATABASES,
  config: { minRetentionDays: integer(30, 'Fewest days of automated backups to keep.', { minimum: 1, maximum: 35 }) },
  fromSpec: (spec, d) => (spec.postgres ? { minRetentionDays: Math.max(d.minRetentionDays, spec.postgres.backups.retentionDays) } : {}),
  check(db, config) {
    if (isReplica(db)) return [];
    const days = asNumber(db.props.backupRetentionPeriod);
    if (isUnknown(days) || (days !== undefined && days >= config.minRetentionDays)) return [];
    return [`backupRetentionPeriod must be at least ${config.minRetentionDays} days (found ${found(db.props.backupRetentionPeriod)})`];
  },
});

export const pgEncryptionAtRest = resourcePolicy({
  id: 'pg.encryption-at-rest',
  remediation: 'Set storageEncrypted: true (with kmsKeyId for a customer-managed key). Encryption cannot be switched on in place: snapshot, copy encrypted and restore.',
  types: DATABASES,
  config: {},
  check(db) {
    if (isReplica(db)) return [];
    const encrypted = asBoolean(db.props.storageEncrypted);
    if (isUnknown(encrypted) || encrypted === true) return [];
    return [`storageEncrypted must be true (found ${encrypted === undefined ? 'not set: RDS leaves storage unencrypted by default' : 'false'})`];
  },
});

const OPEN = ['0.0.0.0/0', '::/0'];

function coversPort(protocol: Plain | undefined, from: Plain | undefined, to: Plain | undefined, port: number): boolean | undefined {
  const p = asString(protocol);
  if (isUnknown(p)) return undefined;
  if (p === '-1' || p === 'all') return true;
  if (p !== undefined && p.toLowerCase() !== 'tcp' && p !== '6') return false;
  const lo = asNumber(from);
  const hi = asNumber(to);
  if (isUnknown(lo) || isUnknown(hi)) return undefined;
  return (lo ?? 0) <= port && port <= (hi ?? lo ?? 65535);
}

function openRanges(...lists: (Plain | undefined)[]): string[] {
  return lists.flatMap((l) => {
    const single = asString(l);
    if (typeof single === 'string') return [single];
    const list = asStringList(l);
    return isUnknown(list) || list === undefined ? [] : [...list];
  }).filter((c) => OPEN.includes(c));
}

/** Violations of an ingress-carrying resource (group, rule, VPC ingress rule) that opens `port` to the world. */
export function ingressViolations(r: PlainResource, port: number): string[] {
  const rules: { cidrs: string[]; protocol: Plain | undefined; from: Plain | undefined; to: Plain | undefined }[] = [];
  if (r.type === TYPES.securityGroup) {
    const ingress = asList(r.props.ingress);
    for (const rule of isUnknown(ingress) || ingress === undefined ? [] : ingress) {
      const m = asMap(rule);
      if (isUnknown(m) || m === undefined) continue;
      rules.push({ cidrs: openRanges(m.cidrBlocks, m.ipv6CidrBlocks), protocol: m.protocol, from: m.fromPort, to: m.toPort });
    }
  } else if (r.type === TYPES.securityGroupRule) {
    if (asString(r.props.type) !== 'ingress') return [];
    rules.push({ cidrs: openRanges(r.props.cidrBlocks, r.props.ipv6CidrBlocks), protocol: r.props.protocol, from: r.props.fromPort, to: r.props.toPort });
  } else {
    rules.push({ cidrs: openRanges(r.props.cidrIpv4, r.props.cidrIpv6), protocol: r.props.ipProtocol, from: r.props.fromPort, to: r.props.toPort });
  }
  return rules
    .filter((rule) => rule.cidrs.length > 0 && coversPort(rule.protocol, rule.from, rule.to, port) === true)
    .map((rule) => `ingress from ${rule.cidrs.join(' and ')} reaches port ${port}: admit only the app's CIDRs or security groups`);
}

export const pgNetworkAccess = resourcePolicy({
  id: 'pg.network-access',
  remediation:
    'Set publiclyAccessible: false, admit only the app network (prodcheck:postgres.network.allowedCidrs / allowedSecurityGroupIds) on the database port, and set rds.force_ssl=1 in the instance parameter group.',
  types: [TYPES.rdsInstance, TYPES.rdsCluster, TYPES.rdsParameterGroup, TYPES.securityGroup, TYPES.securityGroupRule, TYPES.ingressRule],
  config: {
    port: integer(5432, 'The database port that must not be open to the internet.', { minimum: 1, maximum: 65535 }),
    requireForceSsl: boolean(true, 'Postgres parameter groups must set rds.force_ssl=1 (connections without TLS refused).'),
  },
  check(r, config) {
    if (r.type === TYPES.rdsInstance || r.type === TYPES.rdsCluster) {
      const pub = asBoolean(r.props.publiclyAccessible);
      return pub === true ? ['publiclyAccessible must be false (found true)'] : [];
    }
    if (r.type === TYPES.rdsParameterGroup) {
      const family = asString(r.props.family);
      if (!config.requireForceSsl || typeof family !== 'string' || !family.startsWith('postgres')) return [];
      const value = parameterValue(r, 'rds.force_ssl');
      if (isUnknown(value) || String(value) === '1') return [];
      return [`parameter rds.force_ssl must be 1 so the database refuses connections without TLS (found ${value === undefined ? 'not set' : JSON.stringify(String(value))})`];
    }
    return ingressViolations(r, config.port);
  },
});

/** A password input must be generated (RandomPassword, long enough) or, for an RDS master, managed by RDS. */
function passwordViolation(r: PlainResource, key: string, minLength: number, what: string, managed: boolean): string | undefined {
  if (managed && asBoolean(r.props.manageMasterUserPassword) === true) return undefined;
  const sources = r.propertyDependencies[key] ?? [];
  const generators = sources.filter((d) => d.type === TYPES.randomPassword);
  if (generators.length > 0) {
    const short = generators.find((g) => {
      const length = asNumber(g.props.length);
      return !isUnknown(length) && (length ?? 0) < minLength;
    });
    return short ? `${what} comes from ${describe(short)} with length ${found(short.props.length)}; it must be at least ${minLength}` : undefined;
  }
  const password = asString(r.props[key]);
  if (isUnknown(password) && sources.length === 0) return undefined;
  const source =
    password === undefined ? 'no password' : sources.length > 0 ? `a value computed from ${sources.map(describe).join(', ')}` : `a value set in the program (length ${(password as string).length})`;
  return `${what} must come from random.RandomPassword (length ≥ ${minLength})${managed ? ' or manageMasterUserPassword must be true' : ''} (found ${source})`;
}

export const pgCredentials = stackPolicy({
  id: 'pg.credentials',
  remediation: 'Generate every database password with random.RandomPassword(length >= 32) per stack, or set manageMasterUserPassword: true; never write a password into the program or the stack file.',
  config: { minLength: integer(32, 'Shortest acceptable generated password.', { minimum: 16 }) },
  check(resources, config) {
    const databases = ofType(resources, ...DATABASES).filter((r) => !isReplica(r));
    const roles = ofType(resources, TYPES.pgRole).filter((r) => r.props.password !== undefined);
    const access = ofType(resources, TYPES.pgAccess);
    if (databases.length + roles.length + access.length === 0) return { notApplicable: 'the stack has no database, role or access rules with a password' };
    const violations: Violation[] = [];
    const check = (r: PlainResource, key: string, what: string, managed: boolean) => {
      const message = passwordViolation(r, key, config.minLength, what, managed);
      if (message) violations.push({ resource: r, message });
    };
    for (const db of databases) check(db, 'password', 'the master password', true);
    for (const role of roles) check(role, 'password', `the password of role ${found(role.props.name)}`, false);
    for (const a of access) {
      for (const key of ['appPassword', 'verifierPassword']) if (a.props[key] !== undefined) check(a, key, `the ${key} of the Postgres access rules`, false);
    }
    return violations;
  },
});

export const pgGrantsLeastPrivilege = resourcePolicy({
  id: 'pg.grants.least-privilege',
  remediation:
    'Give the application role LOGIN only (superuser, createRole and createDatabase false), grant the table privileges it uses (SELECT, INSERT, UPDATE, DELETE), never ALL, and never let the app log in as the owner.',
  types: [TYPES.pgRole, TYPES.pgGrant, TYPES.pgAccess],
  config: {},
  check(r) {
    if (r.type === TYPES.pgAccess) {
      const admin = asString(r.props.adminUser);
      if (typeof admin !== 'string') return [];
      return (['appRole', 'verifierRole'] as const)
        .filter((k) => asString(r.props[k]) === admin)
        .map((k) => `${k} ${JSON.stringify(admin)} must not be the admin login: the ${k === 'appRole' ? 'app' : 'verifier'} would run with the owner's privileges`);
    }
    if (r.type === TYPES.pgRole) {
      const role = found(r.props.name);
      return (['superuser', 'createRole', 'createDatabase'] as const).filter((flag) => asBoolean(r.props[flag]) === true).map((flag) => `role ${role} must not have ${flag} (found true)`);
    }
    const privileges = asStringList(r.props.privileges);
    if (isUnknown(privileges) || !privileges?.some((p) => p.toUpperCase() === 'ALL')) return [];
    return [`grant to role ${found(r.props.role)} on ${found(r.props.objectType)} must list the privileges the app uses, not ALL`];
  },
});

const WRITES = ['UPDATE', 'DELETE', 'TRUNCATE', 'ALL'];

function qualified(table: string, schema = 'public'): string {
  return table.includes('.') ? table : `${schema}.${table}`;
}

export const pgGrantsAppendOnly = resourcePolicy({
  id: 'pg.grants.append-only',
  remediation: 'Grant only SELECT and INSERT on append-only tables (prodcheck:postgres.appendOnly), and revoke UPDATE, DELETE and TRUNCATE.',
  types: [TYPES.pgGrant, TYPES.pgAccess],
  config: { tables: textList([], 'Append-only tables, schema-qualified or in public (from prodcheck:postgres.appendOnly).') },
  fromSpec: (spec) => ({ tables: spec.postgres?.appendOnly ?? [] }),
  check(grant, config) {
    if (grant.type === TYPES.pgAccess) {
      const listed = asStringList(grant.props.appendOnly);
      if (isUnknown(listed)) return [];
      const have = (listed ?? []).map((t) => qualified(t));
      return config.tables
        .map((t) => qualified(t))
        .filter((t) => !have.includes(t))
        .map((t) => `appendOnly must list ${t} so the access rules revoke UPDATE, DELETE and TRUNCATE on it`);
    }
    if (config.tables.length === 0 || asString(grant.props.objectType) !== 'table') return [];
    const privileges = asStringList(grant.props.privileges);
    const objects = asStringList(grant.props.objects);
    const schema = asString(grant.props.schema);
    if (isUnknown(privileges) || isUnknown(objects) || isUnknown(schema) || privileges === undefined) return [];
    const writes = privileges.map((p) => p.toUpperCase()).filter((p) => WRITES.includes(p));
    if (writes.length === 0) return [];
    const appendOnly = config.tables.map((t) => qualified(t));
    // An empty object list grants on every table of the schema.
    const granted = objects === undefined || objects.length === 0 ? appendOnly.filter((t) => t.startsWith(`${schema ?? 'public'}.`)) : objects.map((o) => qualified(o, schema ?? 'public')).filter((t) => appendOnly.includes(t));
    return granted.map((t) => `append-only table ${t} must not be granted ${writes.join(', ')} (grant to role ${found(grant.props.role)})`);
  },
});

export const DATABASE_POLICIES = [pgBackupsEnabled, pgBackupsRetention, pgEncryptionAtRest, pgNetworkAccess, pgCredentials, pgGrantsLeastPrivilege, pgGrantsAppendOnly];
