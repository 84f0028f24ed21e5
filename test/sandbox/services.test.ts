import { chmod, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  findRedisServer,
  freePort,
  PostgresStartError,
  RedisServerNotFoundError,
  RedisStartError,
  startPostgres,
  startRedis,
} from '../../sandbox/services/index.js';
import { usePostgres, useRedis } from '../harness.js';

const pgA = usePostgres();
const pgB = usePostgres({
  user: 'owner',
  password: 'p@ss:w/rd',
  database: 'other db',
  settings: { shared_preload_libraries: 'pg_stat_statements' },
});
const redisA = useRedis();
const redisB = useRedis({ password: 'se:cr@t "x"' });

async function query<T extends object>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function withRedis<T>(url: string, use: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis(url, { lazyConnect: true, enableReadyCheck: false, connectTimeout: 2_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await use(client);
  } finally {
    client.disconnect();
  }
}

function tcpProbe(port: number): Promise<'open' | string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('open');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

// Parent dir for instances whose leftovers a test inspects; traversable so that the
// "postgres" OS user can reach its data dir when the tests run as root.
let scratch = '';
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'prodcheck-services-test-'));
  await chmod(scratch, 0o711);
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('freePort', () => {
  it('hands out distinct bindable ports to concurrent callers', async () => {
    const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
    expect(new Set(ports).size).toBe(20);
    for (const port of ports) expect(port).toBeGreaterThan(1023);
  });
});

describe('startPostgres', () => {
  it('answers queries on 127.0.0.1 with a Postgres 18 server and the requested database', async () => {
    const db = pgA();
    expect(db.url).toBe(`postgres://postgres:${encodeURIComponent(db.password)}@127.0.0.1:${db.port}/app`);
    const [row] = await query<{ one: number; version: string; db: string; encoding: string; listen: string }>(
      db.url,
      `select 1 as one, current_setting('server_version') as version, current_database() as db,
              current_setting('server_encoding') as encoding, current_setting('listen_addresses') as listen`,
    );
    expect(row).toEqual({ one: 1, version: expect.stringMatching(/^18\.\d+/), db: 'app', encoding: 'UTF8', listen: '127.0.0.1' });
  });

  it('gives a second instance its own port, credentials and settings while the first keeps working', async () => {
    const a = pgA();
    const b = pgB();
    expect(b.port).not.toBe(a.port);
    expect(b.url).toBe(`postgres://owner:p%40ss%3Aw%2Frd@127.0.0.1:${b.port}/other%20db`);
    const [fromA, fromB] = await Promise.all([
      query<{ who: string; db: string }>(a.url, 'select current_user as who, current_database() as db'),
      query<{ who: string; db: string; preload: string }>(
        b.url,
        `select current_user as who, current_database() as db, current_setting('shared_preload_libraries') as preload`,
      ),
    ]);
    expect(fromA).toEqual([{ who: 'postgres', db: 'app' }]);
    expect(fromB).toEqual([{ who: 'owner', db: 'other db', preload: 'pg_stat_statements' }]);
    await query(b.url, 'create extension pg_stat_statements');
    const [stats] = await query<{ n: string }>(b.url, 'select count(*) as n from pg_stat_statements');
    expect(Number(stats?.n)).toBeGreaterThan(0);
  });

  it('stop() shuts the server down, removes its temp dir and can be called again', async () => {
    const db = await startPostgres({ tmpRoot: scratch });
    expect(await exists(join(db.dir, 'data', 'PG_VERSION'))).toBe(true);
    expect(await query(db.url, 'select 1 as one')).toEqual([{ one: 1 }]);

    await db.stop();
    expect(await tcpProbe(db.port)).toBe('ECONNREFUSED');
    expect(await exists(db.dir)).toBe(false);
    await expect(db.stop()).resolves.toBeUndefined();
  });

  it('reports the server output when it cannot start, and leaves nothing behind', async () => {
    const root = await mkdtemp(join(scratch, 'failed-pg-'));
    await chmod(root, 0o711);
    const failure = startPostgres({ tmpRoot: root, settings: { no_such_setting: 'on' } });
    await expect(failure).rejects.toThrow(PostgresStartError);
    await expect(failure).rejects.toThrow(/failed to start on 127\.0\.0\.1:\d+[\s\S]*unrecognized configuration parameter "no_such_setting"/);
    expect(await readdir(root)).toEqual([]);
  });
});

