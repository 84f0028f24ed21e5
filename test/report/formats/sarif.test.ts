import type * as Sarif from 'sarif';
import { describe, expect, it } from 'vitest';
import { SARIF_SCHEMA, renderSarif } from '../../../report/formats/sarif.js';
import type { SourceMap } from '../../../report/source.js';
import type { Report } from '../../../report/types.js';
import { ADVISORY_RESULT, REPORT, redactor, source as fixedSource } from './fixture.js';

function run(source?: SourceMap, report: Report = REPORT, selection?: string): Sarif.Run {
  const log = JSON.parse(renderSarif(report, { redactor: redactor(), toolVersion: '1.2.3', ...(source && { source }), ...(selection && { selection }) })) as Sarif.Log;
  expect(log.$schema).toBe(SARIF_SCHEMA);
  expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
  expect(log.version).toBe('2.1.0');
  expect(log.runs).toHaveLength(1);
  return log.runs[0]!;
}

describe('sarif reporter', () => {
  it('has one rule per control of the report, with title, severity and the level it maps to', () => {
    const driver = run().tool.driver;
    expect([driver.name, driver.version, driver.semanticVersion]).toEqual(['prodcheck', '1.2.3', '1.2.3']);
    expect(driver.rules?.map((r) => [r.id, r.name, r.shortDescription?.text, r.properties?.severity, r.defaultConfiguration?.level])).toEqual([
      ['pg.connectivity', 'PgConnectivity', 'Database reachable and connections stable.', 'critical', 'error'],
      ['pg.rls', 'PgRls', 'Row Level Security enabled with policies.', 'high', 'error'],
      ['pg.backups.retention', 'PgBackupsRetention', 'Backup retention >= 30 days.', 'high', 'error'],
      ['redis.eviction-policy', 'RedisEvictionPolicy', 'Eviction policy allkeys-lru.', 'high', 'error'],
      ['redis.latency', 'RedisLatency', 'Redis latency.', 'medium', 'warning'],
      ['redis.ttl', 'RedisTtl', 'Cache keys carry the intended TTL.', 'medium', 'warning'],
      ['stripe.webhook.endpoint', 'StripeWebhookEndpoint', 'Stripe webhook endpoint registered.', 'critical', 'error'],
      ['stripe.tax-rates', 'StripeTaxRates', 'Tax rates / Stripe Tax.', 'low', 'note'],
      ['http.security-headers', 'HttpSecurityHeaders', 'Security headers present.', 'medium', 'warning'],
      ['http.compression', 'HttpCompression', 'Response compression.', 'low', 'note'],
    ]);
  });

  it("gives each rule GitHub's security-severity, security tags and the catalogue's remediation as help", () => {
    const rules = run().tool.driver.rules ?? [];
    expect(rules.map((r) => r.properties?.['security-severity'])).toEqual(['9.5', '8.0', '8.0', '8.0', '5.5', '5.5', '9.5', '3.0', '5.5', '3.0']);
    expect(rules[3]?.properties?.tags).toEqual(['security', 'prodcheck', 'redis']);
    expect(rules[3]?.help?.text).toBe(
      'Provision it: upstash.RedisDatabase eviction=true / ElastiCache ParameterGroup maxmemory-policy=allkeys-lru. Then this must hold: INFO memory -> maxmemory_policy == allkeys-lru where exposed, else provider API (Upstash GET /v2/redis/database/{id} eviction=true; ElastiCache DescribeCacheParameters maxmemory-policy).',
    );
    expect(rules[3]?.help?.markdown).toBe(`**How to fix redis.eviction-policy**\n\n${rules[3]?.help?.text ?? ''}`);
  });

  it('points informationUri and every helpUri at the tool page when there is one, and leaves both out when there is none', () => {
    const none = run().tool.driver;
    expect(none.informationUri).toBeUndefined();
    expect(none.rules?.some((r) => 'helpUri' in r)).toBe(false);
    const log = JSON.parse(renderSarif(REPORT, { redactor: redactor(), toolUri: 'https://github.com/acme/prodcheck' })) as Sarif.Log;
    const driver = log.runs[0]!.tool.driver;
    expect(driver.informationUri).toBe('https://github.com/acme/prodcheck');
    expect(new Set(driver.rules?.map((r) => r.helpUri))).toEqual(new Set(['https://github.com/acme/prodcheck']));
  });

  it('reports only fail, error and waived results, at the level of their severity, pointing at their rule', () => {
    const r = run();
    const rules = r.tool.driver.rules ?? [];
    expect(r.results?.map((x) => [x.ruleId, x.level, x.properties?.status, x.message.text])).toEqual([
      ['pg.rls', 'error', 'fail', 'RLS must be enabled on public.orders (found disabled).'],
      ['pg.backups.retention', 'error', 'waived', 'Backup retention must be at least 30 days (found 7). (waived by alice until 2026-03-01: moving to AWS Backup).'],
      ['redis.eviction-policy', 'error', 'fail', 'Redis maxmemory-policy must be allkeys-lru (found noeviction).'],
      ['stripe.webhook.endpoint', 'error', 'error', 'stripe could not be reached: connect ECONNREFUSED 127.0.0.1:12111.'],
      ['http.security-headers', 'warning', 'fail', 'Strict-Transport-Security must be set (found none).'],
      ['http.compression', 'note', 'fail', 'Responses must be compressed with br or gzip (found identity).'],
    ]);
    for (const x of r.results ?? []) expect(rules[x.ruleIndex ?? -1]?.id).toBe(x.ruleId);
    expect(r.results?.[0]?.properties).toEqual({ status: 'fail', severity: 'high', expected: 'enabled', actual: 'disabled', resource: 'public.orders' });
  });

  it('reports an advisory gate violation as a warning to review, though it passed', () => {
    const results = run(undefined, { ...REPORT, results: [ADVISORY_RESULT] }).results ?? [];
    expect(results.map((x) => [x.ruleId, x.level, x.kind, x.properties?.status, x.properties?.advisory])).toEqual([['redis.tls', 'warning', 'review', 'pass', true]]);
  });

  it('marks a waived result as an external suppression with the justification, and nothing else as suppressed', () => {
    const results = run().results ?? [];
    expect(results.filter((x) => x.suppressions !== undefined).map((x) => [x.ruleId, x.suppressions])).toEqual([
      ['pg.backups.retention', [{ kind: 'external', status: 'accepted', justification: 'moving to AWS Backup (waived by alice until 2026-03-01)' }]],
    ]);
  });

  it('locates a result logically at its resource or control, and physically at its key in the stack file, relative to %SRCROOT%', () => {
    const r = run(fixedSource('config/Pulumi.prod 1.yaml'));
    const [rls, waived] = r.results ?? [];
    expect(rls?.locations).toEqual([
      {
        logicalLocations: [{ name: 'public.orders', fullyQualifiedName: 'pg.rls/public.orders', kind: 'resource' }],
        physicalLocation: { artifactLocation: { uri: 'config/Pulumi.prod%201.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 46 } },
      },
    ]);
    expect(Object.keys(r.originalUriBaseIds ?? {})).toEqual(['%SRCROOT%']);
    const outside = run(fixedSource('/srv/stacks/Pulumi.prod.yaml', false)).results?.[0]?.locations?.[0]?.physicalLocation?.artifactLocation;
    expect(outside).toEqual({ uri: 'file:///srv/stacks/Pulumi.prod.yaml' });
    expect(waived?.locations?.[0]?.logicalLocations).toEqual([{ name: 'pg.backups.retention', fullyQualifiedName: 'pg.backups.retention' }]);
    expect(rls?.partialFingerprints).toEqual({ 'prodcheckResult/v1': 'pg.rls|public.orders' });
    expect((run().results ?? []).every((x) => x.locations?.[0]?.physicalLocation === undefined)).toBe(true);
  });

  it('records the run: start and end time, stack and summary', () => {
    const r = run();
    expect(r.invocations).toEqual([{ executionSuccessful: true, startTimeUtc: '2026-01-05T10:00:00.000Z', endTimeUtc: '2026-01-05T10:00:05.210Z' }]);
    expect(r.properties).toEqual({ stack: 'prod', summary: { pass: 2, fail: 4, error: 1, skip: 3, waived: 1 } });
    expect(r.automationDetails).toEqual({ id: 'prodcheck verify/prod/all controls/' });
    expect(run(undefined, REPORT, 'only pg.*').automationDetails).toEqual({ id: 'prodcheck verify/prod/only pg.*/' });
  });
});
