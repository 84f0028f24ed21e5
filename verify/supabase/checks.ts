import type { PostgresSpec, StackSpec } from '../../spec/index.js';
import { SUPABASE_DEFAULTS, supabaseKeyVars } from '../../spec/index.js';
import type { Check, Finding, Probe } from '../types.js';
import type { AppVar } from './app-keys.js';
import { within } from './cidr.js';
import type { Backups, ProjectKey, SupabaseProject, SupabaseSnapshot } from './collect.js';
import { claimsOf, isServiceRoleShaped } from './keys.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** A backup stamped further ahead than this is a wrong clock or a wrong answer, not a fresh backup. */
const FUTURE_SLACK_MS = 10 * 60_000;
const WORLD_V4 = '0.0.0.0/0';
const WORLD_V6 = '::/0';

function pgSpecOf(spec: StackSpec): PostgresSpec {
  if (!spec.postgres) throw new Error('the stack has no prodcheck:postgres section');
  return spec.postgres;
}

const days = (ms: number) => `${(ms / DAY).toFixed(1)} days`;
const hours = (ms: number) => `${(ms / HOUR).toFixed(1)} h`;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * A check over one part of the project's settings: a missing project fails pg.instance and makes the others
 * errors (nothing could be read), a part that could not be read is an error, `judge` sees the part.
 */
function projectCheck<T>(
  id: string,
  part: (s: SupabaseSnapshot) => Probe<T>,
  what: string,
  judge: (value: T, ref: string, spec: StackSpec, s: SupabaseSnapshot & { readonly project: SupabaseProject }) => Finding[],
  notAsked: (spec: StackSpec) => string | undefined = () => undefined,
): Check<SupabaseSnapshot> {
  return {
    id,
    target: 'supabase',
    evaluate(s, spec) {
      const why = notAsked(spec);
      if (why !== undefined) return [{ status: 'skip', resource: s.ref, message: why }];
      const p = part(s);
      if (!p.ok) return [{ status: 'error', resource: s.ref, message: `Could not read ${what} of Supabase project ${s.ref} (${p.error}).` }];
      const project = s.project;
      if (project === null) return [{ status: 'error', resource: s.ref, message: `Could not read ${what} of Supabase project ${s.ref} (the project does not exist).` }];
      return judge(p.value, s.ref, spec, { ...s, project }).map((f) => ({ resource: s.ref, ...f }));
    },
  };
}

export const pgInstance: Check<SupabaseSnapshot> = {
  id: 'pg.instance',
  target: 'supabase',
  evaluate(s) {
    const p = s.project;
    if (p === null) return [{ status: 'fail', resource: s.ref, message: `Supabase has no project ${s.ref} (or the token cannot see it): there is no production database.`, expected: 'ACTIVE_HEALTHY', actual: 'none' }];
    return p.status === 'ACTIVE_HEALTHY'
      ? [{ status: 'pass', resource: s.ref, message: `Supabase project ${s.ref} ("${p.name}") is ACTIVE_HEALTHY.`, expected: 'ACTIVE_HEALTHY', actual: p.status }]
      : [{ status: 'fail', resource: s.ref, message: `Supabase project ${s.ref} ("${p.name}") must be ACTIVE_HEALTHY (found ${p.status}).`, expected: 'ACTIVE_HEALTHY', actual: p.status }];
  },
};

const completed = (b: Backups) => b.daily.filter((x) => x.status === 'COMPLETED');

