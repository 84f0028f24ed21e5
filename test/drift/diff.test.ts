import { describe, expect, it } from 'vitest';
import { classify, countKinds, diff, isDrift } from '../../drift/diff.js';
import { verdictOf } from '../../drift/verdict.js';
import { obs } from './observations.js';

const policy = (value: string, expected = 'allkeys-lru') =>
  obs('redis.eviction-policy', value === expected ? 'pass' : 'fail', value === expected ? `Redis maxmemory-policy is ${value}.` : `Redis maxmemory-policy must be ${expected} (found ${value}).`, { expected, observed: value });

describe('classify: one result against its baseline entry', () => {
  it('a pass that now fails is a new failure, naming what the baseline held', () => {
    const d = classify(policy('allkeys-lru'), policy('volatile-lru'));
    expect(d.kind).toBe('new-failure');
    expect(d.detail).toBe('Redis maxmemory-policy must be allkeys-lru (found volatile-lru). (baseline: pass "allkeys-lru")');
  });

  it('a failure that fails the same way is still failing, not drift', () => {
    const d = classify(policy('noeviction'), policy('noeviction'));
    expect(d.kind).toBe('still-failing');
    expect(d.detail).toBe('Redis maxmemory-policy must be allkeys-lru (found noeviction).');
    expect(isDrift(d.kind)).toBe(false);
  });

  it('a failure whose found value moved is a changed value', () => {
    const d = classify(policy('noeviction'), policy('allkeys-lfu'));
    expect(d.kind).toBe('changed');
    expect(d.detail).toBe('found "noeviction" → "allkeys-lfu": Redis maxmemory-policy must be allkeys-lru (found allkeys-lfu).');
  });

  it('a pass whose found value moved is a changed value (webhook events edited in the dashboard)', () => {
    const before = obs('stripe.webhook.events', 'pass', 'Stripe webhook endpoint we_1 receives all 2 events the app handles.', { expected: 'a, b', observed: 'a, b' });
    const after = obs('stripe.webhook.events', 'pass', 'Stripe webhook endpoint we_1 receives all 2 events the app handles.', { expected: 'a, b', observed: 'a, b, c' });
    const d = classify(before, after);
    expect(d.kind).toBe('changed');
    expect(d.detail).toBe('found "a, b" → "a, b, c": Stripe webhook endpoint we_1 receives all 2 events the app handles.');
  });

  it('a pass that now skips is a changed value, with the status change first', () => {
    const before = obs('redis.ttl [cache:]', 'pass', 'Keys under "cache:" expire within 3600 s (10 sampled).', { expected: 'every sampled key expires within 3600 s' });
    const after = obs('redis.ttl [cache:]', 'skip', 'No keys under "cache:" were found to sample.');
    const d = classify(before, after);
    expect(d.kind).toBe('changed');
    expect(d.detail).toBe('status pass → skip, expected "every sampled key expires within 3600 s" → nothing: No keys under "cache:" were found to sample.');
  });

  it('a new expectation from the config, met by the live system, is a changed value too', () => {
    const d = classify(policy('allkeys-lru'), policy('allkeys-lfu', 'allkeys-lfu'));
    expect(d.kind).toBe('changed');
    expect(d.detail).toBe('expected "allkeys-lru" → "allkeys-lfu", found "allkeys-lru" → "allkeys-lfu": Redis maxmemory-policy is allkeys-lfu.');
  });

  it('a new expectation the live system does not meet is a new failure', () => {
    expect(classify(policy('allkeys-lru'), policy('allkeys-lru', 'allkeys-lfu')).kind).toBe('new-failure');
  });

  it('a failure that now passes is resolved, and is not drift', () => {
    const d = classify(policy('noeviction'), policy('allkeys-lru'));
    expect(d.kind).toBe('resolved');
    expect(d.detail).toBe('now pass: Redis maxmemory-policy is allkeys-lru. (baseline: fail "noeviction")');
    expect(isDrift(d.kind)).toBe(false);
  });

  it('the same fingerprint is unchanged', () => {
    expect(classify(policy('allkeys-lru'), policy('allkeys-lru')).kind).toBe('unchanged');
  });

  it('a measurement (no observed value) that stays within budget is unchanged whatever its message says', () => {
    const before = obs('redis.latency', 'pass', 'Redis p95 latency is 0.4 ms over 20 PINGs (limit 50 ms).', { expected: 'p95 at most 50 ms' });
    const after = obs('redis.latency', 'pass', 'Redis p95 latency is 1.9 ms over 20 PINGs (limit 50 ms).', { expected: 'p95 at most 50 ms' });
    expect(classify(before, after).kind).toBe('unchanged');
  });

  it('an error now is could-not-check, whatever the baseline held', () => {
    const after = obs('redis.connectivity', 'error', 'redis could not be reached: connect ECONNREFUSED 127.0.0.1:6390.');
    const d = classify(obs('redis.connectivity', 'pass', 'Redis answered PING.', { expected: 'PONG', observed: 'PONG' }), after);
    expect(d.kind).toBe('could-not-check');
    expect(d.detail).toBe('redis could not be reached: connect ECONNREFUSED 127.0.0.1:6390. (baseline: pass "PONG")');
  });

  it("a dependency's skip (the runner's \"skipped:\") is could-not-check, not a status change", () => {
    const after = obs('redis.eviction-policy', 'skip', 'skipped: redis could not be reached: connect ECONNREFUSED 127.0.0.1:6390.');
    const d = classify(policy('allkeys-lru'), after);
    expect(d.kind).toBe('could-not-check');
    expect(isDrift(d.kind)).toBe(false);
  });

  it('a result the baseline lacks is new, or a new failure when it fails', () => {
    const fresh = classify(undefined, policy('allkeys-lru'));
    expect(fresh.kind).toBe('new');
    expect(fresh.detail).toBe('pass: Redis maxmemory-policy is allkeys-lru. (not in the baseline)');
    const failing = classify(undefined, policy('noeviction'));
    expect(failing.kind).toBe('new-failure');
    expect(failing.detail).toBe('Redis maxmemory-policy must be allkeys-lru (found noeviction). (not in the baseline)');
  });

  it('a result the baseline could not check counts as new once it can be', () => {
    const before = obs('redis.eviction-policy', 'skip', 'skipped: redis could not be reached: timeout.');
    const d = classify(before, policy('allkeys-lru'));
    expect(d.kind).toBe('new');
    expect(d.detail).toBe('pass: Redis maxmemory-policy is allkeys-lru. (the baseline could not check it)');
  });

  it('a baseline entry this run did not produce is removed', () => {
    const d = classify(obs('pg.indexes [User(email)]', 'pass', 'Index on User(email) must exist (found "User_email_key").', { expected: 'index', observed: 'User_email_key' }), undefined);
    expect(d.kind).toBe('removed');
    expect(d.detail).toBe('In the baseline (pass: Index on User(email) must exist (found "User_email_key").) but not produced by this run.');
  });
});

