import { describe, expect, it } from 'vitest';
import { litellmSandbox } from '../../sandbox/litellm/index.js';
import { pgSandbox } from '../../sandbox/pg/index.js';
import { redisSandbox } from '../../sandbox/redis/index.js';
import { listProfiles, runSandbox, sandboxExitCode } from '../../sandbox/run.js';
import { Redactor } from '../../report/redact.js';
import { FAMILIES } from '../../verify/registry.js';
import { sourceMapOf } from '../../report/source.js';
import { FORMATS, render } from '../../report/formats/index.js';

// The LiteLLM proxy seeds its servers table in Postgres (llm.litellm.registry), so it runs with the databases.
const base = { families: [pgSandbox, redisSandbox, litellmSandbox], verifyFamilies: FAMILIES, log: () => undefined };

async function sandbox(profile: string | undefined, breaks: string[]) {
  const redactor = new Redactor();
  const run = await runSandbox({ ...base, profile, breaks, redactor });
  await run.stop();
  return run;
}

describe('sandbox', () => {
  it('lists the default profile and one per example stack', () => {
    expect(listProfiles()).toEqual(['default', 'commerce', 'llm-gateway', 'metered', 'neon', 'phonepe']);
  });

  it('runs the default profile green: no failure, no error, exit 0, and no secret in any report format', async () => {
    const redactor = new Redactor();
    const run = await runSandbox({ ...base, profile: undefined, breaks: [], redactor });
    await run.stop();
    expect(run.secrets.length).toBeGreaterThanOrEqual(3);
    for (const format of FORMATS) {
      const text = render(format, run.report, { redactor, source: sourceMapOf(run.stack.file, process.cwd()) });
      for (const secret of run.secrets) expect(text, `${format} holds a sandbox secret`).not.toContain(secret);
    }
    expect(run.report.results.filter((r) => r.status === 'fail' || r.status === 'error')).toEqual([]);
    expect(run.report.summary.pass).toBeGreaterThan(10);
    expect(sandboxExitCode(run)).toBe(0);
  });

  it('with every applicable pg fault and seven redis faults planted at once, exactly those controls fail', async () => {
    const breaks = [
      ...['pg.migrations', 'pg.indexes', 'pg.grants.least-privilege', 'pg.connection-pooling', 'pg.query-latency', 'pg.connectivity'],
      ...['redis.tls', 'redis.connectivity', 'redis.eviction-policy', 'redis.persistence', 'redis.ttl', 'redis.cache-hit-rate', 'redis.usage'],
    ];
    const run = await sandbox(undefined, breaks);
    expect([...new Set(run.report.results.filter((r) => r.status === 'fail').map((r) => r.control))].sort()).toEqual([...breaks].sort());
    expect(run.missed).toEqual([]);
    expect(run.unexpected).toEqual([]);
    expect(sandboxExitCode(run)).toBe(0);
  });

  it.each([
    ['metered', ['pg.grants.append-only', 'pg.schema.tables', 'pg.data.credentials-hashed', 'redis.maxmemory']],
    ['llm-gateway', ['pg.rls', 'pg.schema.functions', 'llm.litellm.registry', 'llm.litellm.provider-keys']],
    ['commerce', ['env.redis-url', 'redis.evictions']],
    ['default', ['redis.latency']],
  ])('plants the faults the %s profile carries: %s', async (profile, breaks) => {
    const run = await sandbox(profile, breaks);
    expect(run.report.results.filter((r) => r.status === 'error')).toEqual([]);
    expect([...new Set(run.report.results.filter((r) => r.status === 'fail').map((r) => r.control))].sort()).toEqual([...breaks].sort());
    expect(sandboxExitCode(run)).toBe(0);
  });

  it('refuses a fault it cannot plant, naming the breakable controls', async () => {
    await expect(sandbox(undefined, ['redis.nope'])).rejects.toThrow(/^--break redis\.nope: the default sandbox cannot plant that fault\. Breakable controls: env\.redis-url, pg\.connection-pooling, /);
    await expect(sandbox(undefined, ['pg.rls'])).rejects.toThrow('--break pg.rls: pg.rls: cannot plant a fault: postgres.rls is empty');
  });
});
