import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ConfigError, loadStackFile, parseStackConfig } from '../../spec/index.js';

const dir = mkdtempSync(join(tmpdir(), 'prodcheck-spec-'));
function write(name: string, config: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof config === 'string' ? config : stringify({ config }));
  return file;
}

const base = {
  'aws:region': 'us-east-1',
  'prodcheck:app': { name: 'chat', domain: 'chat.example.com' },
  'prodcheck:env': {
    vars: {
      AUTH_SECRET: { from: 'generated' },
      STRIPE_PRO_PRICE_ID: { from: 'stripe.price.pro' },
      NODE_ENV: { from: 'value', value: 'production' },
    },
  },
  'prodcheck:stripe': {
    products: [{ key: 'pro', name: 'Pro', price: { unitAmount: 2000 } }],
    webhook: { events: ['checkout.session.completed', 'invoice.payment_failed'] },
  },
  'prodcheck:redis': { provider: 'upstash' },
};

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map((p) => `${p.path}: ${p.message}`);
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('loadStackFile', () => {
  it('loads a valid stack, applies defaults and keeps provider config apart', () => {
    const loaded = loadStackFile(write('Pulumi.prod.yaml', base));
    expect(loaded.stack).toBe('prod');
    expect(loaded.providerConfig).toEqual({ 'aws:region': 'us-east-1' });
    expect(loaded.spec.app).toEqual({ name: 'chat', domain: 'chat.example.com', canonicalHost: 'apex', environment: 'production' });
    expect(loaded.spec.stripe?.products[0]?.price).toMatchObject({ unitAmount: 2000, currency: 'usd', interval: 'month', usageType: 'licensed' });
    expect(loaded.spec.stripe?.webhook.path).toBe('/api/webhooks/stripe');
    expect(loaded.spec.redis).toMatchObject({ evictionPolicy: 'allkeys-lru', tls: true, persistence: 'aof' });
    expect(loaded.spec.env.vars.AUTH_SECRET).toEqual({ from: 'generated', targets: ['production'], forbiddenTargets: [] });
    expect(loaded.spec.http.securityHeadersMinGrade).toBe('B');
    expect(loaded.spec.waivers).toEqual([]);
  });

  it('accepts keys in the project namespace without the prodcheck: prefix', () => {
    const { spec } = parseStackConfig({ app: { name: 'a', domain: 'example.com' } }, 'inline');
    expect(spec.app.domain).toBe('example.com');
  });

  it('reports three different mistakes at once, each with its path', () => {
    const file = write('Pulumi.bad.yaml', {
      ...base,
      'prodcheck:stripe': {
        products: [
          { key: 'pro', name: 'Pro', price: { unitAmount: 2000 } },
          { key: 'premium', name: 'Premium', price: { unitAmount: '50 dollars' } },
        ],
        webhook: { events: ['checkout.session.completed'] },
      },
      'prodcheck:redis': { provider: 'upstash', evictionPolicy: 'lru' },
      'prodcheck:app': { name: 'chat', domain: 'https://chat.example.com/' },
    });
    const err = (() => {
      try {
        loadStackFile(file);
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('expected a ConfigError');
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.problems.map((p) => p.path).sort()).toEqual(['prodcheck:app.domain', 'prodcheck:redis.evictionPolicy', 'prodcheck:stripe.products[1].price.unitAmount']);
    expect(err.message).toBe(
      `${file}: 3 problems:\n` +
        '  - prodcheck:app.domain: must be a bare host name such as example.com (no scheme, no path)\n' +
        '  - prodcheck:redis.evictionPolicy: must be one of "noeviction", "allkeys-lru", "allkeys-lfu", "allkeys-random", "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl" (found "lru")\n' +
        '  - prodcheck:stripe.products[1].price.unitAmount: must be a number (found string "50 dollars")',
    );
  });

  it('checks references across sections: price products, sections a source needs, waiver ids', () => {
    const { 'prodcheck:redis': _r, ...noRedis } = base;
    expect(
      problems(() =>
        parseStackConfig(
          {
            ...noRedis,
            'prodcheck:env': { vars: { STRIPE_TEAM_PRICE_ID: { from: 'stripe.price.team' }, REDIS_URL: { from: 'redis.url' } } },
            'prodcheck:waivers': [{ control: 'http.cdn-cache', reason: 'static assets are on another CDN', owner: 'ops', expires: '2027-01-31' }],
          },
          'f',
        ),
      ),
    ).toEqual([
      'prodcheck:env.vars.STRIPE_TEAM_PRICE_ID.from: names product "team", which prodcheck:stripe.products does not define (keys: pro)',
      'prodcheck:env.vars.REDIS_URL.from: is "redis.url" but the stack has no prodcheck:redis section',
      'prodcheck:waivers[0].control: "http.cdn-cache" is not a control id (see `prodcheck controls`)',
    ]);
  });

  it('refuses literal values for secrets, unknown keys, encrypted values and missing required keys', () => {
    expect(
      problems(() =>
        parseStackConfig(
          {
            'prodcheck:app': { name: 'chat' },
            'prodcheck:env': { vars: { JWT_SECRET: { from: 'value', value: 'hunter2' } } },
            'prodcheck:postgres': { tabels: ['User'] },
            'prodcheck:stripeKey': { secure: 'v1:abc' },
          },
          'f',
        ),
      ),
    ).toEqual([
      'prodcheck:stripeKey: is an encrypted secret, but prodcheck settings describe desired state and hold no secrets: keep secrets in env vars sourced from config (env.vars.<KEY>.from: config reads `pulumi config set --secret env:<KEY>`)',
      'prodcheck:app.domain: is required',
      'prodcheck:env.vars.JWT_SECRET.from: a secret var cannot hold a literal value: use from: generated, or from: config with `pulumi config set --secret`',
      "prodcheck:postgres.tabels: is not a known key (check its spelling and the README's config reference)",
    ]);
  });

  it('reports an unreadable file, broken YAML and a file without config:', () => {
    expect(problems(() => loadStackFile(join(dir, 'Pulumi.nope.yaml')))).toEqual([': cannot read the stack config (ENOENT): pass --stack NAME for ./Pulumi.NAME.yaml or --config FILE']);
    expect(problems(() => loadStackFile(write('Pulumi.broken.yaml', 'config:\n  prodcheck:app: [a\n')))[0]).toMatch(/^line \d+: YAML: /);
    expect(problems(() => loadStackFile(write('Pulumi.empty.yaml', 'encryptionsalt: x\n')))).toEqual(['config: is required: a Pulumi stack file holds its settings under a top-level `config:` map']);
  });
});