describe('diff and verdict: a whole run against the baseline', () => {
  const baseline = [
    policy('allkeys-lru'),
    obs('pg.indexes [User(email)]', 'pass', 'Index on User(email) must exist (found "User_email_key").', { expected: 'index', observed: 'User_email_key' }),
    obs('redis.persistence', 'fail', 'Redis persistence must be aof (found AOF off).', { expected: 'aof', observed: 'AOF off' }),
  ];

  it('an index dropped and the eviction policy changed: exit 1, every entry accounted for once', () => {
    const current = [
      policy('volatile-lru'),
      obs('pg.indexes [User(email)]', 'fail', 'Index on User(email) must exist (found none; User has no index).', { expected: 'index', observed: 'User has no index' }),
      obs('redis.persistence', 'fail', 'Redis persistence must be aof (found AOF off).', { expected: 'aof', observed: 'AOF off' }),
    ];
    const differences = diff(baseline, current);
    expect(differences.map((d) => [d.key, d.kind])).toEqual([
      ['redis.eviction-policy', 'new-failure'],
      ['pg.indexes [User(email)]', 'new-failure'],
      ['redis.persistence', 'still-failing'],
    ]);
    const verdict = verdictOf(differences);
    expect(verdict.exitCode).toBe(1);
    expect(verdict.headline).toBe('Drift: 2 new failures (exit 1).');
  });

  it('nothing changed: exit 0', () => {
    const verdict = verdictOf(diff(baseline, baseline));
    expect(verdict.exitCode).toBe(0);
    expect(verdict.headline).toBe('No drift: 3 results compared with the baseline (exit 0).');
    expect(verdict.counts).toEqual({ 'new-failure': 0, changed: 0, 'could-not-check': 0, resolved: 0, 'still-failing': 1, new: 0, removed: 0, unchanged: 2 });
  });

  it('errors and no drift: exit 3; errors and drift: exit 1', () => {
    const down = obs('redis.eviction-policy', 'skip', 'skipped: redis could not be reached: timeout.');
    const unreachable = verdictOf(diff(baseline, [down, baseline[1]!, baseline[2]!]));
    expect(unreachable.exitCode).toBe(3);
    expect(unreachable.headline).toBe('No drift found, but 1 result could not be checked (exit 3).');
    const both = verdictOf(diff(baseline, [down, baseline[1]!, obs('redis.persistence', 'fail', 'Redis persistence must be aof (found AOF off, last write failed).', { expected: 'aof', observed: 'AOF off (last write failed)' })]));
    expect(both.exitCode).toBe(1);
    expect(both.headline).toBe('Drift: 1 changed value (exit 1).');
  });

  it('resolved, new and removed results alone are not drift', () => {
    const current = [policy('allkeys-lru'), obs('redis.persistence', 'pass', 'Redis persistence is aof (AOF on).', { expected: 'aof', observed: 'AOF on' }), obs('redis.tls', 'skip', 'Redis TLS is not required (spec redis.tls is false).')];
    const differences = diff(baseline, current);
    expect(countKinds(differences)).toEqual({ 'new-failure': 0, changed: 0, 'could-not-check': 0, resolved: 1, 'still-failing': 0, new: 1, removed: 1, unchanged: 1 });
    expect(verdictOf(differences).exitCode).toBe(0);
  });

  it('an unreachable target stands in for the per-resource entries of its controls: could not check, not removed', () => {
    const base = [
      obs('pg.indexes [User(email)]', 'pass', 'Index on User(email) must exist (found "User_email_key").', { expected: 'index', observed: 'User_email_key', target: 'postgres' }),
      obs('pg.indexes [Chat(userId)]', 'pass', 'Index on Chat(userId) must exist (found "Chat_userId_idx").', { expected: 'index', observed: 'Chat_userId_idx', target: 'postgres' }),
      obs('pg.connectivity [127.0.0.1:5432]', 'pass', 'Postgres at 127.0.0.1:5432 must be reachable.', { expected: 'reachable', observed: 'PostgreSQL 16.4', target: 'postgres' }),
    ];
    const down = [
      obs('pg.connectivity', 'error', 'postgres could not be reached: connect ECONNREFUSED 127.0.0.1:5432.', { target: 'postgres' }),
      obs('pg.indexes', 'skip', 'skipped: postgres could not be reached: connect ECONNREFUSED 127.0.0.1:5432.', { target: 'postgres' }),
    ];
    const differences = diff(base, down);
    expect(differences.map((d) => [d.key, d.kind, d.detail])).toEqual([
      ['pg.indexes [User(email)]', 'could-not-check', 'skipped: postgres could not be reached: connect ECONNREFUSED 127.0.0.1:5432. (baseline: pass "User_email_key")'],
      ['pg.indexes [Chat(userId)]', 'could-not-check', 'skipped: postgres could not be reached: connect ECONNREFUSED 127.0.0.1:5432. (baseline: pass "Chat_userId_idx")'],
      ['pg.connectivity [127.0.0.1:5432]', 'could-not-check', 'postgres could not be reached: connect ECONNREFUSED 127.0.0.1:5432. (baseline: pass "PostgreSQL 16.4")'],
    ]);
    expect(verdictOf(differences).exitCode).toBe(3);
  });

  it('one control judged by two targets keeps two identities', () => {
    const fromRedis = obs('env.redis-url', 'skip', 'skipped: redis could not be reached: timeout.', { target: 'redis' });
    const fromVercel = obs('env.redis-url', 'pass', 'REDIS_URL is set on production.', { observed: 'REDIS_URL on production', target: 'vercel' });
    const differences = diff([{ ...fromRedis, ...obs('env.redis-url', 'pass', 'ok', { observed: 'NOPERM' }) }, fromVercel], [fromRedis, fromVercel]);
    expect(differences.map((d) => [d.key, d.kind])).toEqual([
      ['env.redis-url', 'could-not-check'],
      ['env.redis-url', 'unchanged'],
    ]);
  });

  it('a Pulumi refresh that found changes is drift on its own; one that could not run is exit 3', () => {
    expect(verdictOf(diff(baseline, baseline), { status: 'fail', message: 'changes', durationMs: 1 }).headline).toBe('Drift: Pulumi refresh found changes (exit 1).');
    expect(verdictOf(diff(baseline, baseline), { status: 'error', message: 'no stack', durationMs: 1 }).exitCode).toBe(3);
    expect(verdictOf(diff(baseline, baseline), { status: 'skip', message: 'no pulumi CLI', durationMs: 0 }).exitCode).toBe(0);
  });
});