export const pgBackupsEnabled = projectCheck('pg.backups.enabled', (s) => s.backups, 'the database backups', (b, ref, spec) => {
  const pitrWanted = (spec.supabase ?? SUPABASE_DEFAULTS).pitr;
  const expected = pitrWanted ? 'daily backups and point-in-time recovery on' : 'daily backups on';
  const actual = `backups ${b.walgEnabled ? 'on' : 'off'}, PITR ${b.pitrEnabled ? 'on' : 'off'}`;
  if (!b.walgEnabled && !b.pitrEnabled) {
    return [{ status: 'fail', message: `Supabase project ${ref} must take automated daily backups (found backups off and PITR off: nothing to restore from).`, expected, actual }];
  }
  if (pitrWanted && !b.pitrEnabled) {
    return [{ status: 'fail', message: `Supabase project ${ref} must have point-in-time recovery on (found PITR off: only daily backups, up to a day of writes lost on restore).`, expected, actual }];
  }
  const kept = completed(b).length;
  const pitr = b.pitrEnabled ? 'with point-in-time recovery on' : 'without point-in-time recovery (the stack does not ask for it)';
  return [{ status: 'pass', message: `Supabase project ${ref} takes automated backups ${pitr} (${kept} daily backup${kept === 1 ? '' : 's'} kept).`, expected, actual }];
});

export const pgBackupsRetention = projectCheck('pg.backups.retention', (s) => s.backups, 'the database backups', (b, ref, spec, s) => {
  const want = pgSpecOf(spec).backups.retentionDays;
  const expected = `at least ${want} days`;
  const oldest = [...completed(b).map((x) => ({ at: x.at, what: 'daily backup' })), ...(b.pitrEnabled && b.pitrEarliest !== undefined ? [{ at: b.pitrEarliest, what: 'PITR restore point' }] : [])].sort(
    (x, y) => x.at - y.at,
  )[0];
  if (!oldest) return [{ status: 'fail', message: `Supabase project ${ref} must keep backups for at least ${want} days (found no completed backup to restore from).`, expected, actual: 'none' }];
  const reach = s.collectedAt - oldest.at;
  const age = s.collectedAt - s.project.createdAt;
  // Daily backups are a day apart: the oldest one kept under an N-day retention can be up to a day younger than N days.
  if (reach >= (want - 1) * DAY) {
    return [{ status: 'pass', message: `Supabase project ${ref} keeps backups for ${days(reach)} (oldest ${oldest.what} ${iso(oldest.at)}; at least ${want} days asked).`, expected, actual: days(reach) }];
  }
  if (age < want * DAY) {
    return [{ status: 'skip', message: `Supabase project ${ref} is only ${days(age)} old: whether it keeps backups for ${want} days cannot be told before then (oldest ${oldest.what} ${days(reach)} old).` }];
  }
  return [{ status: 'fail', message: `Supabase project ${ref} must keep backups for at least ${want} days (found the oldest ${oldest.what} ${days(reach)} old).`, expected, actual: days(reach) }];
});

export const pgBackupsRecent = projectCheck('pg.backups.recent', (s) => s.backups, 'the database backups', (b, ref, spec, s) => {
  const limit = pgSpecOf(spec).backups.maxAgeHours;
  const expected = `under ${limit} h old`;
  const newest = [...completed(b).map((x) => ({ at: x.at, what: 'daily backup' })), ...(b.pitrEnabled && b.pitrLatest !== undefined ? [{ at: b.pitrLatest, what: 'PITR restore point' }] : [])].sort(
    (x, y) => y.at - x.at,
  )[0];
  const last = b.daily[0];
  const attempt = last && last.status !== 'COMPLETED' ? `; the latest backup, ${iso(last.at)}, is ${last.status}` : '';
  if (!newest) return [{ status: 'fail', message: `Supabase project ${ref} must have a completed backup under ${limit} h old (found none completed${attempt}).`, expected, actual: 'none' }];
  if (newest.at > s.collectedAt + FUTURE_SLACK_MS) {
    return [{ status: 'error', message: `Supabase project ${ref} reports its newest ${newest.what} at ${iso(newest.at)}, in the future: the API's or this machine's clock is wrong, so its age cannot be judged.` }];
  }
  const age = Math.max(0, s.collectedAt - newest.at);
  return age < limit * HOUR
    ? [{ status: 'pass', message: `Supabase project ${ref} has a recent backup (newest ${newest.what} ${hours(age)} old, under ${limit} h${attempt}).`, expected, actual: hours(age) }]
    : [{ status: 'fail', message: `Supabase project ${ref} must have a backup under ${limit} h old (found the newest ${newest.what} ${hours(age)} old${attempt}).`, expected, actual: hours(age) }];
});

