import { describe, expect, it } from 'vitest';
import { CONTROLS } from '../../checklist/index.js';
import { countsLine, fillChecklist } from '../../checklist/fill.js';
import type { ReportedResult } from '../../checklist/fill-report.js';
import { readResultsReport } from '../../checklist/fill-report.js';
import { scanChecklist } from '../../checklist/items.js';
import { HOLDOUT, loadCorpus } from './corpus.js';
import type { Row } from './fill-results.js';
import { fixture, reportJson } from './fill-results.js';

const fillWith = (md: string, rows: readonly Row[]) => {
  const parsed = readResultsReport(reportJson(rows));
  if (!parsed.ok) throw new Error('the test report does not parse');
  return fillChecklist(md, parsed.results, { sanitize: (s) => s });
};
const lines = (text: string) => text.split(/\r?\n/);

/** Every control of the catalogue checked and passed, as if each had a check: what would tick then? */
const EVERYTHING_PASSES: readonly ReportedResult[] = CONTROLS.map((c) => ({ control: c.id, status: 'pass', message: `${c.title}: passed.` }));

const SEEDS = ['seed-000.md', 'seed-001.md', 'seed-002.md', 'seed-003.md', 'seed-004.md'];
/** The seed items a reviewer found a machine can judge; every other seed item is a person's to tick. */
const AUTOMATABLE_SEED_ITEMS = new Set(
  fixture('seeds-automatable.tsv')
    .split('\n')
    .filter((l) => /^seed-\d+\.md\t/.test(l))
    .map((l) => l.split('\t').slice(0, 2).join(':')),
);

describe('never a tick for an item only a person can judge', () => {
  it.each(SEEDS)('%s, with every control of the catalogue passing', (name) => {
    const md = fixture(name);
    const before = new Set(scanChecklist(md).items.filter((i) => i.checked).map((i) => i.line));
    const ticked = fillChecklist(md, EVERYTHING_PASSES, { sanitize: (s) => s })
      .items.filter((i) => i.checked && !before.has(i.line))
      .map((i) => `${name}:${i.line + 1}`);
    expect(ticked.length).toBeGreaterThan(0);
    expect(ticked.filter((t) => !AUTOMATABLE_SEED_ITEMS.has(t))).toEqual([]);
  });

  it.each([...loadCorpus(), ...loadCorpus(HOLDOUT)].map((c) => [c.name, c] as const))('public checklist %s, with every control of the catalogue passing', (_, checklist) => {
    const manual = new Set(checklist.items.filter((i) => i.expected.length === 0).map((i) => i.item.line));
    const filled = fillChecklist(checklist.markdown, EVERYTHING_PASSES, { sanitize: (s) => s });
    const falseTicks = filled.items.filter((i) => i.outcome === 'passed' && manual.has(i.line)).map((i) => `${i.line + 1}: ${i.text}`);
    expect(falseTicks).toEqual([]);
  });

  it('leaves the items the issue found ticked, or about to be, for people', () => {
    const md = [
      '- [ ] Cache hit rate trend: stable or improving?',
      '- [ ] Database queries are optimized',
      '- [ ] Configure DDoS protection',
      '- [ ] Verify pricing configuration matches business model',
      '- [ ] Monitor rate limiting effectiveness',
      '- [ ] Review RLS policies',
      '- [ ] Analyze webhook delivery rate',
      '- [ ] Plan the Redis cluster migration',
      '- [ ] Document the backup retention policy',
      '- [ ] **Monthly**: Rotate `STRIPE_SECRET_KEY`',
      '- [ ] Enable persistence if needed',
      '',
    ].join('\n');
    const filled = fillChecklist(md, EVERYTHING_PASSES, { sanitize: (s) => s });
    expect(filled.items.map((i) => i.outcome)).toEqual(Array(11).fill('manual'));
    expect(countsLine(filled.items)).toBe('0 / 11 items checked (0 automated)');
  });
});