describe('verdict with --fail-on: only drift in controls at or above the severity sets exit 1', () => {
  // redis.eviction-policy is high, redis.ttl medium in the catalogue.
  const ttl = (observed: string) => obs('redis.ttl', 'pass', `Redis keys carry a TTL (${observed}).`, { expected: 'ttl', observed });
  const before = [policy('allkeys-lru'), ttl('98 % of sampled keys')];
  const after = [policy('volatile-lru'), ttl('91 % of sampled keys')];

  it('a high new failure fails --fail-on high; the medium changed value is let through and said so', () => {
    const verdict = verdictOf(diff(before, after), undefined, 'high');
    expect(verdict.exitCode).toBe(1);
    expect(verdict.headline).toBe('Drift: 1 new failure at or above high; 1 drifted result below --fail-on high let through (exit 1).');
    expect(verdict.counts).toMatchObject({ 'new-failure': 1, changed: 1 });
  });

  it('nothing at or above critical: exit 0, with what was let through', () => {
    const verdict = verdictOf(diff(before, after), undefined, 'critical');
    expect(verdict.exitCode).toBe(0);
    expect(verdict.headline).toBe('No drift at or above critical: 2 results compared with the baseline; 2 drifted results below --fail-on critical let through (exit 0).');
  });

  it('--fail-on low is every drift, as without it', () => {
    expect(verdictOf(diff(before, after), undefined, 'low').headline).toBe('Drift: 1 new failure, 1 changed value at or above low (exit 1).');
    expect(verdictOf(diff(before, after)).headline).toBe('Drift: 1 new failure, 1 changed value (exit 1).');
  });

  it('what could not be checked still makes exit 3 when the drift was let through', () => {
    const down = obs('redis.eviction-policy', 'skip', 'skipped: redis could not be reached: timeout.');
    const verdict = verdictOf(diff(before, [down, ttl('91 % of sampled keys')]), undefined, 'high');
    expect(verdict.exitCode).toBe(3);
    expect(verdict.headline).toBe('No drift found at or above high, but 1 result could not be checked; 1 drifted result below --fail-on high let through (exit 3).');
  });

  it('changes found by a Pulumi refresh name no control: they fail any --fail-on', () => {
    const verdict = verdictOf(diff(before, before), { status: 'fail', message: 'changes', durationMs: 1 }, 'critical');
    expect(verdict.exitCode).toBe(1);
    expect(verdict.headline).toBe('Drift: Pulumi refresh found changes at or above critical (exit 1).');
  });
});