export const pgNetworkAccess = projectCheck(
  'pg.network-access',
  (s) => s.network,
  'the network restrictions',
  (n, ref, spec) => {
    const allowed = pgSpecOf(spec).network.allowedCidrs;
    const expected = allowed.length > 0 ? `database connections only from ${allowed.join(', ')}` : 'no database connections from the internet';
    if (n.entitlement !== 'allowed') {
      return [{ status: 'fail', message: `Supabase project ${ref} must restrict database network access (found network restrictions not available on its plan, entitlement ${n.entitlement}: any address may connect).`, expected, actual: 'unrestricted' }];
    }
    const inForce = n.inForce;
    if (!inForce) {
      return [{ status: 'fail', message: `Supabase project ${ref} must have its network restrictions applied (found them ${n.status}, not applied, and no earlier config in force).`, expected, actual: n.status }];
    }
    const problems = [
      ...inForce.v4.filter((c) => c === WORLD_V4).map((c) => `IPv4 ${c} (every address)`),
      ...inForce.v4.filter((c) => c !== WORLD_V4 && !within(c, allowed)).map((c) => `IPv4 ${c}, which postgres.network.allowedCidrs does not cover`),
      ...inForce.v6.map((c) => (c === WORLD_V6 ? `IPv6 ${c} (every address)` : `IPv6 ${c}, which postgres.network.allowedCidrs (IPv4 only) does not cover`)),
    ];
    const pending = n.status === 'applied' ? '' : `; a new config is ${n.status}, not yet applied`;
    if (problems.length > 0) {
      return [{ status: 'fail', message: `Supabase project ${ref} must admit database connections only from postgres.network.allowedCidrs (found it admitting ${problems.join('; ')}${pending}).`, expected, actual: problems.join('; ') }];
    }
    const from = inForce.v4.length > 0 ? inForce.v4.join(', ') : 'no address';
    return [{ status: 'pass', message: `Supabase project ${ref} admits database connections only from ${from} (network restrictions ${n.status === 'applied' ? 'applied' : `in force${pending}`}).`, expected, actual: from }];
  },
  (spec) => (pgSpecOf(spec).network.publiclyAccessible ? 'The stack allows public access (postgres.network.publiclyAccessible: true).' : undefined),
);

/** TLS enforcement is judged under pg.connectivity: the catalogue's TLS control for Postgres (DATABASE_URL with sslmode=verify-full). */
export const pgConnectivity = projectCheck(
  'pg.connectivity',
  (s) => s.ssl,
  'the SSL enforcement setting',
  (ssl, ref) => {
    const expected = 'SSL enforced on database connections';
    if (!ssl.database) {
      return [{ status: 'fail', message: `Supabase project ${ref} must enforce SSL on database connections (found SSL enforcement off: the database also takes plaintext logins).`, expected, actual: 'off' }];
    }
    if (!ssl.appliedSuccessfully) {
      return [{ status: 'fail', message: `Supabase project ${ref} must have SSL enforcement applied (found it switched on but not applied successfully).`, expected, actual: 'on, not applied' }];
    }
    return [{ status: 'pass', message: `Supabase project ${ref} enforces SSL on database connections (SSL enforcement on and applied).`, expected, actual: 'on' }];
  },
  (spec) => (pgSpecOf(spec).tls ? undefined : 'The stack does not require TLS (postgres.tls: false).'),
);

