import { createRequire } from 'node:module';
import type { AnalyzerInfo } from '@pulumi/pulumi/proto/analyzer_pb.js';
import { describe, expect, it } from 'vitest';
import { configureRequest, reconcilePolicyConfig } from '../../gate/policy-config.js';
import { initialConfigFor } from '../../policies/lib/initial-config.js';
import { POLICIES } from '../../policies/registry.js';
import { ConfigError, loadStackFile } from '../../spec/index.js';

/** The AnalyzerInfo the pack's GetAnalyzerInfo answers, built by the policy SDK's own function (internal, so untyped). */
const { makeAnalyzerInfo } = createRequire(import.meta.url)('@pulumi/policy/protoutil.js') as {
  makeAnalyzerInfo(name: string, version: string, level: string, args: { policies: unknown[] }, initial: Record<string, unknown> | undefined): AnalyzerInfo;
};
const info = makeAnalyzerInfo('prodcheck', '0.1.0', 'advisory', { policies: POLICIES.map((p) => p.policy) }, undefined);
const prod = loadStackFile(new URL('../../Pulumi.prod.yaml', import.meta.url).pathname).spec;
const withInitial = (initial: Record<string, unknown>) => makeAnalyzerInfo('prodcheck', '0.1.0', 'advisory', { policies: POLICIES.map((p) => p.policy) }, initial);

describe('reconciling policy config as the engine does', () => {
  it("starts each policy from its own level and its schema's defaults", () => {
    const c = reconcilePolicyConfig(info, {}, 'test');
    expect(c.get('pg.backups.retention')).toEqual({ enforcementLevel: 'mandatory', properties: { minRetentionDays: 30, waivers: [] } });
    expect(c.get('redis.ha')).toEqual({ enforcementLevel: 'advisory', properties: { minNodes: 2, waivers: [] } });
  });

  it('lets "all" set every level and a policy entry override it', () => {
    const c = reconcilePolicyConfig(info, { all: 'mandatory', 'redis.ha': { enforcementLevel: 'disabled' } }, 'test');
    expect(c.get('vercel.firewall')?.enforcementLevel).toBe('mandatory');
    expect(c.get('redis.ha')?.enforcementLevel).toBe('disabled');
  });

  it("takes the pack's initial config (derived from the stack), with the user's config over it", () => {
    const c = reconcilePolicyConfig(withInitial(initialConfigFor(POLICIES, prod)), { 'pg.backups.retention': { minRetentionDays: 35 }, 'env.app-url': 'advisory' }, 'test');
    expect(c.get('pg.backups.retention')).toEqual({ enforcementLevel: 'mandatory', properties: { minRetentionDays: 35, waivers: [] } });
    expect(c.get('env.app-url')).toMatchObject({ enforcementLevel: 'advisory', properties: { domain: 'chat.example.com' } });
    expect(c.get('stripe.webhook.events')?.properties).toMatchObject({ subscriptionEvents: ['customer.subscription.updated', 'customer.subscription.deleted'] });
  });

  it('reads an initial entry without a level as advisory, and an initial "all" as every level, as the engine does', () => {
    expect(reconcilePolicyConfig(withInitial({ 'pg.backups.retention': { minRetentionDays: 31 } }), {}, 'test').get('pg.backups.retention')).toEqual({
      enforcementLevel: 'advisory',
      properties: { minRetentionDays: 31, waivers: [] },
    });
    const c = reconcilePolicyConfig(withInitial({ all: 'disabled' }), { 'redis.ha': 'mandatory' }, 'test');
    expect(c.get('pg.credentials')?.enforcementLevel).toBe('disabled');
    expect(c.get('redis.ha')?.enforcementLevel).toBe('mandatory');
  });

  it('passes over a name that is no policy of the pack, as the engine does, and says which', () => {
    const c = reconcilePolicyConfig(info, { 'pg.backup.retention': 'mandatory' }, 'policy.json');
    expect(c.unknownNames).toEqual(['pg.backup.retention']);
    expect(c.get('pg.backups.retention')?.enforcementLevel).toBe('mandatory');
  });

  it('refuses bad levels and values the schema rejects, all at once', () => {
    let error: unknown;
    try {
      reconcilePolicyConfig(info, { all: 'strict' as never, 'redis.ha': { enforcementLevel: 'block' } as never, 'pg.backups.retention': { minRetentionDays: 99 } }, 'policy.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      { path: 'all', message: '"strict" is not a valid enforcement level (advisory, mandatory, remediate, disabled)' },
      { path: 'redis.ha.enforcementLevel', message: '"block" is not a valid enforcement level (advisory, mandatory, remediate, disabled)' },
      { path: 'pg.backups.retention.minRetentionDays', message: 'must be <= 35' },
    ]);
  });

  it('sends the result as Configure takes it', () => {
    const req = configureRequest(reconcilePolicyConfig(info, { all: 'advisory' }, 'test'));
    const entry = req.getPolicyconfigMap().get('pg.credentials');
    expect(entry?.getEnforcementlevel()).toBe(0);
    expect(entry?.getProperties()?.toJavaScript()).toEqual({ minLength: 32, waivers: [] });
    // Every policy, and "all" as the engine passes it on.
    expect(req.getPolicyconfigMap().getLength()).toBe(38);
  });
});
