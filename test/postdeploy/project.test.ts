import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useRedis } from '../harness.js';

const redis = useRedis();
const root = new URL('../../', import.meta.url).pathname;

interface VitestJson {
  testResults: { assertionResults: { title: string; status: string; failureMessages: string[] }[] }[];
}

describe('the postdeploy vitest project', () => {
  it('turns each verify result into a test: passes pass, failures fail with the message, skips are skipped', () => {
    const dir = mkdtempSync(join(tmpdir(), 'prodcheck-postdeploy-'));
    writeFileSync(join(dir, 'Pulumi.live.yaml'), 'config:\n  prodcheck:app: { name: a, domain: example.com }\n  prodcheck:redis: { provider: self-hosted, tls: false, persistence: none }\n');
    writeFileSync(join(dir, 'targets.yaml'), `redis:\n  url: ${redis().url}\n`);
    const out = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--project', 'postdeploy', '--reporter=json'], {
      cwd: root,
      env: { ...process.env, PRODCHECK_CONFIG: join(dir, 'Pulumi.live.yaml'), PRODCHECK_TARGETS: join(dir, 'targets.yaml'), PRODCHECK_ONLY: 'redis.*' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(out.status, out.stderr).toBe(1);
    const report = JSON.parse(out.stdout.slice(out.stdout.indexOf('{'))) as VitestJson;
    const tests = Object.fromEntries(report.testResults.flatMap((f) => f.assertionResults).map((t) => [t.title, t]));
    expect(tests['redis.connectivity']?.status).toBe('passed');
    expect(tests['redis.eviction-policy']?.status).toBe('failed');
    expect(tests['redis.eviction-policy']?.failureMessages.join('\n')).toContain('Redis maxmemory-policy must be allkeys-lru (found noeviction).');
    expect(tests['redis.persistence']?.status).toBe('skipped');
  });
});
