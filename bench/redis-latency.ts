import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { StartedSandbox } from '../sandbox/run.js';
import { percentile } from '../verify/redis/checks.js';
import { verifyInChild } from './child.js';
import { median, round } from './stats.js';

const ROOT = new URL('../', import.meta.url).pathname;
const run = promisify(execFile);

export interface RedisLatencyFigures {
  readonly runs: number;
  /** redis.latency's p95 as a full verify run (every target at once) reports it: median over the runs. */
  readonly fullRunP95Ms: number;
  readonly fullRunP95sMs: readonly number[];
  /** The same server timed alone the way redis-cli --latency does (a PING every 10 ms on one connection). */
  readonly referenceP95Ms: number;
  readonly referenceP95sMs: readonly number[];
  /** redis-cli --latency's own min/max/avg line (ms), when redis-cli is installed. */
  readonly redisCli?: string;
  /** Target: <= 2 ms. */
  readonly differenceMs: number;
}

/** redis.latency in full runs beside a redis-cli-style measurement of the same server, alternating. */
export async function benchRedisLatency(sandbox: StartedSandbox, runs: number): Promise<RedisLatencyFigures> {
  const full: number[] = [];
  const reference: number[] = [];
  for (let i = 0; i < runs; i++) {
    const child = await verifyInChild(sandbox, 'all', 1);
    if (child.redisLatencyP95Ms === undefined) throw new Error('the full run reported no redis.latency p95 (is the sandbox profile without Redis?)');
    full.push(child.redisLatencyP95Ms);
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'bench/redis-ping.ts', sandbox.targetsFile, '200'], { cwd: ROOT, timeout: 60_000 });
    reference.push(percentile((JSON.parse(stdout) as { samplesMs: number[] }).samplesMs, 95));
  }
  const fullRunP95Ms = round(median(full), 2);
  const referenceP95Ms = round(median(reference), 2);
  return {
    runs,
    fullRunP95Ms,
    fullRunP95sMs: full.map((n) => round(n, 2)),
    referenceP95Ms,
    referenceP95sMs: reference.map((n) => round(n, 2)),
    redisCli: await redisCliLatency(sandbox),
    differenceMs: round(Math.abs(fullRunP95Ms - referenceP95Ms), 2),
  };
}

/** `redis-cli --latency --raw -i 2`: "min max avg samples" after two seconds; the password goes by environment. */
async function redisCliLatency(sandbox: StartedSandbox): Promise<string | undefined> {
  const url = sandbox.targets.redis?.url;
  if (!url) return undefined;
  const u = new URL(url);
  const tls = u.protocol === 'rediss:' ? ['--tls', ...(sandbox.targets.redis?.caFile ? ['--cacert', sandbox.targets.redis.caFile] : [])] : [];
  try {
    const { stdout } = await run('redis-cli', ['-h', u.hostname, '-p', u.port || '6379', ...tls, '--latency', '--raw', '-i', '2'], {
      env: { ...process.env, REDISCLI_AUTH: decodeURIComponent(u.password) },
      timeout: 10_000,
    });
    const [min, max, avg, samples] = stdout.trim().split(/\s+/);
    return `min ${min} ms, max ${max} ms, avg ${avg} ms over ${samples} PINGs`;
  } catch {
    return undefined;
  }
}
