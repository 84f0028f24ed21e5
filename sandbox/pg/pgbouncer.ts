import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { chmod, chown, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { freePort, isAddressInUse } from '../services/ports.js';
import { outputLog } from '../services/output.js';
import { armReaper } from '../services/reaper.js';
import { stopChild } from '../services/child.js';

export interface PgbouncerOptions {
  /** The Postgres it pools for; every database name is forwarded to it (`* =` entry). */
  readonly backend: { readonly host: string; readonly port: number };
  /** Users that log in through pgbouncer, with their passwords: pgbouncer needs them to log in to Postgres with SCRAM. */
  readonly users: Readonly<Record<string, string>>;
  /** Users allowed SHOW commands on the admin console (database `pgbouncer`). */
  readonly statsUsers?: readonly string[];
  readonly poolMode?: 'session' | 'transaction' | 'statement';
  /**
   * [databases] entries of their own, written before the `*` fallback: a pooled database name and where
   * it leads (another database, host or port than the backend's same-named one, as a misconfigured pooler does).
   */
  readonly databases?: Readonly<Record<string, { readonly host: string; readonly port: number; readonly dbname?: string; readonly user?: string }>>;
  /** Default: $PRODCHECK_PGBOUNCER, then /usr/sbin/pgbouncer, then PATH. */
  readonly binary?: string;
  readonly tmpRoot?: string;
}

export interface PgbouncerInstance {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly dir: string;
  readonly pid: number;
  /** postgres:// URL for a user and database through the pooler. */
  url(user: string, database: string): string;
  /** postgres:// URL of the admin console (database `pgbouncer`) for a stats user. */
  adminUrl(user: string): string;
  stop(): Promise<void>;
}

export class PgbouncerNotFoundError extends Error {
  override readonly name = 'PgbouncerNotFoundError';
  constructor(
    message: string,
    readonly searched: readonly string[],
  ) {
    super(message);
  }
}

export class PgbouncerStartError extends Error {
  override readonly name = 'PgbouncerStartError';
  constructor(
    message: string,
    readonly port: number,
    /** Last lines pgbouncer printed. */
    readonly output: string,
  ) {
    super(message);
  }
}

const READY_TIMEOUT_MS = 10_000;
const START_ATTEMPTS = 3;
const INSTALL_HINT = 'install it with `apt-get install -y pgbouncer` (Debian/Ubuntu)';

export function findPgbouncer(binary?: string): string {
  const command = binary ?? (process.env.PRODCHECK_PGBOUNCER || undefined);
  const candidates = command !== undefined ? [command] : ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer', '/usr/local/bin/pgbouncer', '/opt/homebrew/bin/pgbouncer'];
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // Try the next place.
    }
  }
  throw new PgbouncerNotFoundError(`pgbouncer not found (looked at ${candidates.join(', ')}): ${INSTALL_HINT}`, candidates);
}

/** pgbouncer refuses to run as root; it then runs as the OS user `postgres`, which must exist. */
function dropTo(): { name: string; uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string): number => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const uid = id('-u');
  const gid = id('-g');
  if (!Number.isInteger(uid) || uid <= 0) throw new PgbouncerStartError('pgbouncer will not run as root and there is no OS user "postgres" to run it as', 0, '');
  return { name: 'postgres', uid, gid };
}

// pgbouncer's auth file: "user" "password" per line, double quotes doubled.
function authLine(user: string, password: string): string {
  const q = (s: string): string => `"${s.replaceAll('"', '""')}"`;
  return `${q(user)} ${q(password)}\n`;
}



