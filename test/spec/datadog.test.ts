import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadTargets, parseStackConfig, sloKindOf } from '../../spec/index.js';

const parse = (datadog: unknown) => parseStackConfig({ 'prodcheck:app': { name: 'chat', domain: 'chat.example.com' }, 'prodcheck:datadog': datadog }, 'Pulumi.prod.yaml');
const problems = (datadog: unknown): string[] => {
  try {
    parse(datadog);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map((p) => `${p.path}: ${p.message}`);
    throw e;
  }
  return [];
};

describe('prodcheck:datadog', () => {
  it('reads what people write: "99.9%" or 99.9, a 30d default, series with a 15-minute window', () => {
    const { spec } = parse({
      slos: [
        { name: 'Uptime', target: '99.9 %', monitorIds: [123] },
        { name: 'Error rate', target: 99, timeframe: '7d', metric: { numerator: 'sum:a{!status:5xx}.as_count()', denominator: 'sum:a{*}.as_count()' } },
        { name: 'p95 < 2 s', target: '99%', timeSlice: { query: 'p95:trace.http.request{service:chat}', threshold: 2 } },
      ],
      metrics: { series: { db: 'avg:postgresql.connections{*}' } },
    });
    const d = spec.datadog;
    expect(d?.site).toBe('datadoghq.com');
    expect(d?.slos.map((s) => [s.target, s.timeframe, sloKindOf(s)])).toEqual([
      [99.9, '30d', 'monitor'],
      [99, '7d', 'metric'],
      [99, '30d', 'time_slice'],
    ]);
    expect(d?.slos[2]?.timeSlice).toEqual({ query: 'p95:trace.http.request{service:chat}', threshold: 2, comparator: '<', intervalSeconds: 300 });
    expect(d?.metrics).toEqual({ windowMinutes: 15, series: { db: 'avg:postgresql.connections{*}' } });
  });

  it('names every problem with its path', () => {
    expect(
      problems({
        site: 'datadoghq.de',
        slos: [
          { name: 'Uptime', target: '100%', monitorIds: [1] },
          { name: 'uptime', target: 'three nines', timeframe: '1d' },
          { name: 'Both', target: 99, monitorIds: [1], metric: { numerator: 'a', denominator: 'b' } },
        ],
        metrics: { windowMinutes: 0, series: {} },
        extra: true,
      }),
    ).toEqual([
      'prodcheck:datadog.site: must be one of "datadoghq.com", "us3.datadoghq.com", "us5.datadoghq.com", "datadoghq.eu", "ap1.datadoghq.com", "ddog-gov.com" (found "datadoghq.de")',
      'prodcheck:datadog.slos[0].target: must be above 0% and below 100% (found 100; an SLO of 100% has no error budget)',
      'prodcheck:datadog.slos[1].target: must be a percentage such as "99.9%" or a number such as 99.9 (found "three nines")',
      'prodcheck:datadog.slos[1].timeframe: must be one of "7d", "30d", "90d" (found "1d")',
      'prodcheck:datadog.slos[2]: must say what the SLO measures with exactly one of metric (numerator/denominator queries), monitorIds or timeSlice (found metric, monitorIds)',
      'prodcheck:datadog.metrics.windowMinutes: must be >= 1 (found 0)',
      'prodcheck:datadog.metrics.series: must name at least one series',
      'prodcheck:datadog.extra: is not a known key (check its spelling and the README\'s config reference)',
    ]);
    expect(problems({ slos: [{ name: 'A', target: 99, monitorIds: [1] }, { name: 'a', target: 98, monitorIds: [2] }] })).toEqual(['prodcheck:datadog.slos[1].name: "a" is already the name of slos[0]: each SLO is found by its name']);
    expect(problems({})).toEqual(['prodcheck:datadog: lists no SLO (slos), no metric series (metrics) and no dashboard (dashboards): add one or drop prodcheck:datadog']);
  });
});

describe('targets datadog', () => {
  it('takes both keys from the environment and registers them as secrets when the file is loaded', () => {
    const dir = mkdtempSync(join(tmpdir(), 'prodcheck-dd-'));
    const file = join(dir, 'targets.yaml');
    writeFileSync(file, 'datadog:\n  apiKey: ${env:DD_API_KEY}\n  applicationKey: ${env:DD_APP_KEY}\n  site: datadoghq.eu\n');
    const loaded = loadTargets(file, { DD_API_KEY: 'k'.repeat(32), DD_APP_KEY: 'a'.repeat(40) }, undefined);
    expect(loaded.targets.datadog).toEqual({ apiKey: 'k'.repeat(32), applicationKey: 'a'.repeat(40), site: 'datadoghq.eu', timeoutMs: 10_000 });
    expect(loaded.secrets).toEqual(expect.arrayContaining(['k'.repeat(32), 'a'.repeat(40)]));
  });
});