export const pgConnectionPooling = projectCheck(
  'pg.connection-pooling',
  (s) => s.poolers,
  'the pooler (Supavisor) configuration',
  (poolers, ref, spec) => {
    const mode = (spec.supabase ?? SUPABASE_DEFAULTS).poolMode;
    const expected = `Supavisor pooler for the primary database in ${mode} mode`;
    const primary = poolers.find((p) => p.databaseType === 'PRIMARY');
    if (!primary) return [{ status: 'fail', message: `Supabase project ${ref} must have a Supavisor pooler for its primary database (found none).`, expected, actual: 'none' }];
    if (primary.poolMode !== mode) {
      return [{ status: 'fail', message: `Supabase project ${ref} must pool its primary database in ${mode} mode (found ${primary.poolMode} mode at ${primary.endpoint}).`, expected, actual: `${primary.poolMode} mode` }];
    }
    const size = primary.defaultPoolSize !== null ? `pool size ${primary.defaultPoolSize}` : 'default pool size';
    const clients = primary.maxClientConn !== null ? `up to ${primary.maxClientConn} clients` : 'default client limit';
    return [{ status: 'pass', message: `Supabase project ${ref} pools its primary database through Supavisor at ${primary.endpoint} in ${mode} mode (${size}, ${clients}).`, expected, actual: `${mode} mode` }];
  },
  (spec) => {
    const pooling = pgSpecOf(spec).pooling;
    if (!pooling.enabled) return 'The stack asks for no connection pooler (postgres.pooling.enabled: false).';
    return pooling.kind === 'supabase' ? undefined : `The stack pools through ${pooling.kind}, not Supabase's pooler (postgres.pooling.kind).`;
  },
);

/** The project's current key of a kind: the legacy JWT by name, or a newer key by type. */
function isProjectKey(value: string, keys: readonly ProjectKey[], legacyName: 'anon' | 'service_role', type: 'publishable' | 'secret'): ProjectKey | undefined {
  const v = value.trim();
  return keys.find((k) => k.value !== undefined && k.value === v && ((k.type === 'legacy' && k.name === legacyName) || k.type === type));
}

/** Why a value is not the project's key of that role, in words: another role's, another project's, or none current. */
function whyNot(value: string, ref: string, role: 'anon' | 'service_role', keys: readonly ProjectKey[]): string {
  const other = keys.find((k) => k.value !== undefined && k.value === value.trim());
  if (other) return `found the project's ${other.type === 'legacy' ? `${other.name} key` : `${other.type} key "${other.name}"`}`;
  const c = claimsOf(value);
  if (c?.ref !== undefined && c.ref !== ref) return `found a key of project ${c.ref}`;
  if (c?.role !== undefined && c.role !== role) return `found a JWT of role ${c.role}`;
  return 'found a value that is none of its current keys: revoked, rotated or mistyped';
}

function judgeKeyVar(key: string, v: AppVar, ref: string, keys: readonly ProjectKey[], role: 'anon' | 'service_role'): Finding {
  const label = role === 'anon' ? 'anon (or publishable) key' : 'service-role (or secret) key';
  const expected = `the ${label} of project ${ref}`;
  if (v.kind === 'absent') return { status: 'fail', resource: key, message: `${key} must hold the ${label} of Supabase project ${ref} (found it not set for production on Vercel).`, expected, actual: 'not set' };
  if (v.kind === 'unreadable') return { status: 'skip', resource: key, message: `${key} cannot be compared with the ${label} of Supabase project ${ref}: ${v.reason}.` };
  const match = isProjectKey(v.value, keys, role, role === 'anon' ? 'publishable' : 'secret');
  if (match) {
    const which = match.type === 'legacy' ? `the ${match.name} JWT` : `the ${match.type} key "${match.name}"`;
    return { status: 'pass', resource: key, message: `${key} holds ${which} of Supabase project ${ref}.`, expected, actual: 'matches' };
  }
  return { status: 'fail', resource: key, message: `${key} must hold the ${label} of Supabase project ${ref} (${whyNot(v.value, ref, role, keys)}).`, expected, actual: 'no match' };
}

