import { describe, expect, it } from 'vitest';
import { identities, judgedBy } from '../../checklist/identities.js';

const ids = (text: string) => identities(text).map((i) => `${i.kind} ${i.key}`);

describe('what an item names exactly', () => {
  it('finds names in code and bare env var names, but not commands, links or card numbers', () => {
    expect(ids('`STRIPE_SECRET_KEY` starts with `sk_live_...`; run `npx prisma migrate deploy` with card `4242 4242 4242 4242`')).toEqual(['name stripe_secret_key', 'name sk_live_']);
    expect(ids('NEXTAUTH_SECRET is set ([docs](https://next-auth.js.org/configuration))')).toEqual(['name nextauth_secret']);
  });

  it('finds routes standing alone and URLs, not a price per month', () => {
    expect(ids('`GET /api/models` answers on https://shop.example.com/ for $29/month')).toEqual(['url https://shop.example.com', 'route /api/models', 'amount amount:29']);
  });

  it('reads thresholds with their units in base units, and bare numbers only after a comparator', () => {
    expect(ids('Redis p95 < 10ms, backups kept 30-day, hit rate ≥ 80%, at least 2 models, 7 tables')).toEqual([
      'threshold time:10',
      'threshold time:2592000000',
      'threshold ratio:80',
      'threshold count:2',
    ]);
  });

  it('takes a threshold as judged only from the bound a result required', () => {
    const [under10] = identities('latency under 10 ms');
    if (!under10) throw new Error('no identity');
    expect(judgedBy(under10, { message: 'Redis p95 is 10 ms.', expected: 'p95 at most 100 ms' })).toBe(false);
    expect(judgedBy(under10, { message: 'Redis p95 is 3 ms (at most 10 ms allowed).' })).toBe('text');
    expect(judgedBy(under10, { message: 'Redis p95 is 10 ms.' })).toBe(false);
  });
});
