import type { StackSpec } from '../../spec/index.js';
import type { Finding } from '../types.js';
import type { UrlParts, VercelEnvVar } from './collect.js';
import { urlParts } from './collect.js';
import { DATABASE_URL_KEYS, databaseUrlKeys, REDIS_REST_URL_KEYS, REDIS_URL_KEYS, redisRestUrlKeys, redisUrlKeys } from './env-keys.js';
import { entryFor, envCheck, relevantKeys, skip } from './env-lookup.js';

const SAFE_SSLMODES = ['require', 'verify-ca', 'verify-full'];

interface UrlRule {
  /** Accepted schemes, the first one named in messages. */
  readonly schemes: readonly string[];
  readonly host: string | undefined;
  /** Where the expected host comes from, for the hint when it is not configured. */
  readonly hostSetting?: string;
  readonly sslmode: boolean;
}

function describeRule(rule: UrlRule): string {
  return `a ${rule.schemes[0]}:// URL${rule.host !== undefined ? ` at ${rule.host}` : ''}${rule.sslmode ? ' with sslmode=require' : ''}`;
}

function describeUrl(u: UrlParts, rule: UrlRule): string {
  return `${u.scheme}:// at ${u.host}${rule.sslmode ? `, sslmode ${u.sslmode ?? 'unset'}` : ''}`;
}

/** One finding for a connection-string var on the production target: present, scheme, host and sslmode. */
function judgeUrl(envs: readonly VercelEnvVar[], key: string, rule: UrlRule): Finding {
  const expected = describeRule(rule);
  const entry = entryFor(envs, key);
  if (!entry) return { status: 'fail', resource: key, message: `${key} must be set for production (found it unset).`, expected, actual: 'unset' };
  const v = entry.value;
  if (v === undefined || v.kind === 'unreadable') {
    // Sensitive is how a connection string should be stored; the pg and redis families connect on their own.
    return { status: 'pass', resource: key, message: `${key} is set for production; it is ${entry.type}, so its host and TLS mode cannot be read back.`, expected, actual: `set, ${entry.type}` };
  }
  if (v.kind === 'error') return { status: 'error', resource: key, message: `Could not read ${key} on production (${v.error}).` };
  const parts = v.kind === 'secret' ? v.url : urlParts(v.text);
  if (!parts) {
    const what = v.kind === 'secret' ? `a value that is not a URL (${v.fingerprint})` : 'a value that is not a URL';
    return { status: 'fail', resource: key, message: `${key} must be ${expected} (found ${what}).`, expected, actual: 'not a URL' };
  }
  const actual = describeUrl(parts, rule);
  const wrong =
    !rule.schemes.includes(parts.scheme) ||
    (rule.host !== undefined && parts.host.toLowerCase() !== rule.host.toLowerCase()) ||
    (rule.sslmode && !SAFE_SSLMODES.includes(parts.sslmode ?? ''));
  if (wrong) return { status: 'fail', resource: key, message: `${key} must be ${expected} (found ${actual}).`, expected, actual };
  const unchecked = rule.host === undefined && rule.hostSetting !== undefined ? ` (host ${parts.host} not compared: set ${rule.hostSetting})` : '';
  return { status: 'pass', resource: key, message: `${key} is ${describeRule(rule)}${unchecked}.`, expected, actual };
}

function noKeys(what: string, keys: readonly string[], from: string): Finding[] {
  return skip(`No ${what} env var (${keys.join(', ')} or one with from: ${from}) is declared or set for production.`);
}

export const envDatabaseUrl = envCheck('env.database-url', (envs, spec, s) => {
  const keys = relevantKeys(databaseUrlKeys(spec), spec, envs);
  if (keys.length === 0) return noKeys('database URL', DATABASE_URL_KEYS, 'postgres.url');
  const rule: UrlRule = { schemes: ['postgres', 'postgresql'], host: s.expect.databaseHost, hostSetting: 'targets vercel.expect.databaseHost', sslmode: spec.postgres?.tls ?? true };
  return keys.map((key) => judgeUrl(envs, key, rule));
});

function redisRules(spec: StackSpec, host: string | undefined): { tcp: UrlRule; rest: UrlRule } {
  const tls = spec.redis?.tls ?? true;
  return {
    tcp: { schemes: tls ? ['rediss'] : ['redis', 'rediss'], host, hostSetting: 'targets vercel.expect.redisHost', sslmode: false },
    rest: { schemes: ['https'], host: undefined, sslmode: false },
  };
}

export const envRedisUrl = envCheck('env.redis-url', (envs, spec, s) => {
  const tcpKeys = relevantKeys(redisUrlKeys(spec), spec, envs);
  const restKeys = relevantKeys(redisRestUrlKeys(spec), spec, envs);
  if (tcpKeys.length === 0 && restKeys.length === 0) {
    return noKeys('Redis URL', [...REDIS_URL_KEYS, ...REDIS_REST_URL_KEYS], 'redis.url or redis.restUrl');
  }
  const rules = redisRules(spec, s.expect.redisHost);
  return [...tcpKeys.map((key) => judgeUrl(envs, key, rules.tcp)), ...restKeys.map((key) => judgeUrl(envs, key, rules.rest))];
});
