import type { PostgresSpec, StackSpec } from '../../spec/index.js';
import type { Check, Finding } from '../types.js';
import { errorText } from '../net.js';
import type { AwsSnapshot, IngressRule, RdsInstance, RdsState } from './collect.js';

const WORLD = ['0.0.0.0/0', '::/0'];

function pgSpecOf(spec: StackSpec): PostgresSpec {
  if (!spec.postgres) throw new Error('the stack has no prodcheck:postgres section');
  return spec.postgres;
}

/**
 * A control-plane check of the RDS instance: skips when Postgres is not on RDS, errors when the
 * instance could not be described, fails when it does not exist; `judge` sees a described instance.
 */
function rdsCheck(
  id: string,
  judge: (db: RdsInstance, name: string, pg: PostgresSpec, s: RdsState, at: number) => Finding[],
  /** Why the stack does not ask for this control, if it does not. */
  notAsked: (pg: PostgresSpec) => string | undefined = () => undefined,
): Check<AwsSnapshot> {
  return {
    id,
    target: 'aws',
    evaluate(snapshot, spec) {
      const s = snapshot.rds;
      if ('notOnAws' in s) return [{ status: 'skip', message: `${s.notOnAws}: the RDS control plane is not checked.` }];
      const why = notAsked(pgSpecOf(spec));
      if (why !== undefined) return [{ status: 'skip', message: why }];
      const name = s.instanceId;
      if (!s.instance.ok) return [{ status: 'error', resource: name, message: `Could not describe RDS instance ${name} (${s.instance.error}).` }];
      if (s.instance.value === null) return [{ status: 'fail', resource: name, message: `RDS instance ${name} must exist (found none).`, expected: 'exists', actual: 'none' }];
      return judge(s.instance.value, name, pgSpecOf(spec), s, snapshot.collectedAt).map((f) => ({ resource: name, ...f }));
    },
  };
}

export const pgInstance = rdsCheck('pg.instance', (db, name, pg) => {
  const status: Finding =
    db.status === 'available'
      ? { status: 'pass', message: `RDS instance ${name} is available (${db.engine} ${db.engineVersion}, ${db.instanceClass}).`, expected: 'available', actual: db.status }
      : { status: 'fail', message: `RDS instance ${name} must be available (found ${db.status}).`, expected: 'available', actual: db.status };
  if (!pg.deletionProtection) return [status];
  // Deletion protection keeps the production instance in existence, which is what pg.instance asserts.
  const protection: Finding = db.deletionProtection
    ? { status: 'pass', message: `RDS instance ${name} has deletion protection on.`, expected: 'deletion protection on', actual: 'on' }
    : { status: 'fail', message: `RDS instance ${name} must have deletion protection on (found it off).`, expected: 'deletion protection on', actual: 'off' };
  return [status, protection];
});

export const pgBackupsEnabled = rdsCheck('pg.backups.enabled', (db, name, pg) => {
  const want = pg.backups.window;
  const expected = `automated backups in the window ${want}`;
  if (db.backupRetentionDays <= 0) {
    return [{ status: 'fail', message: `RDS instance ${name} must take automated backups (found backup retention 0: automated backups are off).`, expected, actual: 'off' }];
  }
  const actual = `window ${db.backupWindow ?? 'unset'}`;
  return db.backupWindow === want
    ? [{ status: 'pass', message: `RDS instance ${name} takes automated daily backups (retention ${db.backupRetentionDays} days, window ${want}).`, expected, actual }]
    : [{ status: 'fail', message: `RDS instance ${name} must take automated backups in the window ${want} (found ${db.backupWindow ?? 'no window'}).`, expected, actual }];
});

export const pgBackupsRetention = rdsCheck('pg.backups.retention', (db, name, pg) => {
  const want = pg.backups.retentionDays;
  const expected = `at least ${want} days`;
  const actual = `${db.backupRetentionDays} days`;
  return db.backupRetentionDays >= want
    ? [{ status: 'pass', message: `RDS instance ${name} keeps backups for ${db.backupRetentionDays} days (at least ${want}).`, expected, actual }]
    : [{ status: 'fail', message: `RDS instance ${name} must keep backups for at least ${want} days (found ${db.backupRetentionDays}).`, expected, actual }];
});

