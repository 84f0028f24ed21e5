import { describe, expect, it } from 'vitest';
import type { CollectedResource } from '../../gate/collect/types.js';
import { analyzeRequest, analyzeStackRequest, secret, withDefaultProviders } from '../../gate/engine/marshal.js';

const resource = (over: Partial<CollectedResource>): CollectedResource => ({
  urn: 'urn:pulumi:prod::prodcheck::pulumi-nodejs:dynamic/stripe:WebhookEndpoint::hook',
  type: 'pulumi-nodejs:dynamic/stripe:WebhookEndpoint',
  name: 'hook',
  custom: true,
  inputs: { __provider: 'exports.handler = …', url: 'https://chat.example.com/api/webhooks/stripe', apiKey: secret('sk_live_x') },
  dependencies: [],
  propertyDependencies: {},
  options: { protect: false, ignoreChanges: [], additionalSecretOutputs: ['apiKey'], aliases: [] },
  ...over,
});
const stack = { project: 'prodcheck', stack: 'prod', config: { 'aws:region': 'us-east-1', 'aws:secretKey': 's3cr3t' }, secretKeys: ['aws:secretKey'] };

describe('Analyzer requests', () => {
  it('drop internal keys as the engine does and keep secrets wrapped', () => {
    const req = analyzeRequest(resource({}), withDefaultProviders([resource({})], stack));
    expect(req.getProperties()?.toJavaScript()).toEqual({ url: 'https://chat.example.com/api/webhooks/stripe', apiKey: { '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270', value: 'sk_live_x' } });
    expect(req.getOptions()?.getAdditionalsecretoutputsList()).toEqual(['apiKey']);
  });

  it("give a resource without an explicit provider its package's default provider, configured from the stack", () => {
    const db = resource({ urn: 'urn:pulumi:prod::prodcheck::aws:rds/instance:Instance::db', type: 'aws:rds/instance:Instance', name: 'db', inputs: {}, version: '7.48.0' });
    const analyzed = withDefaultProviders([db], stack);
    const provider = analyzeRequest(db, analyzed).getProvider();
    expect(provider?.getUrn()).toBe('urn:pulumi:prod::prodcheck::pulumi:providers:aws::default_7_48_0');
    expect(provider?.getProperties()?.toJavaScript()).toEqual({ region: 'us-east-1', secretKey: secret('s3cr3t'), version: '7.48.0' });
    expect(analyzed.resources.map((r) => r.type)).toEqual(['pulumi:providers:aws', 'aws:rds/instance:Instance']);
  });

  it('carry the graph in AnalyzeStack: parent, dependencies, dependencies per property', () => {
    const pw = resource({ urn: 'urn:pulumi:prod::prodcheck::random:index/randomPassword:RandomPassword::pw', type: 'random:index/randomPassword:RandomPassword', name: 'pw', inputs: { length: 40 } });
    const db = resource({
      urn: 'urn:pulumi:prod::prodcheck::aws:rds/instance:Instance::db',
      type: 'aws:rds/instance:Instance',
      name: 'db',
      parent: 'urn:pulumi:prod::prodcheck::pulumi:pulumi:Stack::prodcheck-prod',
      inputs: { password: '04da6b54-80e4-46f7-96ec-b56ff0331ba9' },
      dependencies: [pw.urn],
      propertyDependencies: { password: [pw.urn] },
    });
    const req = analyzeStackRequest(withDefaultProviders([pw, db], stack));
    const sent = req.getResourcesList().find((r) => r.getName() === 'db');
    expect(sent?.getParent()).toBe('urn:pulumi:prod::prodcheck::pulumi:pulumi:Stack::prodcheck-prod');
    expect(sent?.getDependenciesList()).toEqual([pw.urn]);
    expect(sent?.getPropertydependenciesMap().get('password')?.getUrnsList()).toEqual([pw.urn]);
    expect(sent?.getProperties()?.toJavaScript()).toEqual({ password: '04da6b54-80e4-46f7-96ec-b56ff0331ba9' });
  });
});