describe('a tick needs a result that judged exactly what the item names', () => {
  it('a route: `/healthz` is not backed by a result for /api/health', () => {
    const md = '- [ ] Health check `/healthz` returns 200\n';
    expect(lines(fillWith(md, [['http.health', 'pass', 'GET /api/health answers 200 and reports healthy.', '/api/health']]).text)[0]).toBe(
      '- [ ] Health check `/healthz` returns 200 _(manual: prodcheck did not judge /healthz)_',
    );
    expect(lines(fillWith(md, [['http.health', 'pass', 'GET /healthz answers 200 and reports healthy.', '/healthz']]).text)[0]).toBe('- [x] Health check `/healthz` returns 200 <!-- prodcheck -->');
  });

  it('a threshold: "under 10ms" is judged against 10 ms or left manual, never against the stack budget', () => {
    const md = '- [ ] Redis latency under 10ms\n';
    const judgedAt = (budget: string): Row => ['redis.latency', 'pass', `Redis p95 latency is 3 ms (at most ${budget} allowed).`, undefined, `p95 at most ${budget}`];
    expect(lines(fillWith(md, [judgedAt('100 ms')]).text)[0]).toBe('- [ ] Redis latency under 10ms _(manual: prodcheck did not judge under 10ms)_');
    expect(lines(fillWith(md, [judgedAt('10 ms')]).text)[0]).toBe('- [x] Redis latency under 10ms <!-- prodcheck -->');
    expect(lines(fillWith(md, [judgedAt('0.01 s')]).text)[0]).toBe('- [x] Redis latency under 10ms <!-- prodcheck -->');
  });

  it('a threshold the result states only in its message is read from the bound it names, not from what it found', () => {
    const md = '- [ ] Cache hit rate above 80%\n';
    expect(lines(fillWith(md, [['redis.cache-hit-rate', 'pass', 'Redis cache hit rate is 80% from 8 hits and 2 misses (at least 60% required).']]).text)[0]).toBe(
      '- [ ] Cache hit rate above 80% _(manual: prodcheck did not judge above 80%)_',
    );
  });

  it('an env var: a result about another variable says nothing of this one', () => {
    const md = '## Environment variables\n\n- [ ] `ANALYTICS_ID`\n- [ ] `RESEND_API_KEY`\n';
    const out = lines(fillWith(md, [['env.required-vars', 'pass', 'RESEND_API_KEY is set for production.', 'RESEND_API_KEY']]).text);
    expect(out[2]).toBe('- [ ] `ANALYTICS_ID` _(manual: prodcheck did not judge ANALYTICS_ID)_');
    expect(out[3]).toBe('- [x] `RESEND_API_KEY` <!-- prodcheck -->');
  });

  it('an event: the webhook must have been judged on the event the item names', () => {
    const md = '- [ ] Webhook subscribed events include `invoice.paid`\n';
    const events = (list: string): Row => ['stripe.webhook.events', 'pass', `Webhook endpoint listens to ${list}.`, 'https://shop.example.com/api/stripe/webhook', list];
    expect(lines(fillWith(md, [events('checkout.session.completed')]).text)[0]).toContain('_(manual: prodcheck did not judge invoice.paid)_');
    expect(lines(fillWith(md, [events('checkout.session.completed, invoice.paid')]).text)[0]).toBe('- [x] Webhook subscribed events include `invoice.paid` <!-- prodcheck -->');
  });
});

describe('waivers, re-fills and counts', () => {
  const md = '- [ ] Configure eviction policy: allkeys-lru\n- [x] Redis persistence is on\n';
  const waived: Row = ['redis.eviction-policy', 'waived', 'Redis maxmemory-policy must be allkeys-lru (found noeviction). (waived by ops until 2026-12-31: migration pending)'];

  it('a waived result is not a pass: the item stays open with the waiver noted, and is not counted', () => {
    const filled = fillWith(md, [waived]);
    expect(lines(filled.text)[0]).toBe(
      '- [ ] Configure eviction policy: allkeys-lru — ⏸️ prodcheck: waived, not passed: Redis maxmemory-policy must be allkeys-lru (found noeviction). (waived by ops until 2026-12-31: migration pending)',
    );
    expect(filled.items[0]?.outcome).toBe('waived');
    expect(countsLine(filled.items)).toBe('1 / 2 items checked (0 automated)');
  });

  it('a newer report re-judges prodcheck\'s own ticks: a regression unticks them; a person\'s tick stays', () => {
    const pass: Row[] = [
      ['redis.eviction-policy', 'pass', 'Redis maxmemory-policy is allkeys-lru.'],
      ['redis.persistence', 'pass', 'Redis persistence is aof.'],
    ];
    const first = fillWith(md, pass);
    expect(lines(first.text).slice(0, 2)).toEqual(['- [x] Configure eviction policy: allkeys-lru <!-- prodcheck -->', '- [x] Redis persistence is on']);
    // The person's tick is left as written; the passing result backs it, so it counts as automated too.
    expect(countsLine(first.items)).toBe('2 / 2 items checked (2 automated)');
    const regressed: Row[] = [
      ['redis.eviction-policy', 'fail', 'Redis maxmemory-policy must be allkeys-lru (found noeviction).'],
      ['redis.persistence', 'fail', 'Redis persistence must be aof (found AOF off).'],
    ];
    const second = fillWith(first.text, regressed);
    expect(lines(second.text).slice(0, 2)).toEqual([
      '- [ ] Configure eviction policy: allkeys-lru — ❌ prodcheck: Redis maxmemory-policy must be allkeys-lru (found noeviction).',
      '- [x] Redis persistence is on — ❌ prodcheck: Redis persistence must be aof (found AOF off).',
    ]);
    expect(countsLine(second.items)).toBe('1 / 2 items checked (0 automated)');
    // A report that no longer checks the control takes prodcheck's tick back too: nothing backs it now.
    expect(lines(fillWith(first.text, []).text)[0]).toBe('- [ ] Configure eviction policy: allkeys-lru _(manual: prodcheck did not check redis.eviction-policy)_');
    expect(fillWith(second.text, pass).text).toBe(first.text);
  });

  it('never counts more automated than checked', () => {
    for (const name of SEEDS) {
      const filled = fillChecklist(fixture(name), EVERYTHING_PASSES, { sanitize: (s) => s });
      const [, checked, , automated] = /^(\d+) \/ (\d+) items checked \((\d+) automated\)$/.exec(countsLine(filled.items))?.map(Number) ?? [];
      expect(automated).toBeLessThanOrEqual(checked ?? -1);
    }
  });
});
