import type { StackSpec } from '../../spec/index.js';
import type { Check, Finding } from '../types.js';
import type { NeonBranch, NeonEndpoint, NeonProject, NeonSnapshot } from './collect.js';
import { productionBranch } from './collect.js';

const DAY = 86_400;
/** The longest history Neon keeps (history_retention_seconds allows at most 30 days). */
export const NEON_MAX_RETENTION_DAYS = 30;

function duration(seconds: number): string {
  if (seconds % DAY === 0) return `${seconds / DAY} day${seconds === DAY ? '' : 's'}`;
  if (seconds % 3600 === 0) return `${seconds / 3600} hour${seconds === 3600 ? '' : 's'}`;
  return `${seconds} s`;
}

const branchLabel = (s: NeonSnapshot) => (s.wantedBranch === undefined ? 'the default branch' : `branch "${s.wantedBranch}"`);

/** A check over the project: fails when Neon has no such project, `judge` sees the project. */
function projectCheck(id: string, judge: (p: NeonProject, s: NeonSnapshot, spec: StackSpec) => Finding[], active = false): Check<NeonSnapshot> {
  return {
    id,
    target: 'neon',
    ...(active ? { active } : {}),
    ...(id === 'pg.instance' ? { connectivity: true } : {}),
    evaluate(s, spec) {
      if (!s.project) return [{ status: 'fail', resource: s.projectId, message: `Neon has no project ${s.projectId} (or the API key cannot see it).`, expected: 'the project', actual: 'not found' }];
      return judge(s.project, s, spec).map((f) => ({ resource: s.projectId, ...f }));
    },
  };
}

/** The production branch, or the finding that says why it cannot be judged. */
function production(s: NeonSnapshot): NeonBranch | Finding {
  if (!s.branches.ok) return { status: 'error', message: `Could not read the branches of Neon project ${s.projectId}: ${s.branches.error}.` };
  const b = productionBranch(s.branches.value, s.wantedBranch);
  if (b) return b;
  return { status: 'fail', message: `Neon project ${s.projectId} must have the production ${branchLabel(s)} (found none among ${s.branches.value.length} branches).`, expected: 'the production branch', actual: 'none' };
}

const isFinding = (v: NeonBranch | Finding): v is Finding => 'status' in v;

function suspendDetail(e: NeonEndpoint): string {
  if (e.suspendSeconds < 0) return 'never autosuspends';
  if (e.suspendSeconds === 0) return "autosuspends after Neon's default 300 s idle (the first query after that waits for a cold start)";
  return `autosuspends after ${e.suspendSeconds} s idle (the first query after that waits for a cold start)`;
}

/** The production branch exists, is ready, has a read-write compute, and is protected (postgres.deletionProtection). */
export const pgInstance = projectCheck('pg.instance', (_p, s, spec) => {
  const b = production(s);
  if (isFinding(b)) return [b];
  const resource = `${s.projectId}/${b.name}`;
  if (!s.endpoints.ok) return [{ status: 'error', resource, message: `Could not read the compute endpoints of Neon project ${s.projectId}: ${s.endpoints.error}.` }];
  const rw = s.endpoints.value.find((e) => e.branchId === b.id && e.type === 'read_write');
  const out: Finding[] = [];
  if (b.state !== 'ready') out.push({ status: 'fail', resource, message: `Neon branch ${b.name} (${b.id}) must be ready (found ${b.state}).`, expected: 'ready', actual: b.state });
  else if (!rw) out.push({ status: 'fail', resource, message: `Neon branch ${b.name} (${b.id}) must have a read-write compute (found none: nothing serves it).`, expected: 'a read-write compute', actual: 'none' });
  else if (rw.disabled) out.push({ status: 'fail', resource, message: `The read-write compute ${rw.id} of Neon branch ${b.name} must be enabled (found it disabled: connections are refused).`, expected: 'enabled', actual: 'disabled' });
  else out.push({ status: 'pass', resource, message: `Neon branch ${b.name} (${b.id}) is ready; its read-write compute ${rw.id} is ${rw.state} and ${suspendDetail(rw)}.`, expected: 'ready', actual: b.state });
  if (spec.postgres?.deletionProtection !== false) {
    out.push(
      b.isProtected
        ? { status: 'pass', resource, message: `Neon branch ${b.name} is protected (it cannot be deleted or reset).`, expected: 'protected', actual: 'protected' }
        : { status: 'fail', resource, message: `Neon branch ${b.name} must be protected (found it unprotected: anyone with the API key or console can delete or reset production).`, expected: 'protected', actual: 'unprotected' },
    );
  }
  return out;
});

