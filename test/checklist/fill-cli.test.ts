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
      [['tick', 'CHECKLIST.md', '--results', 'failing.json'], 'prodcheck checklist: unknown subcommand "tick": prodcheck checklist fill CHECKLIST.md --results results.json [--out FILE] | prodcheck checklist explain CHECKLIST.md [--format text|json]\n'],
      [['fill', '--results', 'failing.json'], 'prodcheck checklist: which checklist? prodcheck checklist fill CHECKLIST.md --results results.json [--out FILE] | prodcheck checklist explain CHECKLIST.md [--format text|json]\n'],
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

describe('prodcheck checklist explain', () => {
  writeFileSync(
    join(dir, 'EXPLAIN.md'),
    ['# Launch', '', '> - [ ] Health check `/healthz` returns 200', '- [ ] Monitor Redis memory usage', '', '## Environment variables', '', '- [ ] `STRIPE_SECRET_KEY` set in Railway', '- [ ] Redis latency under 10ms', ''].join('\n'),
  );

  it('shows per item the controls and the rule that mapped it, what a result must judge, or why a person judges it', async () => {
    const r = await fill('explain', 'EXPLAIN.md');
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toBe(
      [
        'line 3  Health check `/healthz` returns 200',
        '        → http.health  (http.health rule: the words "health check")',
        '          ticked only by results that judged exactly: /healthz',
        'line 4  Monitor Redis memory usage',
        '        manual: "monitor" is work for a person (monitor, review, plan, a step in a console…), whatever system it names',
        'line 8  `STRIPE_SECRET_KEY` set in Railway',
        '        manual: it is about "railway", and prodcheck reads the environment from Vercel',
        'line 9  Redis latency under 10ms',
        '        → redis.latency  (redis.latency rule: the words "latency" with "redis" around it)',
        '          ticked only by results that judged exactly: under 10ms',
        '',
        'EXPLAIN.md: 4 items, 2 mapped to controls, 2 for people.',
        '',
      ].join('\n'),
    );
  });

  it('writes the same as JSON with --format json', async () => {
    const r = await fill('explain', 'EXPLAIN.md', '--format', 'json');
    expect(r.code).toBe(0);
    const parsed = JSON.parse(r.out) as { checklist: string; items: { line: number; controls: { control: string }[]; manual?: string; mustJudge: string[] }[] };
    expect(parsed.checklist).toBe('EXPLAIN.md');
    expect(parsed.items.map((i) => [i.line, i.controls.map((c) => c.control), i.mustJudge, i.manual === undefined])).toEqual([
      [3, ['http.health'], ['/healthz'], true],
      [4, [], [], false],
      [8, [], [], false],
      [9, ['redis.latency'], ['under 10ms'], true],
    ]);
  });

  it('bad input is exit 2 with what was wrong', async () => {
    const missing = await fill('explain', 'MISSING.md');
    expect(missing.code).toBe(2);
    expect(missing.err).toBe(`prodcheck checklist: invalid input, nothing was run.\n${join(dir, 'MISSING.md')}: 1 problem:\n  - cannot read the checklist (ENOENT): pass the path of a Markdown checklist\n`);
    const format = await fill('explain', 'EXPLAIN.md', '--format', 'xml');
    expect(format.code).toBe(2);
    expect(format.err).toBe('prodcheck checklist: --format must be one of text, json (found "xml")\n');
    expect(format.out).toBe('');
  });
});
