import type { RedisSpec } from '../../spec/index.js';
import type { Check, Finding } from '../types.js';
import { mb, withSpec } from './common.js';
import type { UpstashDatabase } from './upstash-api.js';
import type { UpstashSnapshot } from './upstash-collect.js';

/** The name a person knows the database by, with the id that identifies it. */
const named = (db: UpstashDatabase): string => (db.name ? `${db.name} (${db.id})` : db.id);

/** Where the database takes writes: the primary of a global database, else its region. */
const primaryOf = (db: UpstashDatabase): string | undefined => (db.region === 'global' ? db.primaryRegion : (db.primaryRegion ?? db.region));

/** A Developer API field Upstash left out of its answer: could not check, never a pass. */
const unreported = (what: string, db: UpstashDatabase, field: string): Finding => ({
  status: 'error',
  resource: db.id,
  message: `Could not read ${what} of Upstash database ${named(db)}: the Developer API did not report ${field}.`,
});

/** A view of one setting of the database; skips when Upstash has no database with the id (redis.instance fails for that). */
function upstashCheck(id: string, judge: (db: UpstashDatabase, r: RedisSpec) => Finding[]): Check<UpstashSnapshot> {
  return {
    id,
    target: 'upstash',
    evaluate: (s, spec) =>
      withSpec(spec, (r) => {
        if (s.database === null) return [{ status: 'skip', resource: s.databaseId, message: `Upstash has no database ${s.databaseId}, so its settings were not read (see redis.instance).` }];
        const db = s.database;
        // A skip about the spec says nothing about the database: left resource-less, it merges with the data plane's view.
        return judge(db, r).map((f) => (f.status === 'skip' ? f : { resource: db.id, ...f }));
      }),
  };
}

const GiB = 1024 * 1024 * 1024;
const size = (bytes: number): string => (bytes >= GiB ? `${Number((bytes / GiB).toFixed(1))} GB` : mb(bytes));

/** The plan and its limits in one phrase, e.g. "plan Pay as You Go: max data size 100 GB, 1000 commands/s, 1 MB per request". */
export function planLimits(db: UpstashDatabase): string {
  const l = db.limits;
  const parts = [
    l.maxDataBytes !== undefined ? `max data size ${size(l.maxDataBytes)}` : undefined,
    l.maxCommandsPerSecond !== undefined ? `${l.maxCommandsPerSecond} commands/s` : undefined,
    l.maxRequestBytes !== undefined ? `${size(l.maxRequestBytes)} per request` : undefined,
    l.maxClients !== undefined ? `${l.maxClients} clients` : undefined,
  ].filter((p) => p !== undefined);
  return `plan ${db.plan ?? 'not reported'}${parts.length > 0 ? `: ${parts.join(', ')}` : ''}`;
}

export const redisInstance: Check<UpstashSnapshot> = {
  id: 'redis.instance',
  target: 'upstash',
  connectivity: true,
  evaluate: (s, spec) =>
    withSpec(spec, (r) => {
      const resource = s.databaseId;
      if (s.database === null) return [{ status: 'fail', resource, message: `Upstash database ${s.databaseId} must exist (found none: the Developer API answered 404).`, expected: 'exists', actual: 'none' }];
      const db = s.database;
      if (db.state === undefined) return [unreported('the state', db, 'state')];
      if (db.state !== 'active') {
        return [{ status: 'fail', resource, message: `Upstash database ${named(db)} must be active (found ${db.state}).`, expected: 'active', actual: db.state }];
      }
      const want = r.upstash.primaryRegion ?? r.upstash.region;
      const primary = primaryOf(db);
      if (primary === undefined) return [unreported('the primary region', db, db.region === 'global' ? 'primary_region' : 'region')];
      if (primary !== want) {
        return [{ status: 'fail', resource, message: `Upstash database ${named(db)} must take writes in ${want} (found ${primary}).`, expected: want, actual: primary }];
      }
      return [{ status: 'pass', resource, message: `Upstash database ${named(db)} is active in ${primary} (${planLimits(db)}).`, expected: `active in ${want}`, actual: `active in ${primary}` }];
    }),
};

