import { describe, expect, it } from 'vitest';
import { parseStackConfig } from '../../spec/index.js';
import { Redactor } from '../../report/redact.js';
import { exitCodeOf } from '../../report/summary.js';
import { runVerify } from '../../verify/runner.js';
import type { Check, Collector, TargetFamily } from '../../verify/types.js';

const { spec } = parseStackConfig(
  {
    'prodcheck:app': { name: 'chat', domain: 'chat.example.com' },
    'prodcheck:redis': { provider: 'self-hosted' },
    'prodcheck:waivers': [
      { control: 'redis.persistence', reason: 'cache only, rebuilt from Postgres', owner: 'ops@example.com', expires: '2099-01-01' },
      { control: 'redis.maxmemory', reason: 'plan upgrade scheduled this sprint', owner: 'cto@example.com', expires: '2020-01-01' },
    ],
  },
  'inline',
);

interface Snap {
  policy: string;
  secret: string;
}

function family(collect: Collector<Snap>['collect'], applies: Collector<Snap>['applies'] = () => undefined): TargetFamily<Snap> {
  const check = (id: string, evaluate: Check<Snap>['evaluate'], extra: Partial<Check<Snap>> = {}): Check<Snap> => ({ id, target: 'redis', evaluate, ...extra });
  return {
    collector: { target: 'redis', applies, collect },
    checks: [
      check('redis.connectivity', () => [{ status: 'pass', message: 'Redis answered PING.' }], { connectivity: true }),
      check('redis.eviction-policy', (s) =>
        s.policy === 'allkeys-lru'
          ? [{ status: 'pass', message: 'Redis maxmemory-policy is allkeys-lru.' }]
          : [{ status: 'fail', message: `Redis maxmemory-policy must be allkeys-lru (found ${s.policy}).`, expected: 'allkeys-lru', actual: s.policy }],
      ),
      check('redis.persistence', () => [{ status: 'fail', message: 'Redis persistence must be aof (found none).' }]),
      check('redis.maxmemory', () => [{ status: 'fail', message: 'Redis maxmemory must be set (found 0).' }]),
      check('redis.ttl', (s) => [{ status: 'fail', message: `Key leaked ${s.secret}.` }]),
      check('redis.latency', () => {
        throw new Error('boom');
      }),
      check('redis.usage', () => [{ status: 'pass', message: 'Acted.' }], { active: true }),
    ],
  };
}

const base = { stack: 'prod', spec, targets: {}, select: () => true, active: false, now: () => new Date('2026-11-21T10:00:00Z') };