const hours = (ms: number) => `${(ms / 3_600_000).toFixed(1)} h`;

export const pgBackupsRecent = rdsCheck('pg.backups.recent', (db, name, pg, s, at) => {
  const limit = pg.backups.maxAgeHours;
  const expected = `under ${limit} h old`;
  const candidates = [
    ...(db.latestRestorableTime !== undefined ? [{ at: db.latestRestorableTime, what: 'latest restorable time' }] : []),
    ...(s.newestSnapshot.ok && s.newestSnapshot.value ? [{ at: s.newestSnapshot.value.createdAt, what: `automated snapshot ${s.newestSnapshot.value.id}` }] : []),
  ].sort((a, b) => b.at - a.at);
  const newest = candidates[0];
  if (!newest) {
    if (!s.newestSnapshot.ok) return [{ status: 'error', message: `Could not list the automated snapshots of RDS instance ${name} (${s.newestSnapshot.error}).` }];
    return [{ status: 'fail', message: `The newest RDS backup of ${name} must be under ${limit} h old (found no automated snapshot and no restorable time).`, expected, actual: 'none' }];
  }
  const age = Math.max(0, at - newest.at);
  return age <= limit * 3_600_000
    ? [{ status: 'pass', message: `The newest RDS backup of ${name} is ${hours(age)} old (${newest.what}; limit ${limit} h).`, expected, actual: hours(age) }]
    : [{ status: 'fail', message: `The newest RDS backup of ${name} must be under ${limit} h old (found ${hours(age)}: ${newest.what}).`, expected, actual: hours(age) }];
});

export const pgEncryptionAtRest = rdsCheck(
  'pg.encryption-at-rest',
  (db, name, pg) => {
    const key = pg.encryption.kmsKeyArn;
    const expected = key ? `encrypted with ${key}` : 'encrypted';
    if (!db.storageEncrypted) return [{ status: 'fail', message: `RDS instance ${name} must encrypt its storage at rest (found StorageEncrypted false).`, expected, actual: 'not encrypted' }];
    if (key && db.kmsKeyId !== key) {
      return [{ status: 'fail', message: `RDS instance ${name} must encrypt its storage with KMS key ${key} (found ${db.kmsKeyId ?? 'no key id'}).`, expected, actual: db.kmsKeyId ?? 'no key id' }];
    }
    return [{ status: 'pass', message: `RDS instance ${name} encrypts its storage at rest (KMS key ${db.kmsKeyId ?? 'AWS managed'}).`, expected, actual: 'encrypted' }];
  },
  (pg) => (pg.encryption.atRest ? undefined : 'The stack does not ask for encryption at rest (postgres.encryption.atRest: false).'),
);

const coversPort = (r: IngressRule, port: number) => r.protocol === '-1' || (r.protocol === 'tcp' && (r.fromPort ?? 0) <= port && port <= (r.toPort ?? 65535));

export const pgNetworkAccess = rdsCheck(
  'pg.network-access',
  (db, name, pg, s) => {
    if (!s.ingress.ok) return [{ status: 'error', message: `Could not read the security groups of RDS instance ${name} (${s.ingress.error}).` }];
    const port = db.port;
    const onPort = s.ingress.value.filter((r) => coversPort(r, port));
    const allowed = pg.network.allowedCidrs;
    const problems = [
      ...(db.publiclyAccessible ? ['publicly accessible'] : []),
      ...onPort.flatMap((r) => r.cidrs.filter((c) => WORLD.includes(c)).map((c) => `${r.groupId} open to ${c} on port ${port}`)),
      ...(allowed.length > 0
        ? onPort.flatMap((r) => r.cidrs.filter((c) => !WORLD.includes(c) && !allowed.includes(c)).map((c) => `${r.groupId} admitting ${c}, which postgres.network.allowedCidrs does not list`))
        : []),
    ];
    const expected = `not publicly accessible, port ${port} closed to the internet`;
    if (problems.length > 0) {
      return [{ status: 'fail', message: `RDS instance ${name} must not be reachable from the internet (found ${problems.join('; ')}).`, expected, actual: problems.join('; ') }];
    }
    const sources = [...new Set(onPort.flatMap((r) => r.cidrs))];
    const groups = db.securityGroupIds.length > 0 ? db.securityGroupIds.join(', ') : 'none';
    return [
      {
        status: 'pass',
        message: `RDS instance ${name} is not publicly accessible and its security groups (${groups}) admit port ${port} from ${sources.length > 0 ? sources.join(', ') : 'no address range'}.`,
        expected,
        actual: 'private',
      },
    ];
  },
  (pg) => (pg.network.publiclyAccessible ? 'The stack allows public access (postgres.network.publiclyAccessible: true).' : undefined),
);

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const days = (ms: number) => `${(ms / 86_400_000).toFixed(1)} days`;

