import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { freePort, isAddressInUse } from './ports.js';
import { outputLog } from './output.js';
import { armReaper } from './reaper.js';
import { stopChild } from './child.js';

export interface RedisOptions {
  /** Extra redis-server arguments; they come after the defaults, so they override them. */
  args?: string[];
  password?: string;
  /** Path or command name of redis-server; defaults to $PRODCHECK_REDIS_SERVER, then PATH. */
  binary?: string;
  /** Parent of the instance's temp dir; defaults to os.tmpdir(). */
  tmpRoot?: string;
  /** Serve TLS only: the chosen port becomes the tls-port, plaintext is off (port 0) and `url` is rediss://. */
  tls?: { certFile: string; keyFile: string; caFile: string };
}

export interface RedisInstance {
  host: '127.0.0.1';
  port: number;
  password: string | undefined;
  url: string;
  /** Working dir of this instance; removed by stop(). */
  dir: string;
  pid: number;
  stop(): Promise<void>;
}

const INSTALL_HINT = 'install it with `apt-get install -y redis-server` (Debian/Ubuntu) or `brew install redis` (macOS)';
// Stripped-down environments (cron, some CI runners) drop these from PATH.
const FALLBACK_DIRS = ['/usr/bin', '/usr/local/bin', '/opt/homebrew/bin'];
const READY_TIMEOUT_MS = 10_000;
const START_ATTEMPTS = 3;

export class RedisServerNotFoundError extends Error {
  override readonly name = 'RedisServerNotFoundError';
  constructor(
    message: string,
    readonly searched: readonly string[],
  ) {
    super(message);
  }
}

