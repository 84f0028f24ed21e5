import { describe, expect, it } from 'vitest';
import { diff } from '../../drift/diff.js';
import { renderDriftSummary } from '../../drift/summary.js';
import { verdictOf } from '../../drift/verdict.js';
import { obs } from './observations.js';

const baseline = [
  obs('redis.eviction-policy', 'pass', 'Redis maxmemory-policy is allkeys-lru.', { expected: 'allkeys-lru', observed: 'allkeys-lru' }),
  obs('stripe.webhook.events', 'pass', 'Stripe webhook endpoint we_1 receives all 2 events the app handles.', { expected: 'a, b', observed: 'a, b', target: 'stripe' }),
  obs('redis.persistence', 'fail', 'Redis persistence must be aof (found AOF off).', { expected: 'aof', observed: 'AOF off' }),
];
const current = [
  obs('redis.eviction-policy', 'fail', 'Redis maxmemory-policy must be allkeys-lru (found volatile-lru).', { expected: 'allkeys-lru', observed: 'volatile-lru' }),
  obs('stripe.webhook.events', 'pass', 'Stripe webhook endpoint we_1 receives all 2 events the app handles.', { expected: 'a, b', observed: 'a, b, charge.refunded', target: 'stripe' }),
  obs('redis.persistence', 'fail', 'Redis persistence must be aof (found AOF off).', { expected: 'aof', observed: 'AOF off' }),
];

describe('the Markdown drift summary', () => {
  it('leads with the verdict, counts every kind, lists each difference and says how to accept it', () => {
    const differences = diff(baseline, current);
    const text = renderDriftSummary({
      stack: 'prod',
      baselineFile: 'drift/prod.json',
      baselineTakenAt: '2025-06-01T02:00:00.000Z',
      checkedAt: '2025-06-02T02:00:00.000Z',
      differences,
      verdict: verdictOf(differences, { status: 'skip', message: 'Pulumi refresh skipped: no pulumi CLI on PATH.', durationMs: 0 }),
      refresh: { status: 'skip', message: 'Pulumi refresh skipped: no pulumi CLI on PATH.', durationMs: 0 },
      acceptCommand: 'prodcheck drift --stack prod --baseline drift/prod.json --update-baseline',
    });
    expect(text).toBe(`# prodcheck drift: prod

**Drift: 1 new failure, 1 changed value (exit 1).**

Baseline \`drift/prod.json\` taken 2025-06-01T02:00:00.000Z; checked 2025-06-02T02:00:00.000Z.

| new failures | changed values | could not check | resolved | still failing | new results | removed results | unchanged |
|---:|---:|---:|---:|---:|---:|---:|---:|
| 1 | 1 | 0 | 0 | 1 | 0 | 0 | 0 |

## New failures

- \`redis.eviction-policy\` Eviction policy allkeys-lru: Redis maxmemory-policy must be allkeys-lru (found volatile-lru). (baseline: pass "allkeys-lru")

## Changed values

- \`stripe.webhook.events\` Stripe webhook subscribed events: found "a, b" → "a, b, charge.refunded": Stripe webhook endpoint we\\_1 receives all 2 events the app handles.

## Still failing (accepted in the baseline)

- \`redis.persistence\` Redis persistence enabled: Redis persistence must be aof (found AOF off).

## Pulumi refresh

- skipped: Pulumi refresh skipped: no pulumi CLI on PATH.

Once reviewed, accept the current state as the new baseline: \`prodcheck drift --stack prod --baseline drift/prod.json --update-baseline\`
`);
  });

  it('escapes what a live system wrote, so it renders as text', () => {
    const evil = obs('redis.eviction-policy', 'fail', 'found <img src=x onerror=alert(1)> and [a](http://x) | *b*', { expected: 'allkeys-lru', observed: '<script>' });
    const differences = diff([], [evil]);
    const text = renderDriftSummary({ stack: 'p', baselineFile: 'b.json', baselineTakenAt: 't0', checkedAt: 't1', differences, verdict: verdictOf(differences), acceptCommand: 'x' });
    expect(text).toContain('found \\<img src=x onerror=alert(1)> and \\[a\\](http://x) \\| \\*b\\* (not in the baseline)');
    expect(text).not.toMatch(/[^\\]<img/);
  });
});

describe('the drift summary with --quiet', () => {
  it('keeps the verdict, the counts and the drift, and leaves out what is not drift', () => {
    const differences = diff(baseline, current);
    const text = renderDriftSummary({ stack: 'prod', baselineFile: 'b.json', baselineTakenAt: 't0', checkedAt: 't1', differences, verdict: verdictOf(differences), acceptCommand: 'x', quiet: true });
    expect(text).toContain('**Drift: 1 new failure, 1 changed value (exit 1).**');
    expect(text).toContain('| 1 | 1 | 0 | 0 | 1 | 0 | 0 | 0 |');
    expect(text).toContain('## New failures\n');
    expect(text).toContain('## Changed values\n');
    expect(text).not.toContain('Still failing');
    expect(text).not.toContain('redis.persistence');
    expect(text).toContain('Once reviewed, accept the current state as the new baseline: `x`');
  });
});
