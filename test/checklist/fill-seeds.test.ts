import { describe, expect, it } from 'vitest';
import { countsLine, fillChecklist } from '../../checklist/fill.js';
import type { ReportedResult } from '../../checklist/fill-report.js';
import { readResultsReport } from '../../checklist/fill-report.js';
import { scanChecklist } from '../../checklist/items.js';
import { controlsFor } from '../../checklist/mapping.js';
import { Redactor } from '../../report/redact.js';
import { mdText } from '../../report/formats/md.js';
import { RUN, fixture, reportJson } from './fill-results.js';

const parsed = readResultsReport(reportJson(RUN));
if (!parsed.ok) throw new Error('the test report does not parse');
const results: readonly ReportedResult[] = parsed.results;
const redactor = new Redactor();
const fill = (md: string) => fillChecklist(md, results, { sanitize: (s) => mdText(redactor.redact(s)) });

/** Line `n` (1-based, as an editor shows it) of a document, without its line break. */
const line = (text: string, n: number) => text.split(/\r?\n/)[n - 1];

const SEEDS = [
  // file, items, items mapped to at least one control, counts line, mapped controls failed
  ['seed-000.md', 149, 89, '11 / 149 items checked (5 automated)', 6],
  ['seed-001.md', 208, 130, '8 / 208 items checked (8 automated)', 9],
  ['seed-002.md', 165, 53, '12 / 165 items checked (4 automated)', 3],
  ['seed-003.md', 102, 56, '9 / 102 items checked (9 automated)', 2],
  ['seed-004.md', 140, 65, '4 / 140 items checked (4 automated)', 3],
] as const;

describe.each(SEEDS)('filling %s', (name, total, mapped, counts, failed) => {
  const md = fixture(name);
  const filled = fill(md);

  it(`maps ${mapped} of its ${total} items to at least one control`, () => {
    const items = scanChecklist(md).items;
    expect(items.length).toBe(total);
    expect(items.filter((i) => controlsFor(i).length > 0).length).toBe(mapped);
  });

  it(`prints "${counts}"`, () => {
    expect(countsLine(filled.items)).toBe(counts);
    expect(filled.items.filter((i) => i.outcome === 'failed').length).toBe(failed);
  });

  it('changes item lines only, and on them only the box and the end', () => {
    const before = md.split(/(?<=\n)/);
    const after = filled.text.split(/(?<=\n)/);
    expect(after.length).toBe(before.length);
    const items = new Map(scanChecklist(md).items.map((i) => [i.line, i]));
    before.forEach((original, n) => {
      const item = items.get(n);
      if (!item) return expect(after[n]).toBe(original);
      const now = after[n] ?? '';
      expect(now.slice(0, item.box)).toBe(original.slice(0, item.box));
      expect(now.slice(item.box + 1, item.end)).toBe(original.slice(item.box + 1, item.end));
    });
  });

  it('is idempotent: filling the filled document changes nothing', () => {
    expect(fill(filled.text).text).toBe(filled.text);
  });

  it('never lets the test key in a failure message through', () => {
    expect(filled.text).not.toContain('sk_test_4eC39HqLyjWDarjtT1zdp7dc');
  });
});