/**
 * The newest COMPLETED AWS Backup restore job of the instance within spec maxAgeDays: a backup nobody has
 * restored is a hope, not a backup. A validation result, when one was reported, must be SUCCESSFUL; with
 * requireValidation it must be there at all.
 */
export const pgBackupsRestoreTest = rdsCheck(
  'pg.backups.restore-test',
  (_db, name, pg, s, at) => {
    const rt = pg.restoreTest;
    if (!rt) return [];
    if (!s.restoreJobs) return [{ status: 'error', message: `Could not list the restore jobs of RDS instance ${name} (the collector did not read them).` }];
    if (!s.restoreJobs.ok) return [{ status: 'error', message: `Could not list the restore jobs of RDS instance ${name} (${s.restoreJobs.error}).` }];
    const expected = `a restore job COMPLETED within ${rt.maxAgeDays} days${rt.requireValidation ? ', validation SUCCESSFUL' : ''}`;
    const jobs = s.restoreJobs.value;
    const completed = jobs.find((j) => j.status === 'COMPLETED');
    if (!completed) {
      const latest = jobs[0];
      const found = latest
        ? `the latest, ${latest.id} of ${day(latest.createdAt)}, is ${latest.status}${latest.statusMessage ? `: ${errorText(latest.statusMessage)}` : ''}`
        : 'no restore job at all';
      return [{ status: 'fail', message: `RDS instance ${name} must have a restore test COMPLETED within the last ${rt.maxAgeDays} days (found ${found}).`, expected, actual: latest ? latest.status : 'none' }];
    }
    const when = completed.completedAt ?? completed.createdAt;
    const age = days(Math.max(0, at - when));
    const v = completed.validationStatus;
    if (v !== undefined && v !== 'SUCCESSFUL') {
      const why = completed.validationMessage ? `: ${errorText(completed.validationMessage)}` : '';
      return [{ status: 'fail', message: `RDS restore test ${completed.id} of ${name} must pass validation (found ValidationStatus ${v}${why}).`, expected, actual: `COMPLETED, validation ${v}` }];
    }
    if (v === undefined && rt.requireValidation) {
      return [
        {
          status: 'fail',
          message: `RDS restore test ${completed.id} of ${name} must report a validation result (found none; spec postgres.restoreTest.requireValidation is true).`,
          expected,
          actual: 'COMPLETED, no validation result',
        },
      ];
    }
    const validated = v === 'SUCCESSFUL' ? 'validation SUCCESSFUL' : 'no validation result reported';
    return [{ status: 'pass', message: `RDS instance ${name} was restored by test ${completed.id} ${age} ago (${validated}).`, expected, actual: `COMPLETED ${age} ago, ${validated}` }];
  },
  (pg) => (pg.restoreTest ? undefined : 'The stack does not ask for restore tests (spec postgres.restoreTest is not set).'),
);

export const pgReadReplica = rdsCheck(
  'pg.read-replica',
  (db, name) =>
    db.readReplicaIds.length > 0
      ? [{ status: 'pass', message: `RDS instance ${name} has read replica ${db.readReplicaIds.join(', ')}.`, expected: 'a read replica', actual: db.readReplicaIds.join(', ') }]
      : [{ status: 'fail', message: `RDS instance ${name} must have a read replica (found none).`, expected: 'a read replica', actual: 'none' }],
  (pg) => (pg.readReplica ? undefined : 'The stack does not ask for a read replica (spec postgres.readReplica is not set).'),
);
