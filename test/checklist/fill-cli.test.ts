import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { captureIo } from '../helpers/io.js';
import type { Row } from './fill-results.js';
import { RUN, fixture, reportJson } from './fill-results.js';

const dir = mkdtempSync(join(tmpdir(), 'prodcheck-checklist-fill-'));
writeFileSync(join(dir, 'CHECKLIST.md'), fixture('seed-004.md'));
writeFileSync(join(dir, 'failing.json'), reportJson(RUN));
const passing: Row[] = RUN.filter(([, status]) => status !== 'fail');
writeFileSync(join(dir, 'passing.json'), reportJson(passing));

async function fill(...args: string[]) {
  const io = captureIo({}, dir);
  const code = await main(['checklist', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe('prodcheck checklist fill', () => {
  it('writes the document to stdout and the counts to stderr; exit 1 when a mapped control failed', async () => {
    const r = await fill('fill', 'CHECKLIST.md', '--results', 'failing.json');
    expect(r.code).toBe(1);
    expect(r.err).toBe('4 / 140 items checked (4 automated)\n');
    expect(r.out).toContain('- [x] Configure maxmemory policy <!-- prodcheck -->\n');
    expect(r.out).toContain('- [ ] Configure persistence (AOF + RDB) — ❌ prodcheck: Redis persistence must be aof (found AOF off, RDB snapshots on).\n');
    expect(r.out.length).toBeGreaterThan(fixture('seed-004.md').length);
  });

  it('with --out writes the file and prints the counts to stdout; exit 0 when nothing mapped failed', async () => {
    const r = await fill('fill', 'CHECKLIST.md', '--results', 'passing.json', '--out', 'filled.md');
    expect(r.code).toBe(0);
    expect(r.out).toBe('4 / 140 items checked (4 automated)\n');
    expect(r.err).toBe('');
    expect(readFileSync(join(dir, 'filled.md'), 'utf8')).toContain('- [ ] Enable TLS encryption — ⚠️ prodcheck could not check: ');
  });

  it('redacts a secret a hand-made report carries, even unregistered', async () => {
    writeFileSync(join(dir, 'leaky.json'), reportJson([['redis.persistence', 'fail', 'Persistence off; AUTH token rk_live_51HxAbCdEfGhIjKlMn was used.']]));
    const r = await fill('fill', 'CHECKLIST.md', '--results', 'leaky.json');
    expect(r.out).toContain('— ❌ prodcheck: Persistence off; AUTH token \\[REDACTED\\] was used.');
    expect(r.out).not.toContain('rk_live_51HxAbCdEfGhIjKlMn');
  });

  it('bad input is exit 2 with what, where and what to do, and writes nothing', async () => {
    writeFileSync(join(dir, 'not-json.json'), 'pass: 3');
    writeFileSync(join(dir, 'drift.json'), JSON.stringify({ format: 'prodcheck-drift-baseline', version: 1, entries: [] }));
    writeFileSync(join(dir, 'v2.json'), JSON.stringify({ version: 2, results: [] }));
    writeFileSync(join(dir, 'bad-status.json'), JSON.stringify({ version: 1, results: [{ control: 'redis.tls', status: 'ok', message: 'fine' }] }));
    const cases: [string[], string][] = [
      [['fill', 'MISSING.md', '--results', 'failing.json'], `prodcheck checklist: invalid input, nothing was run.\n${join(dir, 'MISSING.md')}: 1 problem:\n  - cannot read the checklist (ENOENT): pass the path of a Markdown checklist\n`],
      [['fill', 'CHECKLIST.md', '--results', 'none.json'], `prodcheck checklist: invalid input, nothing was run.\n${join(dir, 'none.json')}: 1 problem:\n  - cannot read the results (ENOENT): write them with \`prodcheck verify --format json --out results.json\`\n`],
      [['fill', 'CHECKLIST.md', '--results', 'not-json.json'], `prodcheck checklist: invalid input, nothing was run.\n${join(dir, 'not-json.json')}: 1 problem:\n  - is not JSON (Unexpected token 'p', "pass: 3" is not valid JSON): write one with \`prodcheck verify --format json --out results.json\`\n`],
      [['fill', 'CHECKLIST.md', '--results', 'drift.json'], `prodcheck checklist: invalid input, nothing was run.\n${join(dir, 'drift.json')}: 1 problem:\n  - is not a prodcheck JSON report (no "results" list): write one with \`prodcheck verify --format json --out results.json\`\n`],
      [['fill', 'CHECKLIST.md', '--results', 'v2.json'], `prodcheck checklist: invalid input, nothing was run.\n${join(dir, 'v2.json')}: 1 problem:\n  - version: is 2, and this prodcheck reads report version 1: write one with \`prodcheck verify --format json --out results.json\`\n`],
      [['fill', 'CHECKLIST.md', '--results', 'bad-status.json'], `prodcheck checklist: invalid input, nothing was run.\n${join(dir, 'bad-status.json')}: 1 problem:\n  - results[0].status: must be one of "pass", "fail", "error", "skip", "waived"\n`],
      [['fill', 'CHECKLIST.md'], 'prodcheck checklist: no results: pass --results FILE, the JSON report of `prodcheck verify --format json --out results.json`\n'],
      [['tick', 'CHECKLIST.md', '--results', 'failing.json'], 'prodcheck checklist: unknown subcommand "tick": prodcheck checklist fill CHECKLIST.md --results results.json [--out FILE]\n'],
      [['fill', '--results', 'failing.json'], 'prodcheck checklist: which checklist? prodcheck checklist fill CHECKLIST.md --results results.json [--out FILE]\n'],
    ];
    for (const [args, err] of cases) {
      const r = await fill(...args, '--out', 'never.md');
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toBe(err);
      expect(r.out).toBe('');
    }
    expect(() => readFileSync(join(dir, 'never.md'))).toThrow(/ENOENT/);
  });
});
