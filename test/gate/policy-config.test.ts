import { createRequire } from 'node:module';
import type { AnalyzerInfo } from '@pulumi/pulumi/proto/analyzer_pb.js';
import { describe, expect, it } from 'vitest';
import { configureRequest, mergePolicyConfig, policyPackConfigFor, reconcilePolicyConfig } from '../../gate/policy-config.js';
import { POLICIES } from '../../policies/registry.js';
import { ConfigError, loadStackFile } from '../../spec/index.js';

/** The AnalyzerInfo the pack's GetAnalyzerInfo answers, built by the policy SDK's own function (internal, so untyped). */
const { makeAnalyzerInfo } = createRequire(import.meta.url)('@pulumi/policy/protoutil.js') as {
  makeAnalyzerInfo(name: string, version: string, level: string, args: { policies: unknown[] }, initial: undefined): AnalyzerInfo;
};
const info = makeAnalyzerInfo('prodcheck', '0.1.0', 'advisory', { policies: POLICIES.map((p) => p.policy) }, undefined);
const prod = loadStackFile(new URL('../../Pulumi.prod.yaml', import.meta.url).pathname).spec;

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

  it('takes the config derived from the stack, merged under an override file', () => {
    const merged = mergePolicyConfig(policyPackConfigFor(prod), { 'pg.backups.retention': { minRetentionDays: 35 }, 'env.app-url': 'advisory' });
    const c = reconcilePolicyConfig(info, merged, 'test');
    expect(c.get('pg.backups.retention')?.properties).toEqual({ minRetentionDays: 35, waivers: [] });
    expect(c.get('env.app-url')).toMatchObject({ enforcementLevel: 'advisory', properties: { domain: 'chat.example.com' } });
  });

  it('refuses unknown policies, bad levels and values the schema rejects, all at once', () => {
    let error: unknown;
    try {
      reconcilePolicyConfig(info, { 'pg.backup.retention': 'mandatory', all: 'strict' as never, 'pg.backups.retention': { minRetentionDays: 99 } }, 'policy.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      { path: 'pg.backup.retention', message: 'is not a policy of pack prodcheck' },
      { path: 'all', message: 'must be an enforcement level (advisory, mandatory, remediate, disabled)' },
      { path: 'pg.backups.retention.minRetentionDays', message: 'must be <= 35' },
    ]);
  });

  it('sends the result as Configure takes it', () => {
    const req = configureRequest(reconcilePolicyConfig(info, { all: 'advisory' }, 'test'));
    const entry = req.getPolicyconfigMap().get('pg.credentials');
    expect(entry?.getEnforcementlevel()).toBe(0);
    expect(entry?.getProperties()?.toJavaScript()).toEqual({ minLength: 32, waivers: [] });
    expect(req.getPolicyconfigMap().getLength()).toBe(30);
  });
});
