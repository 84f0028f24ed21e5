import { describe, expect, it } from 'vitest';
import { createProgress, renderConsole } from '../../../report/formats/console.js';
import type { Report, Result } from '../../../report/types.js';
import { ADVISORY_RESULT, REPORT, RESULTS, SECRET, SECRET_CORES, redactor } from './fixture.js';

const opts = { redactor: redactor() };
const ESC = '\x1b';

describe('console reporter', () => {
  it('groups by family (names of failures, waivers in full, passes and skip reasons compactly), then the failures with evidence and how to fix, last above the totals', () => {
    expect(renderConsole(REPORT, opts)).toBe(
      [
        'prodcheck verify  stack prod  started 2026-01-05T10:00:00.000Z  took 5.2 s',
        '',
        'pg  1 failed, 1 waived, 2 passed',
        '  WAIVED pg.backups.retention  Backup retention must be at least 30 days (found 7). (waived by alice',
        '        until 2026-03-01: moving to AWS Backup)',
        '        expected 30 · found 7',
        '  FAIL  pg.rls [public.orders]',
        '  PASS  pg.connectivity, pg.rls [public.users]',
        '',
        'redis  1 failed, 2 skipped',
        '  FAIL  redis.eviction-policy',
        '  SKIP  2 × acts on the live system: runs only with --active',
        '',
        'stripe  1 error, 1 skipped',
        '  ERROR stripe.webhook.endpoint',
        '  SKIP  1 × stripe could not be reached: connect ECONNREFUSED 127.0.0.1:12111.',
        '',
        'http  2 failed',
        '  FAIL  http.security-headers, http.compression',
        '',
        'Failures: 4 failed, 1 could not be checked',
        '  FAIL  pg.rls [public.orders]  RLS must be enabled on public.orders (found disabled).',
        '        expected enabled · found disabled',
        '        How to fix: Then this must hold: SELECT relname FROM pg_class c JOIN pg_namespace n ON',
        '        n.oid=c.relnamespace WHERE n.nspname=\'public\' AND c.relkind=\'r\' AND NOT c.relrowsecurity ->',
        '        0 rows; each table has >= 1 pg_policies row; anon-key REST read of a protected table -> 0',
        '        rows.',
        '  FAIL  redis.eviction-policy  Redis maxmemory-policy must be allkeys-lru (found noeviction).',
        '        expected allkeys-lru · found noeviction',
        '        How to fix: Provision it: upstash.RedisDatabase eviction=true / ElastiCache ParameterGroup',
        '        maxmemory-policy=allkeys-lru. Then this must hold: INFO memory -> maxmemory_policy ==',
        '        allkeys-lru where exposed, else provider API (Upstash GET /v2/redis/database/{id}',
        '        eviction=true; ElastiCache DescribeCacheParameters maxmemory-policy).',
        '  FAIL  http.security-headers  Strict-Transport-Security must be set (found none).',
        '        How to fix: Then this must hold: HEAD / and an API route -> X-Frame-Options (or CSP',
        '        frame-ancestors), X-Content-Type-Options: nosniff, Referrer-Policy,',
        '        Strict-Transport-Security, Content-Security-Policy, Permissions-Policy.',
        '  FAIL  http.compression  Responses must be compressed with br or gzip (found identity).',
        '        How to fix: Then this must hold: GET / and a JS chunk with Accept-Encoding: br, gzip ->',
        '        Content-Encoding br|gzip.',
        '  ERROR stripe.webhook.endpoint  stripe could not be reached: connect ECONNREFUSED 127.0.0.1:12111.',
        '',
        '2 passed, 4 failed, 1 error, 3 skipped, 1 waived',
        'exit 1: 4 checks failed',
        '',
      ].join('\n'),
    );
  });

  it('wraps every line to the terminal width it is given, continuation lines indented', () => {
    const lines = renderConsole(REPORT, { ...opts, width: 60 }).split('\n');
    expect(lines.filter((l) => l.length > 60 && !l.startsWith('prodcheck verify'))).toEqual([]);
    expect(lines.slice(lines.indexOf('Failures: 4 failed, 1 could not be checked') + 1).slice(0, 3)).toEqual([
      '  FAIL  pg.rls [public.orders]  RLS must be enabled on',
      '        public.orders (found disabled).',
      '        expected enabled · found disabled',
    ]);
  });

  it('with quiet prints only the failures and the totals', () => {
    const text = renderConsole(REPORT, { ...opts, quiet: true });
    expect(text.startsWith('Failures: 4 failed, 1 could not be checked\n  FAIL  pg.rls [public.orders]')).toBe(true);
    expect(text).not.toContain('PASS');
    expect(text).not.toContain('SKIP');
    expect(text).not.toContain('WAIVED');
    expect(text.endsWith('\n\n2 passed, 4 failed, 1 error, 3 skipped, 1 waived\nexit 1: 4 checks failed\n')).toBe(true);
    const clean: Report = { ...REPORT, summary: { pass: 1, fail: 0, error: 0, skip: 0, waived: 0 }, results: [RESULTS[0]!] };
    expect(renderConsole(clean, { ...opts, quiet: true })).toBe('1 passed, 0 failed, 0 errors, 0 skipped, 0 waived\nexit 0: nothing failed\n');
  });

  it('says which failures --fail-on lets through', () => {
    expect(renderConsole(REPORT, { ...opts, failOn: 'high' }).endsWith('\nexit 1: 2 checks failed at or above high (2 below --fail-on high)\n')).toBe(true);
    expect(renderConsole(REPORT, { ...opts, failOn: 'critical' }).endsWith('\nexit 3: 1 check could not be run, none failed at or above critical (4 below --fail-on critical)\n')).toBe(true);
  });

  it('shows advisory gate violations in their own section, though they passed', () => {
    const text = renderConsole({ ...REPORT, results: [RESULTS[0]!, ADVISORY_RESULT], summary: { pass: 2, fail: 0, error: 0, skip: 0, waived: 0 } }, opts);
    expect(text).toContain('\nAdvisories (advisory, not enforced): 1\n  WARN  redis.tls [chat-cache]  transitEncryptionEnabled must be true (found false).\n\n2 passed');
  });

  it('lists each skip reason once with its count, however many results it covers', () => {
    const skips: Result[] = Array.from({ length: 100 }, (_, i) => ({ ...RESULTS[5]!, control: `pg.check-${i}`, message: i < 60 ? 'skipped: postgres could not be reached: timeout.' : 'no postgres section in the targets file' }));
    const text = renderConsole({ ...REPORT, summary: { pass: 0, fail: 0, error: 0, skip: 100, waived: 0 }, results: skips }, opts);
    expect(text.split('\n').filter((l) => l.includes('SKIP'))).toEqual(['  SKIP  60 × postgres could not be reached: timeout.', '  SKIP  40 × no postgres section in the targets file']);
    expect(text).toContain('\n0 passed, 0 failed, 0 errors, 100 skipped, 0 waived\nexit 3: nothing was checked (every result was skipped)\n');
  });

  it('wraps a long list of passes under the first one', () => {
    const passes: Result[] = Array.from({ length: 12 }, (_, i) => ({ ...RESULTS[0]!, control: `pg.schema.table-${String(i).padStart(2, '0')}` }));
    const lines = renderConsole({ ...REPORT, summary: { pass: 12, fail: 0, error: 0, skip: 0, waived: 0 }, results: passes }, opts).split('\n');
    const passLines = lines.slice(3, lines.indexOf('', 3));
    expect(passLines).toEqual([
      '  PASS  pg.schema.table-00, pg.schema.table-01, pg.schema.table-02, pg.schema.table-03,',
      '        pg.schema.table-04, pg.schema.table-05, pg.schema.table-06, pg.schema.table-07,',
      '        pg.schema.table-08, pg.schema.table-09, pg.schema.table-10, pg.schema.table-11',
    ]);
    expect(passLines.every((l) => l.length <= 100)).toBe(true);
  });

  it('says what exit 3 means and names the command it reports for', () => {
    const errorOnly: Report = { ...REPORT, summary: { pass: 0, fail: 0, error: 1, skip: 0, waived: 0 }, results: [RESULTS[7]!] };
    const text = renderConsole(errorOnly, { ...opts, title: 'prodcheck gate' });
    expect(text.startsWith('prodcheck gate  stack prod')).toBe(true);
    expect(text.endsWith('\n0 passed, 0 failed, 1 error, 0 skipped, 0 waived\nexit 3: 1 check could not be run, none failed\n')).toBe(true);
  });

  it('colours only when asked', () => {
    expect(renderConsole(REPORT, opts)).not.toContain(ESC);
    const coloured = renderConsole(REPORT, { ...opts, color: true });
    expect(coloured).toContain(`${ESC}[31mFAIL ${ESC}[0m pg.rls [public.orders]`);
    expect(coloured).toContain(`${ESC}[35mERROR${ESC}[0m stripe.webhook.endpoint`);
    expect(coloured).toContain(`${ESC}[1m2 passed, 4 failed, 1 error, 3 skipped, 1 waived${ESC}[0m`);
  });

  it('shows a waiver the message does not mention, and makes control characters from a live system visible', () => {
    const waived = { ...RESULTS[3]!, message: 'Backup retention must be at least 30 days (found 7).' };
    const hostile = { ...RESULTS[4]!, message: `bad\u001b[2J\nreply\u0007`, expected: undefined, actual: undefined };
    const text = renderConsole({ ...REPORT, results: [waived, hostile] }, opts);
    expect(text).toContain('  WAIVED pg.backups.retention  Backup retention must be at least 30 days (found 7).\n        expected 30 · found 7\n        waived by alice until 2026-03-01: moving to AWS Backup\n');
    expect(text).toContain('  FAIL  redis.eviction-policy  bad\\x1b[2J reply\\x07\n');
  });
});

