import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Baseline } from '../../drift/baseline.js';
import { main } from '../../cli/main.js';
import type { Report } from '../../report/types.js';
import { useRedis } from '../harness.js';
import { captureIo } from '../helpers/io.js';
import { fakePulumiDir } from './fake-pulumi.js';

// With a password: a redis-server anyone can use unauthenticated fails redis.connectivity.
const redis = useRedis({ password: 'drift-cli-secret' });
const dir = mkdtempSync(join(tmpdir(), 'prodcheck-drift-cli-'));
// Only a redis section: drift runs the redis family alone. Persistence aof fails on a fresh redis-server:
// a failure the baseline accepts.
writeFileSync(join(dir, 'Pulumi.live.yaml'), 'config:\n  prodcheck:app: { name: a, domain: example.com }\n  prodcheck:redis: { provider: self-hosted, tls: false, persistence: aof }\n');
let client: Redis;

beforeAll(async () => {
  writeFileSync(join(dir, 'targets.yaml'), `redis:\n  url: ${redis().url}\n`);
  client = new Redis(redis().url, { lazyConnect: true });
  await client.connect();
  await client.config('SET', 'maxmemory-policy', 'allkeys-lru');
});
afterAll(async () => {
  await client.quit();
});

async function drift(...args: string[]) {
  const io = captureIo({ PATH: process.env.PATH }, dir);
  const code = await main(['drift', '--stack', 'live', '--targets', 'targets.yaml', '--baseline', 'baseline.json', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe('prodcheck drift against a real redis-server', () => {
  it('exit 2 without a baseline, naming the file and the command that creates it; nothing is written', async () => {
    const r = await drift();
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `prodcheck drift: invalid input, nothing was run.\n${join(dir, 'baseline.json')}: 1 problem:\n  - no baseline file here. Create it from the current state with \`npx prodcheck drift --stack live --targets targets.yaml --baseline baseline.json --update-baseline\`, review it and commit it.\n`,
    );
    expect(r.out).toBe('');
    expect(existsSync(join(dir, 'baseline.json'))).toBe(false);
  });

  it('--update-baseline accepts the current state: exit 0, one entry per D-stage redis result (redis.maxmemory has no D stage)', async () => {
    const r = await drift('--update-baseline');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Baseline written to baseline\.json: \d+ results of stack live \(\d+ passed, 1 failed, 0 errors, \d+ skipped, 0 waived\)\.\n$/);
    const baseline = JSON.parse(readFileSync(join(dir, 'baseline.json'), 'utf8')) as Baseline;
    expect(baseline.stack).toBe('live');
    // Other families contribute skips (no section for them in this stack); the redis family is the one under test.
    expect(baseline.entries.filter((e) => e.target === 'redis').map((e) => e.key)).toEqual([
      'env.redis-url [Upstash read-only token]',
      'redis.cache-hit-rate',
      'redis.connectivity',
      'redis.connectivity [authentication]',
      'redis.eviction-policy',
      'redis.evictions',
      'redis.latency',
      'redis.persistence',
      'redis.tls',
      'redis.ttl',
      'redis.usage',
    ]);
    expect(baseline.entries.some((e) => e.control === 'redis.maxmemory')).toBe(false);
    expect(baseline.entries.find((e) => e.key === 'redis.eviction-policy')).toMatchObject({ status: 'pass', expected: 'allkeys-lru', observed: 'allkeys-lru' });
    // Measurements keep no value: the next run's latency must not read as drift.
    expect(baseline.entries.find((e) => e.key === 'redis.latency')?.observed).toBeUndefined();
  });

  it('an immediate re-run finds no drift (exit 0): measurements do not drift, the accepted failure is still failing', async () => {
    const r = await drift();
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\*\*No drift: \d+ results compared with the baseline \(exit 0\)\.\*\*/);
    expect(r.out).toContain('| 0 | 0 | 0 | 0 | 1 | 0 | 0 |');
    expect(r.out).toContain('## Still failing (accepted in the baseline)\n\n- `redis.persistence` Redis persistence enabled: Redis persistence must be aof (found AOF off');
    expect(r.out).not.toContain('--update-baseline');
  });

  it('CONFIG SET maxmemory-policy volatile-lru: redis.eviction-policy is a new failure, exit 1, with the results report in --out', async () => {
    await client.config('SET', 'maxmemory-policy', 'volatile-lru');
    const r = await drift('--out', 'drift-report.json', '--report', 'junit=drift-report.xml', '--report', 'github=drift-github.txt');
    expect(r.code).toBe(1);
    // The other reports of the same run: JUnit with the failure, and the annotations also in the log.
    expect(readFileSync(join(dir, 'drift-report.xml'), 'utf8')).toContain('<failure message="Redis maxmemory-policy must be allkeys-lru (found volatile-lru)." type="high">');
    const annotation = '::error file=Pulumi.live.yaml,line=3,title=redis.eviction-policy::Redis maxmemory-policy must be allkeys-lru (found volatile-lru).\n';
    expect(readFileSync(join(dir, 'drift-github.txt'), 'utf8')).toContain(annotation);
    expect(r.out).toContain(annotation);
    expect(r.out).toContain('**Drift: 1 new failure (exit 1).**');
    expect(r.out).toContain(
      '## New failures\n\n- `redis.eviction-policy` Eviction policy allkeys-lru: Redis maxmemory-policy must be allkeys-lru (found volatile-lru). (baseline: pass "allkeys-lru")\n',
    );
    expect(r.out).toContain('Once reviewed, accept the current state as the new baseline: `npx prodcheck drift --stack live --targets targets.yaml --baseline baseline.json --update-baseline`');
    const report = JSON.parse(readFileSync(join(dir, 'drift-report.json'), 'utf8')) as Report;
    expect(report.version).toBe(1);
    expect(report.results.find((x) => x.control === 'redis.eviction-policy')?.actual).toBe('volatile-lru');
  });

  it('the same drift with --fail-on critical is let through (exit 0, said in the headline); --fail-on high fails; --quiet leaves out what is not drift', async () => {
    const critical = await drift('--fail-on', 'critical', '--quiet');
    expect(critical.code).toBe(0);
    expect(critical.out).toMatch(/\*\*No drift at or above critical: \d+ results compared with the baseline; 1 drifted result below --fail-on critical let through \(exit 0\)\.\*\*/);
    expect(critical.out).toContain('## New failures\n\n- `redis.eviction-policy`');
    expect(critical.out).not.toContain('Still failing');
    const high = await drift('--fail-on', 'high');
    expect(high.code).toBe(1);
    expect(high.out).toContain('**Drift: 1 new failure at or above high (exit 1).**');
    expect(high.out).toContain('## Still failing (accepted in the baseline)');
  });

  it('accepted, then changed again: a failure whose value moved is a changed value, exit 1', async () => {
    expect((await drift('--update-baseline')).code).toBe(0);
    await client.config('SET', 'maxmemory-policy', 'allkeys-lfu');
    const r = await drift();
    expect(r.code).toBe(1);
    expect(r.out).toContain('**Drift: 1 changed value (exit 1).**');
    expect(r.out).toContain(
      '## Changed values\n\n- `redis.eviction-policy` Eviction policy allkeys-lru: found "volatile-lru" → "allkeys-lfu": Redis maxmemory-policy must be allkeys-lru (found allkeys-lfu).\n',
    );
  });

  it('put back as configured: resolved, which is not drift (exit 0)', async () => {
    await client.config('SET', 'maxmemory-policy', 'allkeys-lru');
    const r = await drift();
    expect(r.code).toBe(0);
    expect(r.out).toContain('## Resolved\n\n- `redis.eviction-policy` Eviction policy allkeys-lru: now pass: Redis maxmemory-policy is allkeys-lru. (baseline: fail "volatile-lru")\n');
  });

  it('--refresh with pulumi on PATH: its exit 7 is drift on its own, and the report carries iac.stack-converged', async () => {
    const bin = fakePulumiDir();
    const io = captureIo({ PATH: `${bin}:/usr/bin:/bin`, FAKE_PULUMI_EXIT: '7', FAKE_PULUMI_LOG: join(dir, 'pulumi.log') }, dir);
    const code = await main(['drift', '--stack', 'live', '--targets', 'targets.yaml', '--baseline', 'baseline.json', '--refresh', '--out', 'refresh-report.json'], io);
    expect(code).toBe(1);
    expect(io.out()).toContain('**Drift: Pulumi refresh found changes (exit 1).**');
    expect(io.out()).toContain('## Pulumi refresh\n\n- drift: pulumi refresh --preview-only found resources changed outside Pulumi in stack live (\\~ 1 to update, 4 unchanged).\n');
    expect(readFileSync(join(dir, 'pulumi.log'), 'utf8')).toBe(`refresh\n--preview-only\n--expect-no-changes\n--non-interactive\n--stack\nlive\n${dir}\n`);
    const report = JSON.parse(readFileSync(join(dir, 'refresh-report.json'), 'utf8')) as Report;
    expect(report.results.at(-1)).toMatchObject({ control: 'iac.stack-converged', status: 'fail' });
  });

  it('--refresh without pulumi on PATH: a skip line, and no drift (exit 0)', async () => {
    const io = captureIo({ PATH: '/nonexistent' }, dir);
    const code = await main(['drift', '--stack', 'live', '--targets', 'targets.yaml', '--baseline', 'baseline.json', '--refresh'], io);
    expect(code).toBe(0);
    expect(io.out()).toContain('## Pulumi refresh\n\n- skipped: Pulumi refresh skipped: no pulumi CLI on PATH.\n');
  });

  it('redis unreachable: could not check, no drift, exit 3', async () => {
    writeFileSync(join(dir, 'targets-down.yaml'), `redis:\n  url: redis://127.0.0.1:1\n  timeoutMs: 1000\n`);
    const io = captureIo({}, dir);
    const code = await main(['drift', '--stack', 'live', '--targets', 'targets-down.yaml', '--baseline', 'baseline.json'], io);
    expect(code).toBe(3);
    expect(io.out()).toContain('**No drift found, but 11 results could not be checked (exit 3).**');
    expect(io.out()).toContain('- `env.redis-url [Upstash read-only token]` Redis/KV connection env vars (REDIS\\_URL, KV\\_URL, KV\\_REST\\_API\\_\\*): skipped: redis could not be reached: ');
    expect(io.out()).not.toContain('## Removed results');
    expect(io.out()).toMatch(/## Could not check\n\n- `redis\.connectivity` Redis reachable from the suite: redis could not be reached: .*127\.0\.0\.1:1.* \(baseline: pass "PONG"\)\n/);
  });

  it('a corrupt baseline is bad input (exit 2) and nothing is run', async () => {
    writeFileSync(join(dir, 'broken.json'), '{"format": "prodcheck-drift-baseline", "version": 1, "stack": "live"');
    const io = captureIo({}, dir);
    const code = await main(['drift', '--stack', 'live', '--targets', 'targets.yaml', '--baseline', 'broken.json'], io);
    expect(code).toBe(2);
    expect(io.err()).toMatch(/^prodcheck drift: invalid input, nothing was run\.\n.*broken\.json: 1 problem:\n {2}- is not JSON \(.+\)\. Create it from the current state with `npx prodcheck drift --stack live --targets targets\.yaml --baseline broken\.json --update-baseline`, review it and commit it\.\n$/);
  });

  it("another stack's baseline is bad input (exit 2)", async () => {
    const other = JSON.parse(readFileSync(join(dir, 'baseline.json'), 'utf8')) as Baseline;
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ ...other, stack: 'staging' }));
    const io = captureIo({}, dir);
    const code = await main(['drift', '--stack', 'live', '--targets', 'targets.yaml', '--baseline', 'other.json'], io);
    expect(code).toBe(2);
    expect(io.err()).toBe('prodcheck drift: other.json is the baseline of stack "staging", not "live": pass the baseline of this stack, or take one with `npx prodcheck drift --stack live --targets targets.yaml --baseline other.json --update-baseline`\n');
  });

  it('usage errors: no --baseline, --format without --out, --refresh with --update-baseline', async () => {
    for (const [args, message] of [
      [['--stack', 'live', '--targets', 'targets.yaml'], 'which baseline? pass --baseline FILE (create it once with --update-baseline, review it, commit it)'],
      [['--stack', 'live', '--targets', 'targets.yaml', '--baseline', 'baseline.json', '--format', 'md'], '--format chooses the format of the results report written with --out FILE; stdout always carries the drift summary'],
      [['--stack', 'live', '--targets', 'targets.yaml', '--baseline', 'baseline.json', '--update-baseline', '--refresh'], '--refresh does nothing with --update-baseline: Pulumi keeps its own state, the baseline holds only the checks'],
    ] as const) {
      const io = captureIo({}, dir);
      expect(await main(['drift', ...args], io)).toBe(2);
      expect(io.err()).toBe(`prodcheck drift: ${message}\n`);
    }
  });
});
