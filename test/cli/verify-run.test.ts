import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { startPostgres } from '../../sandbox/services/index.js';
import type { Report } from '../../report/types.js';
import { captureIo } from '../helpers/io.js';

const dir = mkdtempSync(join(tmpdir(), 'prodcheck-verify-run-'));
writeFileSync(
  join(dir, 'Pulumi.prod.yaml'),
  `config:
  prodcheck:app: { name: chat, domain: chat.example.com }
  prodcheck:postgres:
    tables: [User]
    indexes: [{ table: User, columns: [email] }]
`,
);

describe('prodcheck verify against a live target', () => {
  it('ends the pg checks as error/skip within the timeout when Postgres is stopped, exit 3, and prints no password', async () => {
    const pg = await startPostgres({ password: 'Sup3r-Secret-Pw-xyz' });
    await pg.stop();
    writeFileSync(join(dir, 'targets.yaml'), 'postgres:\n  url: postgres://verifier:${env:PG_PASSWORD}@127.0.0.1:' + pg.port + '/app\n  timeoutMs: 2000\n');
    const io = captureIo({ PG_PASSWORD: 'Sup3r-Secret-Pw-xyz' }, dir);
    const code = await main(['verify', '--stack', 'prod', '--targets', 'targets.yaml', '--only', 'pg.*', '--format', 'json', '--out', 'report.json'], io);
    expect(code).toBe(3);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;
    const connectivity = report.results.find((r) => r.control === 'pg.connectivity');
    expect(connectivity?.status).toBe('error');
    expect(connectivity?.message).toMatch(new RegExp(`^postgres could not be reached: .*127\\.0\\.0\\.1:${pg.port}`));
    expect(connectivity?.durationMs).toBeLessThan(10_000);
    expect(report.results.filter((r) => r.control !== 'pg.connectivity').every((r) => r.status === 'skip')).toBe(true);
    expect(report.summary.fail).toBe(0);
    for (const text of [readFileSync(join(dir, 'report.json'), 'utf8'), io.out(), io.err()]) expect(text).not.toContain('Sup3r-Secret-Pw-xyz');
  });
});
