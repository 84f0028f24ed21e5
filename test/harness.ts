import { afterAll, beforeAll } from 'vitest';
import {
  startPostgres,
  startRedis,
  type PostgresInstance,
  type PostgresOptions,
  type RedisInstance,
  type RedisOptions,
} from '../sandbox/services/index.js';

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

export function usePostgres(opts?: PostgresOptions): () => PostgresInstance {
  return useService('usePostgres()', () => startPostgres(opts));
}

export function useRedis(opts?: RedisOptions): () => RedisInstance {
  return useService('useRedis()', () => startRedis(opts));
}
