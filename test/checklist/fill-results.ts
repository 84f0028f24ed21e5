import { readFileSync } from 'node:fs';
import { getControl } from '../../checklist/index.js';
import { renderJson } from '../../report/formats/json.js';
import { summarize } from '../../report/summary.js';
import type { Result, Status } from '../../report/types.js';

export const fixture = (name: string): string => readFileSync(new URL(`../fixtures/checklists/${name}`, import.meta.url), 'utf8');

export type Row = readonly [control: string, status: Status, message: string, resource?: string, expected?: string];

/** A verify JSON report as `prodcheck verify --format json` writes it, from rows of results. */
export function reportJson(rows: readonly Row[]): string {
  const results: Result[] = rows.map(([control, status, message, resource, expected]) => ({
    control,
    title: getControl(control).title,
    severity: getControl(control).severity,
    status,
    message,
    ...(resource !== undefined && { resource }),
    ...(expected !== undefined && { expected }),
    durationMs: 5,
  }));
  return renderJson({ version: 1, stack: 'prod', startedAt: '2025-06-01T02:00:00.000Z', durationMs: 812, summary: summarize(results), results });
}

/**
 * One verify run over redis, pg, env, http: passes, failures, errors and skips, and a failure whose
 * message carries a test key that must not reach the checklist.
 */
export const RUN: readonly Row[] = [
  ['redis.connectivity', 'pass', 'Redis 7.2.4 answered PING at 127.0.0.1:6379.'],
  ['redis.eviction-policy', 'pass', 'Redis maxmemory-policy is allkeys-lru.'],
  ['redis.persistence', 'fail', 'Redis persistence must be aof (found AOF off, RDB snapshots on).'],
  ['redis.tls', 'error', 'Could not check that Redis refuses plaintext: connect ETIMEDOUT 10.0.0.5:6379.'],
  ['redis.ttl', 'skip', 'No key prefixes are listed in spec redis.keys, so no TTL sample was taken.'],
  ['redis.cache-hit-rate', 'pass', 'Redis cache hit rate is 93.1% from 931 hits and 69 misses (at least 80% required).'],
  ['pg.migrations', 'pass', 'Migrations table public._prisma_migrations lists all 9 migrations as applied.', 'public._prisma_migrations'],
  ['pg.indexes', 'pass', 'Index on public.User(email) must exist (found "User_email_key").', 'public.User(email)'],
  ['pg.indexes', 'pass', 'Index on public.Chat(userId) must exist (found "Chat_userId_idx").', 'public.Chat(userId)'],
  ['pg.schema.tables', 'pass', 'Table public.users must exist (found it).', 'public.users'],
  ['pg.schema.tables', 'fail', 'Table public.invoices must exist (found no such table).', 'public.invoices'],
  ['pg.backups.enabled', 'error', 'Could not read the RDS instance: AccessDenied for rds:DescribeDBInstances.'],
  ['env.required-vars', 'pass', 'AUTH_SECRET is set for production.', 'AUTH_SECRET'],
  ['env.required-vars', 'pass', 'POSTGRES_URL is set for production.', 'POSTGRES_URL'],
  ['env.required-vars', 'pass', 'STRIPE_SECRET_KEY is set for production.', 'STRIPE_SECRET_KEY'],
  ['env.required-vars', 'fail', 'REDIS_URL must be set for production (found it unset).', 'REDIS_URL'],
  ['env.stripe-secret-key', 'fail', 'STRIPE_SECRET_KEY must be a live-mode key on a production stack (found sk_test_4eC39HqLyjWDarjtT1zdp7dc).'],
  ['http.health', 'pass', 'GET /api/health answers 200 and reports healthy.', '/api/health'],
  ['http.security-headers', 'pass', 'HTTPS responses carry the security headers.'],
  ['http.cors', 'fail', 'A preflight from https://evil.example must not be allowed (found Access-Control-Allow-Origin: *).'],
];