function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Starts pgbouncer on a free 127.0.0.1 port in front of `backend`, with a generated ini and auth file in a temp dir. */
export async function startPgbouncer(opts: PgbouncerOptions): Promise<PgbouncerInstance> {
  const binary = findPgbouncer(opts.binary);
  const owner = dropTo();
  const dir = await mkdtemp(join(opts.tmpRoot ?? tmpdir(), 'prodcheck-pgbouncer-'));
  const pidFile = join(dir, 'pgbouncer.pid');
  const reaper = armReaper({ pidFile, signal: 'TERM', dir });
  const cleanup = async (child?: ChildProcess): Promise<void> => {
    if (child !== undefined) await stopChild(child);
    await rm(dir, { recursive: true, force: true });
    reaper.disarm();
  };
  try {
    const authFile = join(dir, 'userlist.txt');
    await writeFile(authFile, Object.entries(opts.users).map(([u, p]) => authLine(u, p)).join(''), { mode: 0o600 });
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const ini = [
        '[databases]',
        ...Object.entries(opts.databases ?? {}).map(([name, d]) => `${name} = host=${d.host} port=${d.port}${d.dbname ? ` dbname=${d.dbname}` : ''}${d.user ? ` user=${d.user}` : ''}`),
        `* = host=${opts.backend.host} port=${opts.backend.port}`,
        '[pgbouncer]',
        'listen_addr = 127.0.0.1',
        `listen_port = ${port}`,
        // TCP only: no socket file left in /tmp.
        'unix_socket_dir =',
        'auth_type = scram-sha-256',
        `auth_file = ${authFile}`,
        `stats_users = ${(opts.statsUsers ?? []).join(',')}`,
        `pool_mode = ${opts.poolMode ?? 'transaction'}`,
        `pidfile = ${pidFile}`,
        // node-pg and psql send these at startup; pgbouncer would refuse the login otherwise.
        'ignore_startup_parameters = extra_float_digits,options',
        // To Postgres over TLS when it offers it: the sandbox's pg_hba.conf admits app roles over hostssl only.
        'server_tls_sslmode = prefer',
        '',
      ].join('\n');
      const iniFile = join(dir, 'pgbouncer.ini');
      await writeFile(iniFile, ini, { mode: 0o600 });
      if (owner) {
        await chmod(dir, 0o700);
        for (const f of [dir, ...(await readdir(dir)).map((f) => join(dir, f))]) await chown(f, owner.uid, owner.gid);
      }
      const child = spawn(binary, [...(owner ? ['-u', owner.name] : []), iniFile], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
      const output = outputLog(() => `pgbouncer :${port}`);
      child.stdout?.on('data', output.write);
      child.stderr?.on('data', output.write);
      let spawnError: Error | undefined;
      child.once('error', (e) => {
        spawnError = e;
      });
      const deadline = Date.now() + READY_TIMEOUT_MS;
      let failure: string | undefined;
      for (;;) {
        if (spawnError) failure = `could not be started: ${spawnError.message}`;
        else if (child.exitCode !== null || child.signalCode !== null) failure = `exited (${child.exitCode ?? child.signalCode}) before listening on 127.0.0.1:${port}`;
        else if (/listening on 127\.0\.0\.1:\d+/i.test(output.tail(Infinity)) && (await accepts(port))) break;
        else if (Date.now() > deadline) failure = `did not listen on 127.0.0.1:${port} within ${READY_TIMEOUT_MS / 1000} s`;
        if (failure) break;
        await delay(50);
      }
      if (failure) {
        await stopChild(child);
        if (attempt < START_ATTEMPTS && isAddressInUse(output.tail())) continue;
        throw new PgbouncerStartError(`pgbouncer (${binary}) ${failure}. Last output:\n${output.tail()}`, port, output.tail());
      }
      const pid = child.pid ?? 0;
      let stopping: Promise<void> | undefined;
      const url = (user: string, database: string): string => {
        const password = opts.users[user];
        const auth = password !== undefined ? `${encodeURIComponent(user)}:${encodeURIComponent(password)}` : encodeURIComponent(user);
        return `postgres://${auth}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
      };
      return { host: '127.0.0.1', port, dir, pid, url, adminUrl: (user) => url(user, 'pgbouncer'), stop: () => (stopping ??= cleanup(child)) };
    }
  } catch (e) {
    await cleanup();
    throw e;
  }
}