export const redisTls = upstashCheck('redis.tls', (db, r) => {
  if (!r.tls) return [{ status: 'skip', message: 'Redis TLS is not required (spec redis.tls is false).' }];
  if (db.tls === undefined) return [unreported('the TLS setting', db, 'tls')];
  return db.tls
    ? [{ status: 'pass', message: `Upstash database ${named(db)} has TLS on.`, expected: 'tls true', actual: 'tls true' }]
    : [{ status: 'fail', message: `Upstash database ${named(db)} must have TLS on (found tls false: clients connect in plaintext).`, expected: 'tls true', actual: 'tls false' }];
});

/**
 * Upstash has one switch, not Redis's eight policies: with eviction on it evicts keys when the database is full
 * (its stand-in for allkeys-lru and the volatile-* policies), with it off writes fail once the database is full.
 */
export const redisEvictionPolicy = upstashCheck('redis.eviction-policy', (db, r) => {
  if (db.eviction === undefined) return [unreported('the eviction setting', db, 'eviction')];
  const want = r.evictionPolicy !== 'noeviction';
  const expected = `eviction ${want ? 'on' : 'off'}`;
  const actual = `eviction ${db.eviction ? 'on' : 'off'}`;
  if (db.eviction === want) {
    return [{ status: 'pass', message: `Upstash database ${named(db)} has eviction ${want ? 'on' : 'off'}, as spec redis.evictionPolicy ${r.evictionPolicy} asks.`, expected, actual }];
  }
  return want
    ? [{ status: 'fail', message: `Upstash database ${named(db)} must have eviction on for spec redis.evictionPolicy ${r.evictionPolicy} (found eviction off: writes fail once the database is full).`, expected, actual }]
    : [{ status: 'fail', message: `Upstash database ${named(db)} must have eviction off for spec redis.evictionPolicy noeviction (found eviction on: keys are dropped when the database is full).`, expected, actual }];
});

/**
 * Upstash keeps every write on durable storage by design and offers no setting that turns it off, so there is
 * nothing to read for an append-only file; RDB-style snapshots are its daily backups, which the API does report.
 */
export const redisPersistence = upstashCheck('redis.persistence', (db, r) => {
  const expected = r.persistence;
  if (expected === 'none') return [{ status: 'skip', message: 'Redis persistence is not required (spec redis.persistence is none).' }];
  if (expected === 'aof') {
    return [{ status: 'skip', message: `Upstash database ${named(db)} has no append-only-file setting to read (Upstash persists every write by design), so spec redis.persistence aof is not judged from the Developer API.` }];
  }
  if (db.dailyBackup === undefined) return [unreported('the daily backup setting', db, 'daily_backup_enabled')];
  const actual = `daily backups ${db.dailyBackup ? 'on' : 'off'}`;
  return db.dailyBackup
    ? [{ status: 'pass', message: `Upstash database ${named(db)} takes daily backups, its snapshots for spec redis.persistence ${expected}.`, expected: 'daily backups on', actual }]
    : [{ status: 'fail', message: `Upstash database ${named(db)} must take daily backups for spec redis.persistence ${expected} (found daily backups off).`, expected: 'daily backups on', actual }];
});

export const redisHa = upstashCheck('redis.ha', (db, r) => {
  if (!r.ha) return [{ status: 'skip', message: 'Redis high availability is not required (spec redis.ha is false).' }];
  const expected = r.upstash.readRegions.length > 0 ? `read regions ${r.upstash.readRegions.join(', ')}` : 'at least one read region';
  const actual = db.readRegions.length > 0 ? `read regions ${db.readRegions.join(', ')}` : 'no read region';
  const missing = r.upstash.readRegions.filter((x) => !db.readRegions.includes(x));
  if (db.readRegions.length > 0 && missing.length === 0) {
    return [{ status: 'pass', message: `Upstash database ${named(db)} replicates to ${db.readRegions.join(', ')}.`, expected, actual }];
  }
  return [{ status: 'fail', message: `Upstash database ${named(db)} must replicate to ${missing.length > 0 ? missing.join(', ') : 'a read region'} (found ${actual}).`, expected, actual }];
});

/** The Upstash control plane's views (exported under the camelCase of their ids, as every family's checks are) of redis.* controls; the redis family judges the same ids over the data plane. */
export const UPSTASH_CHECKS: readonly Check<UpstashSnapshot>[] = [redisInstance, redisTls, redisEvictionPolicy, redisPersistence, redisHa];