/** History retention is Neon's backup: any point inside it can be restored (a branch from a timestamp, or a branch restore). */
export const pgBackupsEnabled = projectCheck('pg.backups.enabled', (p, s) => {
  const h = p.historyRetentionSeconds;
  return h > 0
    ? [{ status: 'pass', message: `Neon project ${s.projectId} keeps ${duration(h)} of history: production can be restored to any point in it.`, expected: 'history retention > 0', actual: duration(h) }]
    : [{ status: 'fail', message: `Neon project ${s.projectId} must keep history for point-in-time restore (found history retention 0: no earlier state can be restored).`, expected: 'history retention > 0', actual: '0' }];
});

export const pgBackupsRetention = projectCheck('pg.backups.retention', (p, s, spec) => {
  const days = spec.postgres?.backups.retentionDays ?? NEON_MAX_RETENTION_DAYS;
  const h = p.historyRetentionSeconds;
  const expected = `at least ${days} days`;
  if (h === 0) return [{ status: 'skip', message: `Neon project ${s.projectId} keeps no history at all (pg.backups.enabled fails it): there is no window to measure.` }];
  if (days > NEON_MAX_RETENTION_DAYS) {
    return [{ status: 'fail', message: `Neon keeps at most ${NEON_MAX_RETENTION_DAYS} days of history, so project ${s.projectId} cannot meet postgres.backups.retentionDays ${days} (found ${duration(h)}): lower it, or keep longer backups outside Neon.`, expected, actual: duration(h) }];
  }
  return h >= days * DAY
    ? [{ status: 'pass', message: `Neon project ${s.projectId} keeps ${duration(h)} of history (at least ${days} days).`, expected, actual: duration(h) }]
    : [{ status: 'fail', message: `Neon project ${s.projectId} must keep at least ${days} days of history (found ${duration(h)}).`, expected, actual: duration(h) }];
});

const WORLD = new Set(['0.0.0.0/0', '::/0', '0.0.0.0-255.255.255.255', '0.0.0.0/1', '128.0.0.0/1']);

/** An IPv4 address, CIDR or range (a-b) as [first, last]; undefined for anything else (IPv6, a typo). */
function ipv4Range(entry: string): [number, number] | undefined {
  const ip = (s: string): number | undefined => {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s.trim());
    if (!m) return undefined;
    const parts = m.slice(1).map(Number);
    return parts.every((n) => n <= 255) ? parts.reduce((a, n) => a * 256 + n, 0) : undefined;
  };
  const dash = entry.split('-');
  if (dash.length === 2) {
    const [a, b] = dash.map((x) => ip(x ?? ''));
    return a !== undefined && b !== undefined && a <= b ? [a, b] : undefined;
  }
  const [addr, bits] = entry.split('/');
  const base = ip(addr ?? '');
  if (base === undefined) return undefined;
  if (bits === undefined) return [base, base];
  const n = Number(bits);
  if (!/^\d{1,2}$/.test(bits) || n > 32) return undefined;
  const size = 2 ** (32 - n);
  const first = Math.floor(base / size) * size;
  return [first, first + size - 1];
}

function within(entry: string, allowed: readonly string[]): boolean {
  if (allowed.includes(entry)) return true;
  const r = ipv4Range(entry);
  if (!r) return false;
  return allowed.some((a) => {
    const w = ipv4Range(a);
    return w !== undefined && w[0] <= r[0] && r[1] <= w[1];
  });
}

