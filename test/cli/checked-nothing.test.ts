import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { checkedNothing, exitCodeOf } from '../../report/summary.js';
import { captureIo } from '../helpers/io.js';

// A run in which nothing was checked must never exit 0: it would read as green in CI.
const dir = mkdtempSync(join(tmpdir(), 'prodcheck-nothing-'));
writeFileSync(join(dir, 'Pulumi.ok.yaml'), 'config:\n  prodcheck:app: { name: chat, domain: chat.example.com }\n');
// Only an AWS section pointing at a closed port: no check of any other family can run, and none contacts it.
writeFileSync(join(dir, 'aws.yaml'), 'aws:\n  region: us-east-1\n  endpoint: http://127.0.0.1:1\n');
writeFileSync(join(dir, 'empty.yaml'), '');
writeFileSync(join(dir, 'comments.yaml'), '# nothing yet\n');

async function run(...args: string[]) {
  const io = captureIo({}, dir);
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

describe('runs that would check nothing', () => {
  it('an all-skip or empty summary is exit 3, never 0', () => {
    expect(exitCodeOf({ pass: 0, fail: 0, error: 0, skip: 82, waived: 0 })).toBe(3);
    expect(exitCodeOf({ pass: 0, fail: 0, error: 0, skip: 0, waived: 0 })).toBe(3);
    expect(checkedNothing({ pass: 0, fail: 0, error: 0, skip: 3, waived: 1 })).toBe(false);
    expect(exitCodeOf({ pass: 1, fail: 0, error: 0, skip: 81, waived: 0 })).toBe(0);
  });

  it("--skip '*' and a contradictory --only/--skip are refused before anything runs (exit 2)", async () => {
    expect(await run('verify', '--stack', 'ok', '--targets', 'aws.yaml', '--skip', '*')).toEqual({ code: 2, out: '', err: 'prodcheck verify: --skip * leaves no control to check: narrow --skip or widen --only (see prodcheck controls)\n' });
    expect(await run('verify', '--stack', 'ok', '--targets', 'aws.yaml', '--only', 'pg.*', '--skip', 'pg.*')).toEqual({
      code: 2,
      out: '',
      err: 'prodcheck verify: --only pg.* --skip pg.* leaves no control to check: narrow --skip or widen --only (see prodcheck controls)\n',
    });
  });

  it("--only '' does not mean every control (exit 2)", async () => {
    expect(await run('verify', '--stack', 'ok', '--targets', 'aws.yaml', '--only', '')).toEqual({ code: 2, out: '', err: 'prodcheck verify: --only is empty: pass control globs such as pg.* or redis.tls (see prodcheck controls)\n' });
    expect((await run('verify', '--stack', 'ok', '--targets', 'aws.yaml', '--skip', ' , ')).code).toBe(2);
  });

  it('--only of a family whose target is absent: every result skipped, exit 3 with the reason', async () => {
    const r = await run('verify', '--stack', 'ok', '--targets', 'aws.yaml', '--only', 'pg.*', '--format', 'json');
    expect(r.code).toBe(3);
    const report = JSON.parse(r.out) as { summary: { skip: number; pass: number } };
    expect(report.summary.pass).toBe(0);
    expect(r.err).toBe(
      `prodcheck verify: nothing was checked: all ${report.summary.skip} selected results were skipped (their reasons are in the report), so this run is not a pass (exit 3): add the targets the skipped checks need, or select controls that apply.\n`,
    );
  });

  it('an empty targets file is bad input (exit 2) for verify and drift, naming the file', async () => {
    for (const file of ['empty.yaml', 'comments.yaml']) {
      const r = await run('verify', '--stack', 'ok', '--targets', file);
      expect(r.code).toBe(2);
      expect(r.err).toBe(
        `prodcheck verify: invalid input, nothing was run.\n${join(dir, file)}: 1 problem:\n  - names no target, so nothing would be checked: add at least one section (postgres, redis, stripe, http, perf, vercel, aws, repo, dns, github, sentry, checkly, upstash, neon, supabase, resend, litellm, datadog; see targets.example.yaml)\n`,
      );
    }
    const d = await run('drift', '--stack', 'ok', '--targets', 'empty.yaml', '--baseline', 'b.json', '--update-baseline');
    expect(d.code).toBe(2);
    expect(existsSync(join(dir, 'b.json'))).toBe(false);
  });

  it('drift --update-baseline writes no all-skip baseline (exit 3)', async () => {
    const r = await run('drift', '--stack', 'ok', '--targets', 'aws.yaml', '--baseline', 'b.json', '--update-baseline');
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/^prodcheck drift: no baseline written: nothing was checked: all \d+ selected results were skipped/);
    expect(existsSync(join(dir, 'b.json'))).toBe(false);
  });
});
