import { describe, expect, it } from 'vitest';
import { countsLine, fillChecklist } from '../../checklist/fill.js';
import { readResultsReport } from '../../checklist/fill-report.js';
import { scanChecklist } from '../../checklist/items.js';
import { controlsFor } from '../../checklist/mapping.js';
import { Redactor } from '../../report/redact.js';
import { mdText } from '../../report/formats/md.js';
import type { Row } from './fill-results.js';
import { RUN, fixture, reportJson } from './fill-results.js';

const fillWith = (md: string, rows: readonly Row[]) => {
  const parsed = readResultsReport(reportJson(rows));
  if (!parsed.ok) throw new Error('the test report does not parse');
  const redactor = new Redactor();
  return fillChecklist(md, parsed.results, { sanitize: (s) => mdText(redactor.redact(s)) });
};
const lines = (text: string) => text.split(/\r?\n/);

// Checklists written for these tests, in wording and structure no seed uses: setext headings, * + and
// ordered items, CRLF line ends, items inside fences and comments, bold labels, links, names without code.
describe('launch-runbook.md (CRLF, setext headings, *, + and ordered items, fences and a comment)', () => {
  const md = fixture('launch-runbook.md');
  const filled = fillWith(md, RUN);
  const out = lines(filled.text);

  it('maps 14 of its 17 items, and finds none inside the fences, the indented code or the comment', () => {
    const items = scanChecklist(md).items;
    expect(items.length).toBe(17);
    expect(items.filter((i) => controlsFor(i).length > 0).length).toBe(14);
    expect(items.some((i) => /curl|tilde|indented code|Template/.test(i.text))).toBe(false);
  });

  it('fills it, keeping CRLF line ends and every other byte', () => {
    expect(countsLine(filled.items)).toBe('6 / 17 items checked (5 automated)');
    expect(out[12]).toBe('* [x] The cache evicts least-recently-used keys (maxmemory-policy = allkeys-lru) <!-- prodcheck -->');
    expect(out[13]).toBe('* [ ] Append-only file persistence is on for the Redis cache — ❌ prodcheck: Redis persistence must be aof (found AOF off, RDB snapshots on).');
    expect(out[15]).toBe('    * [ ] Client connects over TLS (`rediss://`) — ⚠️ prodcheck could not check: Could not check that Redis refuses plaintext: connect ETIMEDOUT 10.0.0.5:6379.');
    expect(out[21]).toBe('1. [x] Prisma migrations fully applied on the primary <!-- prodcheck -->');
    // The run has indexes on User and Chat only: an item naming another index is not judged by them.
    expect(out[24]).toBe('   - [ ] `Invoice.customerId` _(manual: prodcheck did not judge Invoice.customerId)_');
    expect(out[33]).toBe('+ [ ] Finance signs off the price list _(manual)_');
    expect(out[39]).toBe('- [ ] curl -sf https://billing.example.com/healthz');
    expect(filled.text.split('\r\n').length).toBe(md.split('\r\n').length);
    expect(filled.text.replace(/\r\n/g, '')).not.toContain('\n');
  });
});