/** IP Allow restricts who may connect to production: a list, nothing open to the world, and only the spec's ranges. */
export const pgNetworkAccess = projectCheck('pg.network-access', (p, s, spec) => {
  const net = spec.postgres?.network;
  if (net?.publiclyAccessible) return [{ status: 'skip', message: 'The stack allows public access to the database (postgres.network.publiclyAccessible: true).' }];
  const expected = net?.allowedCidrs.length ? `IP Allow within ${net.allowedCidrs.join(', ')}` : 'an IP Allow list';
  if (p.blockPublicConnections) return [{ status: 'pass', message: `Neon project ${s.projectId} refuses every connection from the public internet (block_public_connections).`, expected, actual: 'public connections blocked' }];
  const ips = p.allowedIps.map((i) => i.trim()).filter(Boolean);
  if (ips.length === 0) return [{ status: 'fail', message: `Neon project ${s.projectId} must restrict connections with IP Allow (found no allow list: every address on the internet can connect).`, expected, actual: 'no allow list' }];
  const open = ips.filter((i) => WORLD.has(i));
  if (open.length > 0) return [{ status: 'fail', message: `Neon project ${s.projectId} must not allow every address (found ${open.join(', ')} in IP Allow).`, expected, actual: open.join(', ') }];
  if (p.allowedIpsProtectedOnly) {
    const b = production(s);
    if (isFinding(b)) return [b.status === 'fail' ? { ...b, message: `${b.message.slice(0, -1)}, so IP Allow for protected branches only cannot be judged.` } : b];
    if (!b.isProtected) {
      return [{ status: 'fail', message: `Neon project ${s.projectId} applies IP Allow to protected branches only, and production branch ${b.name} is not protected: every address can connect to it.`, expected, actual: 'production not covered' }];
    }
  }
  const stray = net?.allowedCidrs.length ? ips.filter((i) => !within(i, net.allowedCidrs)) : [];
  if (stray.length > 0) {
    return [{ status: 'fail', message: `Neon project ${s.projectId} must allow only postgres.network.allowedCidrs (found ${stray.join(', ')} in IP Allow, outside ${net?.allowedCidrs.join(', ')}).`, expected, actual: stray.join(', ') }];
  }
  return [{ status: 'pass', message: `Neon project ${s.projectId} admits connections only from ${ips.join(', ')} (IP Allow${p.allowedIpsProtectedOnly ? ', protected branches' : ''}).`, expected, actual: ips.join(', ') }];
});

/** Neon's pooled (PgBouncer) host of a compute: its first label with -pooler. */
export function pooledHost(host: string): string {
  const dot = host.indexOf('.');
  return dot < 0 ? `${host}-pooler` : `${host.slice(0, dot)}-pooler${host.slice(dot)}`;
}

export const pgConnectionPooling = projectCheck('pg.connection-pooling', (_p, s, spec) => {
  if (spec.postgres?.pooling.enabled === false) return [{ status: 'skip', message: 'Pooling is disabled in the spec (postgres.pooling.enabled: false).' }];
  if (!s.appDatabase) return [{ status: 'skip', message: "The app's DATABASE_URL is not in the targets file: set neon.databaseUrl (e.g. ${env:DATABASE_URL}) to judge that it is pooled." }];
  const b = production(s);
  if (isFinding(b)) return [b];
  if (!s.endpoints.ok) return [{ status: 'error', message: `Could not read the compute endpoints of Neon project ${s.projectId}: ${s.endpoints.error}.` }];
  const rw = s.endpoints.value.find((e) => e.branchId === b.id && e.type === 'read_write');
  if (!rw) return [{ status: 'fail', message: `Neon branch ${b.name} has no read-write compute, so the app's DATABASE_URL cannot lead to it.`, expected: 'a pooled endpoint', actual: 'no compute' }];
  const want = pooledHost(rw.host.toLowerCase());
  const host = s.appDatabase.host;
  const resource = 'DATABASE_URL';
  const expected = want;
  if (host === want) return [{ status: 'pass', resource, message: `The app's DATABASE_URL goes through the pooled endpoint ${want} of production branch ${b.name}.`, expected, actual: host }];
  if (host === rw.host.toLowerCase()) {
    return [{ status: 'fail', resource, message: `The app's DATABASE_URL must use the pooled endpoint ${want} (found the direct compute host ${host}: every serverless invocation opens its own Postgres connection).`, expected, actual: host }];
  }
  const other = s.endpoints.value.find((e) => e.host.toLowerCase() === host || pooledHost(e.host.toLowerCase()) === host);
  const found = other ? `${host}, a compute of another branch (${other.branchId})` : `${host}, which is no compute of Neon project ${s.projectId}`;
  return [{ status: 'fail', resource, message: `The app's DATABASE_URL must use the pooled endpoint ${want} of production branch ${b.name} (found ${found}).`, expected, actual: host }];
});