describe('what the seeds get, item by item', () => {
  it('seed-000: ticks passed controls, annotates failures and errors, marks the rest manual, leaves code alone', () => {
    const out = fill(fixture('seed-000.md')).text;
    expect(line(out, 103)).toBe('- [x] Configure eviction policy: `allkeys-lru` <!-- prodcheck -->');
    expect(line(out, 96)).toBe('- [x] Verify Redis connection <!-- prodcheck -->');
    expect(line(out, 81)).toBe('- [x] Verify indexes exist on: <!-- prodcheck -->');
    expect(line(out, 102)).toBe('- [ ] Set up Redis persistence (AOF or RDB) — ❌ prodcheck: Redis persistence must be aof (found AOF off, RDB snapshots on).');
    expect(line(out, 89)).toBe('- [ ] Set up automated daily backups — ⚠️ prodcheck could not check: Could not read the RDS instance: AccessDenied for rds:DescribeDBInstances.');
    expect(line(out, 17)).toBe('- [ ] `REDIS_URL` - Redis connection string for rate limiting — ❌ prodcheck: REDIS\\_URL must be set for production (found it unset).');
    expect(line(out, 21)).toBe(
      '- [ ] `STRIPE_SECRET_KEY` - Production secret key (starts with `sk_live_`) — ❌ prodcheck: STRIPE\\_SECRET\\_KEY must be a live-mode key on a production stack (found \\[REDACTED\\]).',
    );
    // Named env vars are judged by their own result: AUTH_SECRET is set, its strength was not checked;
    // AI_GATEWAY_API_KEY has no result of its own, and the results about other variables say nothing of it.
    expect(line(out, 14)).toBe('- [ ] `AUTH_SECRET` - Next-auth secret key (generate with `openssl rand -base64 32`) _(manual: prodcheck did not check env.secret-strength)_');
    expect(line(out, 15)).toBe('- [ ] `AI_GATEWAY_API_KEY` - Vercel AI Gateway API key _(manual: prodcheck did not judge AI\\_GATEWAY\\_API\\_KEY)_');
    expect(line(out, 107)).toBe('- [ ] Configure cache TTL: 1 hour _(manual: prodcheck did not check redis.ttl)_');
    expect(line(out, 230)).toBe('- [ ] New user signups _(manual)_');
    expect(line(out, 397)).toBe('- [x] All health checks passing');
    expect(line(out, 398)).toBe('- [x] Zero critical errors in first hour');
    // Inside the fence under "Test rate limiting:" nothing changes.
    expect(line(out, 100)).toBe('  for i in {1..25}; do curl -X POST https://yourdomain.com/api/chat; done');
  });

  it('seed-001: a nested table list is judged table by table, its parent by all of them', () => {
    const out = fill(fixture('seed-001.md')).text;
    expect(line(out, 28)).toBe('- [ ] All required tables exist: — ❌ prodcheck: Table public.invoices must exist (found no such table).');
    expect(line(out, 29)).toBe('  - [x] `users` <!-- prodcheck -->');
    expect(line(out, 35)).toBe('  - [ ] `invoices` — ❌ prodcheck: Table public.invoices must exist (found no such table).');
    expect(line(out, 30)).toBe('  - [ ] `api_keys` _(manual: prodcheck did not judge api\\_keys)_');
    expect(line(out, 157)).toBe('- [x] Health check endpoint is working (`/api/health`) <!-- prodcheck -->');
    expect(line(out, 20)).toBe('- [ ] Database RLS (Row Level Security) policies are active _(manual: prodcheck did not check pg.rls)_');
    expect(line(out, 337)).toBe('- [ ] Tech Lead _(manual)_');
  });

  it('seed-002: KV settings under their heading, and items ticked by hand stay as written', () => {
    const out = fill(fixture('seed-002.md')).text;
    expect(line(out, 53)).toBe('- [x] Max Memory Policy: `allkeys-lru` <!-- prodcheck -->');
    expect(line(out, 55)).toBe('- [ ] Persistence: Enabled — ❌ prodcheck: Redis persistence must be aof (found AOF off, RDB snapshots on).');
    expect(line(out, 66)).toBe('- [ ] `NODE_ENV=production` _(manual: prodcheck did not check env.production-mode)_');
    expect(line(out, 12)).toBe('- [x] **Phase 1 Complete**: Idempotency infrastructure implemented');
    expect(line(out, 333)).toBe('- [ ] Check KV latency in Storage → Metrics _(manual)_');
  });

  it('seed-003: plain status wording maps too', () => {
    const out = fill(fixture('seed-003.md')).text;
    expect(line(out, 38)).toBe('- [x] Redis cache is working <!-- prodcheck -->');
    expect(line(out, 15)).toBe('- [x] Database migrations are applied in production <!-- prodcheck -->');
    expect(line(out, 26)).toBe('- [ ] CORS is properly configured — ❌ prodcheck: A preflight from https://evil.example must not be allowed (found Access-Control-Allow-Origin: \\*).');
    expect(line(out, 10)).toBe('- [ ] Upstash Redis is configured _(manual: prodcheck did not check redis.instance)_');
  });

  it('seed-004: a command in code is not a name, an unreachable check is could-not-check', () => {
    const out = fill(fixture('seed-004.md')).text;
    expect(line(out, 9)).toBe('- [x] Run migrations: `npx prisma migrate deploy` <!-- prodcheck -->');
    expect(line(out, 20)).toBe('- [x] Configure maxmemory policy <!-- prodcheck -->');
    expect(line(out, 21)).toBe('- [ ] Enable TLS encryption — ⚠️ prodcheck could not check: Could not check that Redis refuses plaintext: connect ETIMEDOUT 10.0.0.5:6379.');
    expect(line(out, 12)).toBe('- [ ] Revoke UPDATE/DELETE on `audit_events` table _(manual: prodcheck did not check pg.grants.append-only)_');
  });
});
