import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import type * as Sarif from 'sarif';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import type { Report } from '../../report/types.js';
import { useRedis } from '../harness.js';
import { captureIo } from '../helpers/io.js';

// With a password: a redis-server anyone can use unauthenticated fails redis.connectivity.
const redis = useRedis({ password: 'reports-cli-secret' });
const dir = mkdtempSync(join(tmpdir(), 'prodcheck-reports-'));
// A fresh test redis-server fails three controls: eviction policy and persistence (high, persistence at its key), maxmemory (medium).
writeFileSync(join(dir, 'Pulumi.live.yaml'), 'config:\n  prodcheck:app: { name: a, domain: example.com }\n  prodcheck:redis:\n    provider: self-hosted\n    tls: false\n    persistence: aof\n');
beforeAll(() => writeFileSync(join(dir, 'targets.yaml'), `redis:\n  url: ${redis().url}\n`));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function verify(...args: string[]) {
  const io = captureIo({ GITHUB_WORKSPACE: dir }, dir);
  const code = await main(['verify', '--stack', 'live', '--targets', 'targets.yaml', '--only', 'redis.*', ...args], io);
  return { code, out: io.out(), err: io.err() };
}
const read = (name: string) => readFileSync(join(dir, name), 'utf8');

describe('several reports from one verify run', () => {
  it('writes console to stdout and junit, sarif, json and github to their files, all of the same run; the annotations reach the log', async () => {
    const r = await verify('--format', 'console', '--report', 'junit=out.xml', '--report', 'sarif=out.sarif', '--report', 'json=out.json', '--report', 'github=gh.txt');
    expect(r.code).toBe(1);
    const json = JSON.parse(read('out.json')) as Report;
    expect(json.results.filter((x) => x.status === 'fail').map((x) => x.control)).toEqual(['redis.eviction-policy', 'redis.persistence', 'redis.maxmemory']);
    // One run, rendered four times: the same start everywhere.
    const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(read('out.xml')) as { testsuites: { testsuite: { timestamp: string; tests: string } } };
    expect(junit.testsuites.testsuite.timestamp).toBe(json.startedAt.slice(0, 19));
    expect(Number(junit.testsuites.testsuite.tests)).toBe(json.results.length);
    const sarif = JSON.parse(read('out.sarif')) as Sarif.Log;
    expect(sarif.runs[0]?.invocations?.[0]?.startTimeUtc).toBe(json.startedAt);
    expect(sarif.runs[0]?.automationDetails?.id).toBe('prodcheck verify/live/only redis.*/');
    // persistence has its own key (line 6); the others point at the section (line 3).
    const at = (line: number) => ({ artifactLocation: { uri: 'Pulumi.live.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: line } });
    expect(sarif.runs[0]?.results?.map((x) => [x.ruleId, x.level, x.locations?.[0]?.physicalLocation])).toEqual([
      ['redis.eviction-policy', 'error', at(3)],
      ['redis.persistence', 'error', at(6)],
      ['redis.maxmemory', 'warning', at(3)],
    ]);
    const annotation = '::error file=Pulumi.live.yaml,line=6,title=redis.persistence::Redis persistence must be aof (found AOF off, RDB snapshots off).\n';
    expect(read('gh.txt')).toContain(annotation);
    expect(r.out).toContain(annotation);
    expect(r.out).toContain('\nFailures: 3 failed, 0 could not be checked\n  FAIL  redis.eviction-policy  Redis maxmemory-policy must be allkeys-lru (found noeviction).\n');
  });

  it('--fail-on: high failures fail at high, not at critical', async () => {
    const high = await verify('--fail-on', 'high');
    expect(high.code).toBe(1);
    expect(high.out).toContain('\nexit 1: 2 checks failed at or above high (1 below --fail-on high)\n');
    const above = await verify('--fail-on', 'critical');
    expect(above.code).toBe(0);
    expect(above.out).toContain('\nexit 0: nothing failed at or above critical (3 below --fail-on critical)\n');
  });

  it('--quiet prints the failures and the totals only', async () => {
    const r = await verify('--quiet');
    expect(r.code).toBe(1);
    expect(r.out.startsWith('Failures: 3 failed, 0 could not be checked\n  FAIL  redis.eviction-policy  Redis maxmemory-policy must be allkeys-lru')).toBe(true);
    expect(r.out).not.toMatch(/PASS|SKIP|^prodcheck verify/m);
    expect(r.out).toMatch(/\n\d+ passed, 3 failed, 0 errors, \d+ skipped, 0 waived\nexit 1: 3 checks failed\n$/);
  });

  it('refuses bad report flags before running anything (exit 2)', async () => {
    const cases: [string[], string][] = [
      [['--report', 'junit'], 'prodcheck verify: --report takes FORMAT=FILE, e.g. --report junit=out.xml (found "junit")\n'],
      [['--report', 'xml=out.xml'], 'prodcheck verify: --report xml=out.xml: format must be one of console, json, junit, md, sarif, github, html (found "xml")\n'],
      [['--out', 'a.json', '--report', 'junit=a.json'], `prodcheck verify: ${join(dir, 'a.json')} is named by two reports: give each --out/--report its own file\n`],
      [['--fail-on', 'severe'], 'prodcheck verify: --fail-on must be one of critical, high, medium, low (found "severe")\n'],
    ];
    for (const [args, message] of cases) {
      const r = await verify(...args);
      expect([r.code, r.err, r.out]).toEqual([2, message, '']);
    }
  });
});