describe('console progress', () => {
  function capture(isTTY: boolean) {
    const out: string[] = [];
    const progress = createProgress({ write: (t) => out.push(t), isTTY, redactor: redactor() });
    return { out, progress };
  }
  const pg = RESULTS.slice(0, 4);
  const redis = RESULTS.slice(4, 7);

  it('prints one plain line per result as each target finishes when not on a TTY', () => {
    const { out, progress } = capture(false);
    progress.onResults(redis);
    progress.onResults([]);
    progress.onResults(pg);
    expect(out.join('')).toBe(
      [
        'FAIL  redis.eviction-policy  Redis maxmemory-policy must be allkeys-lru (found noeviction).',
        'SKIP  redis.latency  acts on the live system: runs only with --active',
        'SKIP  redis.ttl  acts on the live system: runs only with --active',
        'PASS  pg.connectivity  SELECT 1 answered; 12 of 100 connections in use.',
        'PASS  pg.rls [public.users]  RLS is enabled on public.users with 2 policies.',
        'FAIL  pg.rls [public.orders]  RLS must be enabled on public.orders (found disabled).',
        'WAIVED pg.backups.retention  Backup retention must be at least 30 days (found 7). (waived by alice until 2026-03-01: moving to AWS Backup)',
        '',
      ].join('\n'),
    );
    expect(out.join('')).not.toContain(ESC);
    progress.finish(REPORT);
    expect(out.at(-1)).toBe(`\n${renderConsole(REPORT, { redactor: redactor() })}`);
  });

  it('on a TTY writes a line per finished target and rewrites one status line in place', () => {
    const { out, progress } = capture(true);
    progress.onResults(pg);
    progress.onResults(redis);
    progress.finish(REPORT);
    expect(out.slice(0, 5)).toEqual([
      '✗ pg  1 failed, 1 waived, 2 passed\n    FAIL  pg.rls [public.orders]  RLS must be enabled on public.orders (found disabled).\n',
      '  … 1 target done: 2 passed, 1 failed, 0 errors, 0 skipped, 1 waived',
      '\r\x1b[2K',
      '✗ redis  1 failed, 2 skipped\n    FAIL  redis.eviction-policy  Redis maxmemory-policy must be allkeys-lru (found noeviction).\n',
      '  … 2 targets done: 2 passed, 2 failed, 0 errors, 2 skipped, 1 waived',
    ]);
    expect(out[5]).toBe('\r\x1b[2K');
    expect(out[6]).toBe(`\n${renderConsole(REPORT, { redactor: redactor() })}`);
    expect(out).toHaveLength(7);
  });

  it('redacts results the runner has not redacted yet', () => {
    const { out, progress } = capture(false);
    progress.onResults([{ ...RESULTS[0]!, message: `connected with ${SECRET}`, resource: SECRET }]);
    expect(out.join('')).toBe('PASS  pg.connectivity [[REDACTED]]  connected with [REDACTED]\n');
    for (const core of SECRET_CORES) expect(out.join('')).not.toContain(core);
  });
});