describe('ops-review.md (bold labels, links, bare env var names, an item ticked by hand)', () => {
  const md = fixture('ops-review.md');
  const run: Row[] = [
    ['env.secret-rotation', 'pass', 'AUTH_SECRET was rotated 12 days ago (at most 90 days allowed).', 'AUTH_SECRET'],
    ['env.database-url', 'pass', 'DATABASE_URL is set for production.'],
    ['pg.connection-pooling', 'fail', 'DATABASE_URL must point at the pooler (found db.internal:5432, the primary).', 'db.internal:5432'],
    ['repo.no-committed-secrets', 'pass', 'No live secrets in the git history (412 commits on every ref).'],
    ['env.secrets-manager', 'fail', 'STRIPE_SECRET_KEY holds a secret and must be sensitive or encrypted (found plain for production).', 'STRIPE_SECRET_KEY'],
    ['http.security-headers', 'pass', 'HTTPS responses carry the security headers.'],
    ['http.tls-certificate', 'pass', 'TLS certificate for acme.example verifies, covers the host and has 61 days left.', 'acme.example', 'verifies, covers acme.example, >= 14 days left'],
    ['http.www-redirect', 'fail', 'GET https://www.acme.example/ must answer 308 to https://acme.example/ (found 301).', 'www.acme.example'],
    ['http.cors', 'pass', 'A preflight from https://evil.example is refused.'],
    ['pg.connectivity', 'pass', 'Postgres at db.internal:5432 must be reachable (found PostgreSQL 16.4 over TLSv1.3).', 'db.internal:5432'],
    ['pg.schema.tables', 'pass', 'Table public.users must exist (found it).', 'public.users'],
    ['pg.schema.tables', 'pass', 'Table public.orders must exist (found it).', 'public.orders'],
    ['pg.query-latency', 'pass', 'The 20 most called statements of role "app" must average under 100 ms (found the slowest at 23.4 ms).', 'app'],
  ];
  const filled = fillWith(md, run);
  const out = lines(filled.text);

  it('maps 13 of its 15 items', () => {
    const items = scanChecklist(md).items;
    expect(items.length).toBe(15);
    expect(items.filter((i) => controlsFor(i).length > 0).length).toBe(13);
  });

  it('fills it', () => {
    expect(countsLine(filled.items)).toBe('11 / 15 items checked (10 automated)');
    expect(out[6]).toBe('- [x] **AUTH_SECRET** rotated within the last 90 days <!-- prodcheck -->');
    expect(out[7]).toBe('- [ ] `DATABASE_URL` points at the pooler, not the primary — ❌ prodcheck: DATABASE\\_URL must point at the pooler (found db.internal:5432, the primary).');
    expect(out[8]).toBe('- [x] Nothing secret ever landed in git history ([gitleaks](https://github.com/gitleaks/gitleaks) clean) <!-- prodcheck -->');
    // Ticked by hand stays ticked; a failure of its control is still shown.
    expect(out[9]).toBe('- [X] Vault access list reviewed by security — ❌ prodcheck: STRIPE\\_SECRET\\_KEY holds a secret and must be sensitive or encrypted (found plain for production).');
    expect(out[13]).toBe('- [x] Response headers: HSTS, X-Frame-Options, nosniff <!-- prodcheck -->');
    expect(out[14]).toBe('- [x] TLS cert has > 14 days left on apex and www <!-- prodcheck -->');
    expect(out[15]).toBe('- [ ] `www.acme.example` → apex redirect is a 308 — ❌ prodcheck: GET https://www.acme.example/ must answer 308 to https://acme.example/ (found 301).');
    expect(out[20]).toBe('- [x] Postgres answers `SELECT 1` from the verifier <!-- prodcheck -->');
    expect(out[21]).toBe('- [x] Required tables: <!-- prodcheck -->');
    expect(out[22]).toBe('  - [x] `users` <!-- prodcheck -->');
    expect(out[23]).toBe('  - [x] `orders` <!-- prodcheck -->');
    expect(out[24]).toBe('- [x] Slowest frequent query well under 100 ms <!-- prodcheck -->');
    expect(out[28]).toBe('- [ ] On-call handover done _(manual)_');
  });

  it('a second fill after the fixes replaces the annotations instead of adding to them', () => {
    const fixes: Record<string, Row> = {
      'pg.connection-pooling': ['pg.connection-pooling', 'pass', 'DATABASE_URL points at the pooler (pooler.internal:6432).', 'pooler.internal:6432'],
      'env.secrets-manager': ['env.secrets-manager', 'pass', 'STRIPE_SECRET_KEY is sensitive for production.', 'STRIPE_SECRET_KEY'],
      'http.www-redirect': ['http.www-redirect', 'pass', 'GET https://www.acme.example/ answers 308 to https://acme.example/.', 'www.acme.example'],
    };
    const fixed = run.map((row): Row => fixes[row[0]] ?? row);
    const again = lines(fillWith(filled.text, fixed).text);
    expect(again[7]).toBe('- [x] `DATABASE_URL` points at the pooler, not the primary <!-- prodcheck -->');
    expect(again[9]).toBe('- [X] Vault access list reviewed by security');
    expect(again[28]).toBe('- [ ] On-call handover done _(manual)_');
  });
});

describe('readiness.md (written after the rules, mapped before any rule was tuned to it: 9 of 17)', () => {
  it('maps 15 of its 17 items, each to what it claims', () => {
    const mapped = scanChecklist(fixture('readiness.md')).items.map((i) => [i.text, controlsFor(i)]);
    expect(mapped).toEqual([
      ['Prod database created in us-east-1 with automatic backups turned on', ['pg.instance', 'pg.backups.enabled']],
      ['Backups kept for at least a month', ['pg.backups.retention']],
      ['DB is not publicly accessible', ['pg.network-access']],
      ['App connects through PgBouncer', ['pg.connection-pooling']],
      ['Redis: policy set to allkeys-lru, maxmemory 256mb', ['redis.eviction-policy', 'redis.maxmemory']],
      ['Redis only reachable via TLS (rediss)', ['redis.connectivity', 'redis.tls']],
      ['Cache entries expire after an hour at most', ['redis.ttl']],
      ['STRIPE_PUBLISHABLE_KEY is pk_live_…', ['env.stripe-publishable-key']],
      ['NEXTAUTH_URL equals https://shop.example.com', ['env.app-url']],
      ['No secret shows up in the JS bundle served to browsers', ['http.client-bundle-secrets']],
      ['Cookies for the session are Secure + HttpOnly + SameSite=Lax', ['http.session-cookie-flags']],
      ['Live account can accept charges and payouts', ['stripe.account.live']],
      ['Webhook registered for https://shop.example.com/api/stripe/webhook', ['stripe.webhook.endpoint']],
      ['Failed webhook deliveries in last 24h: none', ['stripe.webhook.delivery']],
      ['Customer portal lets users cancel and update cards', ['stripe.billing-portal']],
      ['Status dashboard green', []],
      ['Marketing ready', []],
    ]);
  });
});
