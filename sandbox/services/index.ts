export { freePort } from './ports.js';
export { startPostgres, PostgresStartError } from './postgres.js';
export type { PostgresInstance, PostgresOptions } from './postgres.js';
export { startRedis, findRedisServer, RedisServerNotFoundError, RedisStartError } from './redis.js';
export type { RedisInstance, RedisOptions } from './redis.js';
