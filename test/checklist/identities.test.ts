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

  it("reads a template's stand-in host as the stack's own site, and any other host as a URL of its own", () => {
    expect(ids('Homepage loads: https://yourdomain.com, pricing at https://www.your-domain.com/Pricing/')).toEqual(['route /', 'route /pricing']);
    expect(ids('Webhook URL `https://your-app.vercel.app/api/webhooks/stripe`; status at https://status.yourdomain.com')).toEqual(['route /api/webhooks/stripe', 'url https://status.yourdomain.com']);
    expect(ids('Gateway https://api.yourapp.com/health and https://example.com/?ref=1')).toEqual(['url https://api.yourapp.com/health', 'url https://example.com/?ref=1']);
  });

  it('takes a route as judged by its resource, standing alone, or as the path of a URL — the root only as a resource', () => {
    const [root, webhook] = identities('https://yourdomain.com and https://yourdomain.com/api/webhooks/stripe');
    if (!root || !webhook) throw new Error('no identity');
    expect(judgedBy(root, { message: 'GET / answers 200 with HTML.', resource: '/' })).toBe('resource');
    expect(judgedBy(root, { message: 'GET / answers 200 with HTML.', resource: '/pricing' })).toBe(false);
    expect(judgedBy(webhook, { message: 'Stripe webhook endpoint we_1 for https://chat.example.com/api/webhooks/stripe is enabled.' })).toBe('text');
    expect(judgedBy(webhook, { message: 'Stripe webhook endpoint we_1 for https://chat.example.com/api/webhooks/stripe-v2 is enabled.' })).toBe(false);
    expect(judgedBy(webhook, { message: 'Nothing at https://chat.example.com/x/api/webhooks/stripe.' })).toBe(false);
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
