import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { captureIo } from '../helpers/io.js';

const root = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');
const tmp = mkdtempSync(join(tmpdir(), 'prodcheck-gate-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('prodcheck gate', () => {
  it('prints the policy config derived from the stack for pulumi preview --policy-pack-config', async () => {
    const io = captureIo({}, root);
    expect(await main(['gate', '--stack', 'prod', '--print-policy-config'], io)).toBe(0);
    const config = JSON.parse(io.out()) as Record<string, Record<string, unknown>>;
    expect(Object.keys(config)).toHaveLength(37);
    expect(config['stripe.webhook.endpoint']).toEqual({ requireWebhook: true, domain: 'chat.example.com', path: '/api/webhooks/stripe', waivers: [] });
    expect(config['pg.backups.retention']).toEqual({ minRetentionDays: 30, waivers: [] });
  });

  it('exits 2 for a policy config that is not JSON, before running anything', async () => {
    const file = join(tmp, 'policy.json');
    writeFileSync(file, '{all: mandatory}');
    const io = captureIo({}, root);
    expect(await main(['gate', '--stack', 'prod', '--policy-config', file], io)).toBe(2);
    expect(io.err()).toMatch(/^prodcheck gate: invalid input, nothing was run\.\n.*policy\.json: 1 problem:\n {2}- is not JSON: /);
  });

  it('exits 0 with only advisories, and shows them in every format of the one run', async () => {
    const io = captureIo({}, root);
    const reports = ['json', 'sarif', 'junit', 'github', 'html'].flatMap((f) => ['--report', `${f}=${join(tmp, `gate.${f}`)}`]);
    expect(await main(['gate', '--config', 'examples/Pulumi.commerce.yaml', ...reports], io)).toBe(0);
    const violation = 'readRegions must list at least one region so a replica can serve when the primary region fails (found none)';
    // The console wraps at 100 columns; continuation lines are indented by 8.
    expect(io.out().replace(/\n {8}/g, ' ')).toContain(`\nAdvisories (advisory, not enforced): 1\n  WARN  redis.ha [stormcom-cache-redis]  ${violation}\n`);
    const read = (f: string) => readFileSync(join(tmp, `gate.${f}`), 'utf8');
    const json = JSON.parse(read('json')) as { results: { control: string; status: string; advisory?: boolean; message: string }[] };
    expect(json.results.filter((r) => r.advisory)).toEqual([expect.objectContaining({ control: 'redis.ha', status: 'pass', advisory: true, message: `advisory, not enforced: ${violation}` })]);
    const sarif = JSON.parse(read('sarif')) as { runs: { results: { ruleId: string; level: string }[] }[] };
    expect(sarif.runs[0]?.results).toEqual([expect.objectContaining({ ruleId: 'redis.ha', level: 'warning' })]);
    expect(read('junit')).toContain(`<system-out>advisory, not enforced: ${violation}</system-out>`);
    expect(read('github')).toMatch(/^::warning file=examples\/Pulumi\.commerce\.yaml,line=\d+,title=redis\.ha \(advisory%2C not enforced\)::\[stormcom-cache-redis\] advisory, not enforced: readRegions/);
    expect(io.out()).toContain('::warning file=examples/Pulumi.commerce.yaml');
    expect(read('html')).toContain('<section id="advisories"><h2>Advisories, not enforced (1)</h2>');
  });

  it('exits 1 when "all": "mandatory" makes that advisory block', async () => {
    const file = join(tmp, 'all-mandatory.json');
    writeFileSync(file, JSON.stringify({ all: 'mandatory' }));
    const io = captureIo({}, root);
    expect(await main(['gate', '--config', 'examples/Pulumi.commerce.yaml', '--policy-config', file, '--format', 'json'], io)).toBe(1);
    const report = JSON.parse(io.out()) as { results: { control: string; status: string; resource?: string }[] };
    expect(report.results.filter((r) => r.status === 'fail')).toEqual([expect.objectContaining({ control: 'redis.ha', resource: 'stormcom-cache-redis' })]);
  });

  it('exits 2 with the program\'s own message and key when the program rejects the stack config, without a trace', async () => {
    const file = join(tmp, 'Pulumi.aof.yaml');
    writeFileSync(file, readFileSync(`${root}/Pulumi.prod.yaml`, 'utf8').replace('    persistence: rdb\n', '    persistence: aof\n'));
    const io = captureIo({}, root);
    expect(await main(['gate', '--config', file], io)).toBe(2);
    expect(io.err()).toBe(
      'prodcheck gate: invalid input, nothing was run.\nPulumi.aof.yaml: 1 problem:\n  - prodcheck:redis.persistence: is aof, but ElastiCache for Redis 7 has no append-only file (appendonly cannot be set): use rdb (daily snapshots, Multi-AZ replicas) or provider: self-hosted\n',
    );
  });

  it('judges a stack whose config is larger than one environment string may be (150 KB), and says what it could not see', async () => {
    const file = join(tmp, 'Pulumi.big.yaml');
    writeFileSync(file, readFileSync(`${root}/Pulumi.prod.yaml`, 'utf8').replace('  aws:region: us-east-1\n', `  aws:region: us-east-1\n  chat:notes: "${'x'.repeat(150_000)}"\n`));
    const io = captureIo({}, root);
    expect(await main(['gate', '--config', file], io)).toBe(0);
    expect(io.out()).toContain('23 passed, 0 failed, 0 errors, 14 skipped, 0 waived');
    // What it could not see is said after the summary: skipped, not passed.
    expect(io.out()).toContain(
      '\nNot judged: 6 checks rest on values the gate could not see (skipped, not passed).\nConfig not seen: env:AI_GATEWAY_API_KEY, env:BLOB_READ_WRITE_TOKEN, env:STRIPE_SECRET_KEY, env:STRIPE_PUBLISHABLE_KEY, datadog:apiKey, datadog:appKey (',
    );
  });

  it('exits 3 when the policy pack cannot start', async () => {
    const io = captureIo({}, `${root}/test/gate/fixtures/unstartable`);
    expect(await main(['gate', '--stack', 'test'], io)).toBe(3);
    expect(io.err()).toContain('prodcheck gate: could not finish: the policy pack in ');
    expect(io.err()).toContain('policy pack failed to load');
  });
});
