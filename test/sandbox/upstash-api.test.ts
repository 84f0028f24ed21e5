import { describe, expect, it } from 'vitest';
import { redisSandbox } from '../../sandbox/redis/index.js';
import { runSandbox, sandboxExitCode } from '../../sandbox/run.js';
import { Redactor } from '../../report/redact.js';
import { FAMILIES } from '../../verify/registry.js';

const base = { families: [redisSandbox], verifyFamilies: FAMILIES, log: () => undefined };

async function sandbox(profile: string | undefined, breaks: string[]) {
  const run = await runSandbox({ ...base, profile, breaks, redactor: new Redactor() });
  await run.stop();
  return run;
}

describe('sandbox: the Upstash Developer API of an Upstash stack (commerce)', () => {
  it('judges the database from the Developer API and passes it clean', async () => {
    const run = await sandbox('commerce', []);
    const api = run.report.results.filter((r) => r.resource !== undefined && /^[0-9a-f-]{36}$/.test(r.resource));
    expect(api.map((r) => [r.control, r.status])).toEqual([
      ['redis.instance', 'pass'],
      ['redis.tls', 'pass'],
      ['redis.eviction-policy', 'pass'],
    ]);
    expect(run.report.results.filter((r) => r.status === 'fail' || r.status === 'error')).toEqual([]);
    expect(sandboxExitCode(run)).toBe(0);
    // The Developer API key is one of the run's secrets, and no secret reaches the report.
    expect(run.secrets.length).toBeGreaterThanOrEqual(4);
    const text = JSON.stringify(run.report);
    for (const secret of run.secrets) expect(text).not.toContain(secret);
  });

  it('plants eviction off, TLS off and a deleted database in the Developer API, and exactly those fail', async () => {
    const run = await sandbox('commerce', ['redis.eviction-policy', 'redis.tls', 'redis.instance']);
    const failed = run.report.results.filter((r) => r.status === 'fail');
    expect([...new Set(failed.map((r) => r.control))].sort()).toEqual(['redis.eviction-policy', 'redis.instance', 'redis.tls']);
    expect(failed.find((r) => r.control === 'redis.tls')?.message).toMatch(/^Upstash database stormcom-sandbox \([0-9a-f-]{36}\) must have TLS on \(found tls false: clients connect in plaintext\)\.$/);
    expect(run.missed).toEqual([]);
    expect(run.unexpected).toEqual([]);
    expect(sandboxExitCode(run)).toBe(0);
  });

  it('refuses an Upstash-only fault on a stack that is not on Upstash', async () => {
    await expect(sandbox(undefined, ['redis.instance'])).rejects.toThrow(
      '--break redis.instance: redis.instance: cannot plant a fault: only the Upstash Developer API carries this fault, and the stack is not on Upstash',
    );
  });
});
