import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { main } from '../../cli/main.js';
import { verifyCommand } from '../../cli/commands/sandbox.js';
import { pgSandbox } from '../../sandbox/pg/index.js';
import { redisSandbox } from '../../sandbox/redis/index.js';
import { runSandbox, startSandbox } from '../../sandbox/run.js';
import { Redactor } from '../../report/redact.js';
import { FAMILIES } from '../../verify/registry.js';
import { captureIo } from '../helpers/io.js';

// A machine without pgbouncer: the sandbox looks only where PRODCHECK_PGBOUNCER says.
const saved = process.env.PRODCHECK_PGBOUNCER;
beforeEach(() => {
  process.env.PRODCHECK_PGBOUNCER = '/nonexistent/pgbouncer';
});
afterEach(() => {
  if (saved === undefined) delete process.env.PRODCHECK_PGBOUNCER;
  else process.env.PRODCHECK_PGBOUNCER = saved;
});

const families = [pgSandbox, redisSandbox];

describe('sandbox on a machine without pgbouncer', () => {
  it('skips pg.connection-pooling with a one-line hint, and its printed verify command passes on what it printed', async () => {
    const logs: string[] = [];
    const redactor = new Redactor();
    const run = await runSandbox({ profile: undefined, breaks: [], families, verifyFamilies: FAMILIES, redactor, log: (l) => logs.push(l) });
    try {
      expect(logs).toContain('sandbox: pgbouncer is not installed: pg.connection-pooling is skipped (install it with `apt-get install pgbouncer` to check pooling too)');
      expect(run.report.results.filter((r) => r.control === 'pg.connection-pooling').map((r) => [r.status, r.message])).toEqual([
        ['skip', 'pgbouncer is not installed; the sandbox ran without a pooler.'],
      ]);
      expect(run.report.results.filter((r) => r.status === 'fail' || r.status === 'error')).toEqual([]);
      // The printed command carries the raised budgets (the default profile asks a p95 of 10 ms of Redis).
      const command = verifyCommand(run);
      expect(command).toBe(`npx prodcheck verify --config ${run.configFile} --targets ${run.targetsFile} --skip pg.connection-pooling`);
      const config = parse(readFileSync(run.configFile, 'utf8')) as { config: Record<string, Record<string, unknown>> };
      expect(config.config['prodcheck:redis']?.latencyP95Ms).toBe(100);
      const io = captureIo();
      const args = command.split(' ').slice(2);
      expect(await main(args, io), io.out() + io.err()).toBe(0);
      expect(io.out()).toMatch(/^\d+ passed, 0 failed, 0 errors, \d+ skipped, 0 waived$/m);
    } finally {
      await run.stop();
    }
  });

  it('refuses --break pg.connection-pooling as bad input, saying why', async () => {
    await expect(startSandbox({ profile: undefined, breaks: ['pg.connection-pooling'], families, redactor: new Redactor(), log: () => undefined })).rejects.toThrow(
      '--break pg.connection-pooling: pg.connection-pooling: cannot plant a fault: pgbouncer is not installed (install it with `apt-get install pgbouncer`)',
    );
  });
});