describe('startRedis', () => {
  it('answers PING and INFO server on its own port, with nothing persisted', async () => {
    const r = redisA();
    expect(r.url).toBe(`redis://127.0.0.1:${r.port}`);
    await withRedis(r.url, async (client) => {
      expect(await client.ping()).toBe('PONG');
      const info = await client.info('server');
      expect(info).toMatch(/^redis_version:\d+\.\d+/m);
      expect(info).toContain(`tcp_port:${r.port}\r\n`);
      expect(info).toContain(`process_id:${r.pid}\r\n`);
      expect(await client.config('GET', 'save')).toEqual(['save', '']);
      expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'no']);
      expect(await client.config('GET', 'bind')).toEqual(['bind', '127.0.0.1']);
    });
  });

  it('gives a second instance its own port and password while the first keeps working', async () => {
    const a = redisA();
    const b = redisB();
    expect(b.port).not.toBe(a.port);
    expect(b.url).toBe(`redis://:${encodeURIComponent('se:cr@t "x"')}@127.0.0.1:${b.port}`);
    const [pingA, pingB] = await Promise.all([
      withRedis(a.url, (client) => client.ping()),
      withRedis(b.url, (client) => client.ping()),
    ]);
    expect([pingA, pingB]).toEqual(['PONG', 'PONG']);
    await expect(withRedis(`redis://127.0.0.1:${b.port}`, (client) => client.ping())).rejects.toThrow(/NOAUTH/);
  });

  it('stop() shuts the server down, removes its temp dir and can be called again', async () => {
    const r = await startRedis({ tmpRoot: scratch });
    expect(await exists(r.dir)).toBe(true);
    expect(await withRedis(r.url, (client) => client.ping())).toBe('PONG');

    await r.stop();
    expect(await tcpProbe(r.port)).toBe('ECONNREFUSED');
    expect(() => process.kill(r.pid, 0)).toThrow(/ESRCH/);
    expect(await exists(r.dir)).toBe(false);
    await expect(r.stop()).resolves.toBeUndefined();
  });

  it('reports the server output when it cannot start, and leaves nothing behind', async () => {
    const root = await mkdtemp(join(scratch, 'failed-redis-'));
    const failure = startRedis({ tmpRoot: root, args: ['--no-such-directive', 'x'] });
    await expect(failure).rejects.toThrow(RedisStartError);
    await expect(failure).rejects.toThrow(/exited \(code 1\) before answering PING[\s\S]*Bad directive or wrong number of arguments/);
    expect(await readdir(root)).toEqual([]);
  });

  describe('when redis-server is missing', () => {
    afterEach(() => {
      vi.unstubAllEnvs();
    });

    it('says how to install it when it is not on PATH', async () => {
      const emptyBin = await mkdtemp(join(scratch, 'bin-'));
      const error = thrownBy(() => findRedisServer({ env: { PATH: emptyBin }, fallbackDirs: [] }));
      expect(error).toBeInstanceOf(RedisServerNotFoundError);
      expect(error).toMatchObject({
        message:
          'redis-server not found on PATH: install it with `apt-get install -y redis-server` (Debian/Ubuntu) or `brew install redis` (macOS)',
        searched: [join(emptyBin, 'redis-server')],
      });
    });

    it('names PRODCHECK_REDIS_SERVER when that points nowhere', async () => {
      const missing = join(scratch, 'nowhere', 'redis-server');
      vi.stubEnv('PRODCHECK_REDIS_SERVER', missing);
      await expect(startRedis()).rejects.toThrow(
        `redis-server not found at ${missing} (from PRODCHECK_REDIS_SERVER): install it with ` +
          '`apt-get install -y redis-server` (Debian/Ubuntu) or `brew install redis` (macOS), or point PRODCHECK_REDIS_SERVER at the binary',
      );
    });

    it('names the binary option when that points nowhere', async () => {
      await expect(startRedis({ binary: 'no-such-redis-server' })).rejects.toThrow(
        /^redis-server not found on PATH as no-such-redis-server \(from the `binary` option\): install it with/,
      );
    });

    it('uses PRODCHECK_REDIS_SERVER when it points at a binary', () => {
      const real = findRedisServer();
      expect(findRedisServer({ env: { PATH: '', PRODCHECK_REDIS_SERVER: real }, fallbackDirs: [] })).toBe(real);
    });
  });
});
