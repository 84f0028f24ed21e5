import { describe, expect, it } from 'vitest';
import { mdCode, mdText, renderMarkdown } from '../../../report/formats/md.js';
import type { Report } from '../../../report/types.js';
import { REPORT, redactor } from './fixture.js';

const opts = { redactor: redactor() };

describe('md reporter', () => {
  it('writes a checklist: heading, summary table, then per family one item per control', () => {
    expect(renderMarkdown(REPORT, opts)).toBe(
      [
        '# prodcheck verify: prod',
        '',
        'Started 2026-01-05T10:00:00.000Z, took 5.2 s. **exit 1: 4 checks failed**',
        '',
        '| passed | failed | errors | skipped | waived |',
        '|---:|---:|---:|---:|---:|',
        '| 2 | 4 | 1 | 3 | 1 |',
        '',
        '## pg',
        '',
        '- [x] `pg.connectivity` Database reachable and connections stable — SELECT 1 answered; 12 of 100 connections in use.',
        '- [ ] `pg.rls` Row Level Security enabled with policies',
        '  - [x] `public.users` — RLS is enabled on public.users with 2 policies.',
        '  - [ ] `public.orders` — **failed:** RLS must be enabled on public.orders (found disabled). (expected `enabled`, found `disabled`)',
        '- [x] `pg.backups.retention` Backup retention >= 30 days — _waived:_ Backup retention must be at least 30 days (found 7). (waived by alice until 2026-03-01: moving to AWS Backup)',
        '',
        '## redis',
        '',
        '- [ ] `redis.eviction-policy` Eviction policy allkeys-lru — **failed:** Redis maxmemory-policy must be allkeys-lru (found noeviction). (expected `allkeys-lru`, found `noeviction`)',
        '- [ ] `redis.latency` Redis latency (skipped: acts on the live system: runs only with --active)',
        '- [ ] `redis.ttl` Cache keys carry the intended TTL (skipped: acts on the live system: runs only with --active)',
        '',
        '## stripe',
        '',
        '- [ ] `stripe.webhook.endpoint` Stripe webhook endpoint registered — **could not check:** stripe could not be reached: connect ECONNREFUSED 127.0.0.1:12111.',
        '- [ ] `stripe.tax-rates` Tax rates / Stripe Tax (skipped: stripe could not be reached: connect ECONNREFUSED 127.0.0.1:12111.)',
        '',
        '## http',
        '',
        '- [ ] `http.security-headers` Security headers present — **failed:** Strict-Transport-Security must be set (found none).',
        '- [ ] `http.compression` Response compression — **failed:** Responses must be compressed with br or gzip (found identity).',
        '',
      ].join('\n'),
    );
  });

  it('ticks a multi-resource control only when every resource passed or was waived', () => {
    const [, users, orders] = REPORT.results;
    const fixed: Report = { ...REPORT, results: [users!, { ...orders!, status: 'pass', message: 'RLS is enabled on public.orders.' }] };
    expect(renderMarkdown(fixed, { ...opts, title: 'prodcheck gate' }).split('\n').slice(-4)).toEqual([
      '- [x] `pg.rls` Row Level Security enabled with policies',
      '  - [x] `public.users` — RLS is enabled on public.users with 2 policies.',
      '  - [x] `public.orders` — RLS is enabled on public.orders.',
      '',
    ]);
    expect(renderMarkdown(fixed, { ...opts, title: 'prodcheck gate' })).toMatch(/^# prodcheck gate: prod\n/);
  });

  it('keeps text from live systems from turning into markup or extra lines', () => {
    expect(mdText('*bold* _it_ <img src=x> [l](u) a|b `c` ~d~ &amp; \\ x\ny')).toBe('\\*bold\\* \\_it\\_ \\<img src=x> \\[l\\](u) a\\|b \\`c\\` \\~d\\~ \\&amp; \\\\ x y');
    expect(mdCode('a`b')).toBe('``a`b``');
    expect(mdCode('`x')).toBe('`` `x ``');
    expect(mdCode('line\nbreak')).toBe('`line break`');
  });
});
