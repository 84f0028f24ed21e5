import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONTROLS } from '../../checklist/index.js';
import * as app from '../../policies/app.js';
import * as billing from '../../policies/billing.js';
import * as cacheHardening from '../../policies/cache-hardening.js';
import * as cache from '../../policies/cache.js';
import * as database from '../../policies/database.js';
import * as env from '../../policies/env.js';
import * as kms from '../../policies/kms.js';
import { TYPES } from '../../policies/lib/resources.js';
import * as liveKeys from '../../policies/live-keys.js';
import * as rdsHardening from '../../policies/rds-hardening.js';
import { AREAS, POLICIES } from '../../policies/registry.js';
import * as repo from '../../policies/repo.js';
import * as secrets from '../../policies/secrets.js';
import { loadStackFile, parseStackConfig } from '../../spec/index.js';
import { UNKNOWN, res, runResource, runStack } from './harness.js';

const camel = (id: string) => id.replace(/[.-]([a-z])/g, (_, c: string) => c.toUpperCase());

describe('the pack', () => {
  it('has exactly one policy per G-stage control of the catalogue, named by its id', () => {
    const gate = CONTROLS.filter((c) => c.stages.includes('G')).map((c) => c.id);
    expect(gate).toHaveLength(37);
    expect(POLICIES.map((p) => p.id).sort()).toEqual([...gate].sort());
    for (const p of POLICIES) expect(p.policy.name).toBe(p.id);
  });

  it('exports each policy under the camelCase of its id from the area module that registers it', () => {
    const modules: Record<string, Record<string, unknown>> = { database, cache, env, secrets, 'live-keys': liveKeys, billing, app, repo, 'rds-hardening': rdsHardening, 'cache-hardening': cacheHardening, kms };
    for (const area of AREAS) {
      const mod = modules[area.source.replace(/^policies\/|\.ts$/g, '')] ?? {};
      for (const p of area.policies) expect(mod[camel(p.id)], p.id).toBe(p);
    }
  });

  it('documents every policy: description, remediation, docs URL, severity, level from severity, config schema with waivers', () => {
    for (const p of POLICIES) {
      const { policy } = p;
      expect(policy.description.length, p.id).toBeGreaterThan(10);
      expect(policy.remediationSteps?.length, p.id).toBeGreaterThan(20);
      expect(policy.url, p.id).toMatch(/^https:\/\/.+\/policies\/README\.md#[a-z0-9-]+$/);
      expect(policy.severity).toBe(p.severity);
      expect(policy.enforcementLevel).toBe(p.severity === 'critical' || p.severity === 'high' ? 'mandatory' : 'advisory');
      expect(policy.configSchema?.properties.waivers, p.id).toMatchObject({ type: 'array', default: [] });
    }
  });
});

describe('waivers in the policy config', () => {
  const db = res(TYPES.rdsInstance, 'chat-db-instance', { backupRetentionPeriod: 7 });
  const waiver = { resource: 'chat-db-instance', owner: 'platform-team', reason: 'restore drill moves to AWS Backup first' };

  it('downgrades a violation on the waived resource to advisory, saying who waived it until when', async () => {
    const out = await runResource(database.pgBackupsRetention, db, { waivers: [{ ...waiver, expires: '2999-12-31' }] });
    expect(out.violations).toEqual([]);
    expect(out.downgraded).toEqual(['backupRetentionPeriod must be at least 30 days (found 7) (waived by platform-team until 2999-12-31: restore drill moves to AWS Backup first)']);
  });

  it('keeps the violation once the waiver expired, and ignores a waiver for another resource', async () => {
    expect((await runResource(database.pgBackupsRetention, db, { waivers: [{ ...waiver, expires: '2020-01-01' }] })).violations).toEqual([
      'backupRetentionPeriod must be at least 30 days (found 7) (waiver by platform-team expired on 2020-01-01)',
    ]);
    expect((await runResource(database.pgBackupsRetention, db, { waivers: [{ ...waiver, resource: 'other-db', expires: '2999-12-31' }] })).violations).toEqual([
      'backupRetentionPeriod must be at least 30 days (found 7)',
    ]);
  });

  it('matches a stack policy violation by URN', async () => {
    const out = await runStack(database.pgBackupsEnabled, [res(TYPES.rdsInstance, 'chat-db-instance', { backupRetentionPeriod: 30, deletionProtection: false })], {
      waivers: [{ ...waiver, resource: 'urn:pulumi:prod::prodcheck::aws:rds/instance:Instance::chat-db-instance', expires: '2999-12-31' }],
    });
    expect(out.violations).toEqual([]);
    expect(out.downgraded).toHaveLength(1);
  });
});

describe('unknown values at preview', () => {
  it('are never violations nor passes, even deep inside a property: the SDK reports them as it does for its own proxy', async () => {
    expect(await runResource(cache.redisEvictionPolicy, res(TYPES.cacheParameterGroup, 'p', { family: 'redis7', parameters: [{ name: 'maxmemory-policy', value: UNKNOWN }] }))).toEqual({
      violations: [],
      downgraded: [],
      urns: [],
      unknown: "string value at .parameters[0].value can't be known during preview",
    });
    expect((await runResource(database.pgNetworkAccess, res(TYPES.securityGroup, 'sg', { ingress: UNKNOWN }))).unknown).toBe("string value at .ingress can't be known during preview");
    expect((await runResource(env.envProductionMode, res(TYPES.vercelEnv, 'chat-app-env-NODE_ENV', { key: 'NODE_ENV', value: UNKNOWN, targets: ['production'] }))).unknown).toBe(
      "string value at .value can't be known during preview",
    );
  });

  it('do not hide a violation found in a known value of the same resource', async () => {
    const out = await runResource(database.pgNetworkAccess, res(TYPES.rdsInstance, 'db', { publiclyAccessible: true, vpcSecurityGroupIds: UNKNOWN }));
    expect(out.violations).toEqual(['publiclyAccessible must be false (found true)']);
    expect(out.unknown).toBeUndefined();
  });

  it('name the resource in a stack policy', async () => {
    const out = await runStack(secrets.envSecretStrength, [res(TYPES.vercelEnv, 'chat-app-env-AUTH_SECRET', { key: 'AUTH_SECRET', value: UNKNOWN, targets: ['production'], sensitive: true }, { secretOutputs: ['value'] })]);
    expect(out).toMatchObject({ violations: [], unknown: "string value at .chat-app-env-AUTH_SECRET.value can't be known during preview" });
  });
});

describe('config derived from the stack', () => {
  const prod = loadStackFile(new URL('../../Pulumi.prod.yaml', import.meta.url).pathname).spec;
  const byId = (id: string) => POLICIES.find((p) => p.id === id)?.configFor(prod) ?? {};

  it('carries the facts of the stack: domain, webhook route and events, append-only tables, production', () => {
    expect(byId('env.app-url')).toMatchObject({ domain: 'chat.example.com' });
    expect(byId('stripe.webhook.endpoint')).toMatchObject({ requireWebhook: true, domain: 'chat.example.com', path: '/api/webhooks/stripe' });
    expect(byId('stripe.webhook.events')).toMatchObject({ requiredEvents: prod.stripe?.webhook.events });
    expect(byId('env.stripe-secret-key')).toMatchObject({ production: true });
    expect(byId('pg.backups.enabled')).toMatchObject({ requireDatabase: true });
    expect(byId('redis.persistence')).toMatchObject({ cache: 'elasticache' });
  });

  it('raises a threshold when the stack asks for more, never lowers it', () => {
    const withRetention = (days: number) => {
      const { spec } = parseStackConfig({ 'prodcheck:app': { name: 'a', domain: 'example.com' }, 'prodcheck:postgres': { backups: { retentionDays: days } } }, 'test.yaml');
      return POLICIES.find((p) => p.id === 'pg.backups.retention')?.configFor(spec);
    };
    expect(withRetention(35)).toMatchObject({ minRetentionDays: 35 });
    expect(withRetention(7)).toMatchObject({ minRetentionDays: 30 });
  });

  it("gives each policy the stack's waivers of its control only", () => {
    const { spec } = parseStackConfig(
      {
        'prodcheck:app': { name: 'a', domain: 'example.com' },
        'prodcheck:waivers': [{ control: 'redis.ha', resource: 'cache', reason: 'single node until launch', owner: 'ops', expires: '2027-01-31' }],
      },
      'test.yaml',
    );
    expect(POLICIES.find((p) => p.id === 'redis.ha')?.configFor(spec)).toMatchObject({ waivers: [{ resource: 'cache', owner: 'ops', expires: '2027-01-31', reason: 'single node until launch' }] });
    expect(POLICIES.find((p) => p.id === 'redis.tls')?.configFor(spec)).toMatchObject({ waivers: [] });
  });
});

describe('the pack README', () => {
  const readme = readFileSync(new URL('../../policies/README.md', import.meta.url), 'utf8');

  it('has the section each policy url points to, listing its config', () => {
    const sections = readme.split(/^### /m).slice(1);
    for (const p of POLICIES) {
      const section = sections.find((s) => s.startsWith(`${p.id}\n`));
      expect(section, p.id).toBeDefined();
      expect(p.policy.url?.endsWith(`#${p.id.replace(/[^a-z0-9-]/g, '')}`)).toBe(true);
      for (const key of Object.keys(p.policy.configSchema?.properties ?? {}).filter((k) => k !== 'waivers')) expect(section, `${p.id} ${key}`).toContain(`\`${key}\``);
    }
  });
});