describe('runVerify', () => {
  it('judges one snapshot with every check, applies waivers, redacts and skips active checks', async () => {
    const redactor = new Redactor().add('hunter2-password');
    let collects = 0;
    const report = await runVerify({
      ...base,
      redactor,
      families: [
        family(async () => {
          collects++;
          return { policy: 'noeviction', secret: 'hunter2-password' };
        }) as TargetFamily<unknown>,
      ],
    });
    expect(collects).toBe(1);
    expect(report.stack).toBe('prod');
    expect(report.startedAt).toBe('2026-11-21T10:00:00.000Z');
    expect(report.results.map((r) => [r.control, r.status, r.message])).toEqual([
      ['redis.connectivity', 'pass', 'Redis answered PING.'],
      ['redis.eviction-policy', 'fail', 'Redis maxmemory-policy must be allkeys-lru (found noeviction).'],
      ['redis.persistence', 'waived', 'Redis persistence must be aof (found none). (waived by ops@example.com until 2099-01-01: cache only, rebuilt from Postgres)'],
      ['redis.maxmemory', 'fail', 'Redis maxmemory must be set (found 0). (waiver by cto@example.com expired on 2020-01-01)'],
      ['redis.ttl', 'fail', 'Key leaked [REDACTED].'],
      ['redis.latency', 'error', 'the check itself failed: boom'],
      ['redis.usage', 'skip', 'acts on the live system: runs only with --active'],
    ]);
    expect(report.results[1]).toMatchObject({ title: 'Eviction policy allkeys-lru', severity: 'high', expected: 'allkeys-lru', actual: 'noeviction' });
    expect(report.results[3]?.waiver).toEqual({ reason: 'plan upgrade scheduled this sprint', owner: 'cto@example.com', expires: '2020-01-01', expired: true });
    expect(report.summary).toEqual({ pass: 1, fail: 3, error: 1, skip: 1, waived: 1 });
    expect(exitCodeOf(report.summary)).toBe(1);
  });

  it('turns an unreachable target into an error on the connectivity check and skips the rest, exit 3', async () => {
    const report = await runVerify({
      ...base,
      redactor: new Redactor(),
      families: [family(() => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }))) as TargetFamily<unknown>],
      select: (id) => id !== 'redis.usage',
    });
    expect(report.results.map((r) => [r.control, r.status])).toEqual([
      ['redis.connectivity', 'error'],
      ['redis.eviction-policy', 'skip'],
      ['redis.persistence', 'skip'],
      ['redis.maxmemory', 'skip'],
      ['redis.ttl', 'skip'],
      ['redis.latency', 'skip'],
    ]);
    expect(report.results[0]?.message).toBe('redis could not be reached: connect ECONNREFUSED 127.0.0.1:1.');
    expect(report.results[1]?.message).toBe('skipped: redis could not be reached: connect ECONNREFUSED 127.0.0.1:1.');
    expect(exitCodeOf(report.summary)).toBe(3);
  });

  it('gives up on a hung target within its budget', async () => {
    const t0 = Date.now();
    const report = await runVerify({ ...base, redactor: new Redactor(), targetTimeoutMs: 200, families: [family(() => new Promise<never>(() => undefined)) as TargetFamily<unknown>] });
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(report.results[0]).toMatchObject({ status: 'error', message: 'redis could not be reached: redis target did not answer within 200 ms.' });
  });

  it('skips a family with the reason when it does not apply, and runs families concurrently', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const slow = (ms: number) =>
      family(async () => {
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        await new Promise((r) => setTimeout(r, ms));
        inFlight--;
        return { policy: 'allkeys-lru', secret: 'x' };
      }) as TargetFamily<unknown>;
    const report = await runVerify({
      ...base,
      redactor: new Redactor(),
      select: (id) => id === 'redis.eviction-policy',
      families: [slow(300), slow(300), slow(300), family(async () => ({ policy: '', secret: '' }), () => 'no redis target: add redis.url to the targets file') as TargetFamily<unknown>],
    });
    expect(maxInFlight).toBe(3);
    expect(report.results.map((r) => r.status)).toEqual(['pass', 'pass', 'pass', 'skip']);
    expect(report.results[3]?.message).toBe('no redis target: add redis.url to the targets file');
  });

  it('times each target after every collect is over, one target at a time', async () => {
    const events: string[] = [];
    const timed = (name: string, collectMs: number): TargetFamily<unknown> => {
      const base = family(async () => {
        events.push(`${name} collect start`);
        await new Promise((r) => setTimeout(r, collectMs));
        events.push(`${name} collect end`);
        return { policy: 'allkeys-lru', secret: '' };
      });
      const measure = async (s: Snap) => {
        events.push(`${name} measure start`);
        await new Promise((r) => setTimeout(r, 20));
        events.push(`${name} measure end`);
        return { ...s, policy: `${name}-measured` };
      };
      return { ...base, collector: { ...base.collector, measure } } as TargetFamily<unknown>;
    };
    const report = await runVerify({ ...base, redactor: new Redactor(), select: (id) => id === 'redis.eviction-policy', families: [timed('a', 10), timed('b', 60)] });
    expect(events).toEqual(['a collect start', 'b collect start', 'a collect end', 'b collect end', 'a measure start', 'a measure end', 'b measure start', 'b measure end']);
    expect(report.results.map((r) => r.message)).toEqual([
      'Redis maxmemory-policy must be allkeys-lru (found a-measured).',
      'Redis maxmemory-policy must be allkeys-lru (found b-measured).',
    ]);
  });

  it('merges a control two targets judged: the judged result answers, the other target’s skip is dropped', async () => {
    const aws: TargetFamily<unknown> = {
      collector: { target: 'aws', applies: () => undefined, collect: async () => ({}) },
      checks: [
        { id: 'redis.persistence', target: 'aws', evaluate: () => [{ status: 'skip', message: 'Redis is self-hosted, not on ElastiCache: the ElastiCache control plane is not checked.' }] },
        { id: 'redis.ha', target: 'aws', evaluate: () => [{ status: 'skip', message: 'Redis is self-hosted, not on ElastiCache: the ElastiCache control plane is not checked.' }] },
      ],
    };
    const report = await runVerify({
      ...base,
      spec: { ...spec, waivers: [] },
      redactor: new Redactor(),
      select: (id) => ['redis.persistence', 'redis.ha'].includes(id),
      families: [family(async () => ({ policy: '', secret: '' })) as TargetFamily<unknown>, aws],
    });
    expect(report.results.map((r) => [r.control, r.status, r.message])).toEqual([
      ['redis.persistence', 'fail', 'Redis persistence must be aof (found none).'],
      ['redis.ha', 'skip', 'Redis is self-hosted, not on ElastiCache: the ElastiCache control plane is not checked.'],
    ]);
  });
});