export const pgBackupsRestoreTest = projectCheck(
  'pg.backups.restore-test',
  (_p, s, spec) => {
    const test = s.restoreTest;
    if (!test) {
      return [{ status: 'skip', message: spec.neon?.restoreTest ? 'The restore test runs only with --active.' : 'The stack names no table for the restore test (prodcheck:neon.restoreTest.table).' }];
    }
    if (!test.ok) return [{ status: 'error', message: `Could not run the Neon restore test: ${test.error}.` }];
    const t = test.value;
    const expected = `at least ${t.minRows} rows in ${t.table} as of ${t.at}`;
    if (t.notRun !== undefined) return [{ status: t.window ? 'skip' : 'fail', message: `A branch of production as of ${t.at} could not be made: ${t.notRun}${t.window ? ' (pg.backups.enabled and pg.backups.retention judge the window)' : ''}.`, expected, actual: 'no branch' }];
    const left = t.deleted && !t.deleted.ok ? ` The test branch ${t.branchId} was NOT deleted (${t.deleted.error}): delete it by hand.` : '';
    const rows = t.rows;
    if (!rows) return [{ status: 'error', message: `The Neon restore test made branch ${t.branchId} but counted nothing.${left}` }];
    if (!rows.ok) {
      const missing = /does not exist/.test(rows.error);
      return [{ status: missing ? 'fail' : 'error', message: `The branch of production as of ${t.at} (${t.branchId}) could not be counted: ${rows.error}.${left}`, expected, actual: missing ? 'no table' : 'unknown' }];
    }
    const n = rows.value;
    if (left) return [{ status: 'error', message: `The branch of production as of ${t.at} holds ${n} rows in ${t.table}.${left}`, expected, actual: `${n} rows` }];
    return n >= t.minRows
      ? [{ status: 'pass', message: `A branch of production as of ${t.at} holds ${n} rows in ${t.table} (at least ${t.minRows}); the test branch is deleted again.`, expected, actual: `${n} rows` }]
      : [{ status: 'fail', message: `A branch of production as of ${t.at} must hold at least ${t.minRows} rows in ${t.table} (found ${n}).`, expected, actual: `${n} rows` }];
  },
  true,
);

/**
 * Neon has no discrete backups to date: its history is the WAL, kept continuously, so the newest restorable
 * point is always now. Said here so that a Neon stack's report tells why, not that an AWS entry is missing.
 */
export const pgBackupsRecent: Check<NeonSnapshot> = {
  id: 'pg.backups.recent',
  target: 'neon',
  // No resource: it stands in the report where an RDS instance's skip would, and answers before it.
  evaluate: (s) => [{ status: 'skip', message: `Neon project ${s.projectId} keeps its history continuously (no discrete backups to date): pg.backups.enabled and pg.backups.retention judge its window.` }],
};

/** Neon encrypts every project's storage at rest with no setting to turn it off: nothing in its API to judge. */
export const pgEncryptionAtRest: Check<NeonSnapshot> = {
  id: 'pg.encryption-at-rest',
  target: 'neon',
  evaluate: (s) => [{ status: 'skip', message: `Neon encrypts the storage of every project (${s.projectId} included) at rest and offers no setting for it: there is nothing to read from its API.` }],
};

/** Neon's control plane (Vercel Postgres): the production branch, history retention, IP Allow, the pooled URL, the restore test. */
export const NEON_CHECKS: readonly Check<NeonSnapshot>[] = [pgInstance, pgBackupsEnabled, pgBackupsRetention, pgBackupsRecent, pgEncryptionAtRest, pgNetworkAccess, pgConnectionPooling, pgBackupsRestoreTest];