export class RedisStartError extends Error {
  override readonly name = 'RedisStartError';
  constructor(
    message: string,
    readonly port: number,
    /** Last lines redis-server printed. */
    readonly output: string,
  ) {
    super(message);
  }
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export function findRedisServer(
  opts: { binary?: string; env?: NodeJS.ProcessEnv; fallbackDirs?: readonly string[] } = {},
): string {
  const env = opts.env ?? process.env;
  const override = opts.binary ?? (env.PRODCHECK_REDIS_SERVER || undefined);
  const command = override ?? 'redis-server';
  const candidates = command.includes('/')
    ? [command]
    : [...(env.PATH ?? '').split(delimiter).filter(Boolean), ...(opts.fallbackDirs ?? FALLBACK_DIRS)].map((dir) => join(dir, command));
  const found = candidates.find(isExecutableFile);
  if (found !== undefined) return found;
  if (override === undefined) throw new RedisServerNotFoundError(`redis-server not found on PATH: ${INSTALL_HINT}`, candidates);
  const source = opts.binary !== undefined ? 'the `binary` option' : 'PRODCHECK_REDIS_SERVER';
  const where = command.includes('/') ? `at ${command}` : `on PATH as ${command}`;
  throw new RedisServerNotFoundError(
    `redis-server not found ${where} (from ${source}): ${INSTALL_HINT}, or point ${source} at the binary`,
    candidates,
  );
}

// Redis config syntax: double-quoted string with C-style escapes.
function quoteConfig(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;
}

/** Answers only when the server on `port` is the process we spawned, not some other server that took the port first. */
async function answersAsOurs(port: number, password: string | undefined, pid: number, ca: Buffer | undefined): Promise<boolean> {
  const client = new Redis({
    host: '127.0.0.1',
    port,
    password,
    // Identity is proven by the pid below, so a test may serve a certificate for another host name.
    tls: ca !== undefined ? { ca, checkServerIdentity: () => undefined } : undefined,
    lazyConnect: true,
    connectTimeout: 500,
    commandTimeout: 500,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // Failures surface through the awaited calls; without a listener ioredis would log them.
  client.on('error', () => undefined);
  try {
    await client.connect();
    if ((await client.ping()) !== 'PONG') return false;
    const info = await client.info('server');
    return /^process_id:(\d+)/m.exec(info)?.[1] === String(pid);
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** Spawns redis-server on `port` and resolves once it answers as the process we spawned. */
async function launch(binary: string, dir: string, port: number, opts: RedisOptions): Promise<{ child: ChildProcess; pid: number }> {
  const args = [
    // "-" reads config from stdin, which keeps the password out of the process list.
    '-',
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', dir,
    '--save', '',
    '--appendonly', 'no',
    '--daemonize', 'no',
    // Read by the reaper; redis-server removes it on a clean shutdown.
    '--pidfile', join(dir, 'redis.pid'),
    ...(opts.tls
      ? ['--port', '0', '--tls-port', String(port), '--tls-cert-file', opts.tls.certFile, '--tls-key-file', opts.tls.keyFile, '--tls-ca-cert-file', opts.tls.caFile, '--tls-auth-clients', 'no']
      : []),
    ...(opts.args ?? []),
  ];
  const ca = opts.tls ? readFileSync(opts.tls.caFile) : undefined;
  const child = spawn(binary, args, { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
  const output = outputLog(() => `redis :${port}`);
  child.stdout?.on('data', output.write);
  child.stderr?.on('data', output.write);
  let spawnError: Error | undefined;
  child.once('error', (err) => {
    spawnError = err;
  });
  child.stdin?.on('error', () => undefined);
  child.stdin?.end(opts.password !== undefined ? `requirepass ${quoteConfig(opts.password)}\n` : '');

  const fail = async (why: string): Promise<never> => {
    await stopChild(child);
    throw new RedisStartError(`redis-server (${binary}) ${why}. Last output:\n${output.tail()}`, port, output.tail());
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  let pid: number | undefined;
  while (pid === undefined) {
    if (spawnError !== undefined) return fail(`could not be started: ${spawnError.message}`);
    if (child.exitCode !== null || child.signalCode !== null) {
      return fail(`exited (${child.exitCode !== null ? `code ${child.exitCode}` : child.signalCode}) before answering PING on 127.0.0.1:${port}`);
    }
    if (child.pid !== undefined && (await answersAsOurs(port, opts.password, child.pid, ca))) {
      pid = child.pid;
    } else {
      if (Date.now() > deadline) return fail(`did not answer PING on 127.0.0.1:${port} within ${READY_TIMEOUT_MS / 1000} s`);
      await delay(50);
    }
  }

  return { child, pid };
}

/** Starts a throwaway redis-server on a free 127.0.0.1 port; nothing is persisted. */
export async function startRedis(opts: RedisOptions = {}): Promise<RedisInstance> {
  const binary = findRedisServer({ binary: opts.binary });
  const dir = await mkdtemp(join(opts.tmpRoot ?? tmpdir(), 'prodcheck-redis-'));
  const reaper = armReaper({ pidFile: join(dir, 'redis.pid'), signal: 'TERM', dir });
  const cleanup = async (child?: ChildProcess): Promise<void> => {
    if (child !== undefined) await stopChild(child);
    await rm(dir, { recursive: true, force: true });
    reaper.disarm();
  };
  try {
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      try {
        const { child, pid } = await launch(binary, dir, port, opts);
        const auth = opts.password !== undefined ? `:${encodeURIComponent(opts.password)}@` : '';
        let stopping: Promise<void> | undefined;
        return {
          host: '127.0.0.1',
          port,
          password: opts.password,
          url: `${opts.tls ? 'rediss' : 'redis'}://${auth}127.0.0.1:${port}`,
          dir,
          pid,
          stop: () => (stopping ??= cleanup(child)),
        };
      } catch (err) {
        // Another process may bind the port between freePort() and redis-server's own bind.
        if (attempt < START_ATTEMPTS && err instanceof RedisStartError && isAddressInUse(err.output)) continue;
        throw err;
      }
    }
  } catch (err) {
    await cleanup();
    throw err;
  }
}