export const envSupabaseKeys: Check<SupabaseSnapshot> = {
  id: 'env.supabase-keys',
  target: 'supabase',
  evaluate(s, spec) {
    const vars = supabaseKeyVars(spec);
    if (vars.anon === undefined && vars.serviceRole === undefined) {
      return [{ status: 'skip', message: 'The stack declares no Supabase key env var (…SUPABASE_ANON_KEY, …SUPABASE_SERVICE_ROLE_KEY; or prodcheck:supabase.anonKeyVar / serviceRoleKeyVar).' }];
    }
    const named: Finding[] =
      vars.serviceRole?.startsWith('NEXT_PUBLIC_') === true
        ? [{ status: 'fail', resource: vars.serviceRole, message: `${vars.serviceRole} ships the Supabase service-role key to the browser: it must not be a NEXT_PUBLIC_* var.`, expected: 'server-only var', actual: 'NEXT_PUBLIC_*' }]
        : [];
    if (!s.appEnv.ok) return [...named, { status: 'error', message: `Could not read the app's env vars on Vercel (${s.appEnv.error}).` }];
    const env = s.appEnv.value;
    if (env === undefined) return [...named, { status: 'skip', message: "The targets file cannot read Vercel (no vercel section): the app's Supabase keys are not compared with the project's." }];
    if (!s.keys.ok) return [...named, { status: 'error', message: `Could not read the API keys of Supabase project ${s.ref} (${s.keys.error}).` }];
    const keys = s.keys.value;
    const judged = [
      ...(vars.anon !== undefined ? [judgeKeyVar(vars.anon, env.vars.get(vars.anon) ?? { kind: 'absent' }, s.ref, keys, 'anon')] : []),
      ...(vars.serviceRole !== undefined && named.length === 0 ? [judgeKeyVar(vars.serviceRole, env.vars.get(vars.serviceRole) ?? { kind: 'absent' }, s.ref, keys, 'service_role')] : []),
    ];
    // What the browser gets: every NEXT_PUBLIC_* value is inlined into the client bundle.
    const browser = [...env.vars].filter(([k]) => k.startsWith('NEXT_PUBLIC_'));
    const leaking = browser.filter(([, v]) => v.kind === 'value' && (isServiceRoleShaped(v.value) || isProjectKey(v.value, keys, 'service_role', 'secret') !== undefined)).map(([k]) => k);
    const unread = browser.filter(([, v]) => v.kind === 'unreadable').map(([k]) => k);
    const resource = 'NEXT_PUBLIC_*';
    const exposure: Finding =
      leaking.length > 0
        ? { status: 'fail', resource, message: `${leaking.join(', ')} ship${leaking.length === 1 ? 's' : ''} a Supabase service-role key to the browser: it must be only in a server-side var.`, expected: 'no service-role key in NEXT_PUBLIC_* vars', actual: leaking.join(', ') }
        : unread.length > 0
          ? { status: 'skip', resource, message: `Whether ${unread.join(', ')} hold${unread.length === 1 ? 's' : ''} a Supabase service-role key cannot be read: Vercel keeps ${unread.length === 1 ? 'it' : 'them'} write-only.` }
          : { status: 'pass', resource, message: `No NEXT_PUBLIC_* var holds a Supabase service-role key (${browser.length} checked).`, expected: 'no service-role key in NEXT_PUBLIC_* vars', actual: 'none' };
    return [...named, ...judged, exposure];
  },
};

/** The Supabase Management API view of the pg.* controls (and the app's Supabase keys); the pg family judges the same database over SQL. */
export const SUPABASE_CHECKS: readonly Check<SupabaseSnapshot>[] = [pgInstance, pgConnectivity, pgBackupsEnabled, pgBackupsRetention, pgBackupsRecent, pgNetworkAccess, pgConnectionPooling, envSupabaseKeys];
