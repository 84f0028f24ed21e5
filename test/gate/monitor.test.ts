import * as pulumi from '@pulumi/pulumi';
import { unknown } from '@pulumi/pulumi/output.js';
import { describe, expect, it } from 'vitest';
import { engineUrn, installRecordingMonitor } from '../../gate/collect/monitor.js';

class Thing extends pulumi.CustomResource {}

const mocks: pulumi.runtime.Mocks = { newResource: (args) => ({ id: undefined, state: args.inputs }), call: (args) => args.inputs };

describe('the recording monitor', () => {
  it('names resources by the engine URN scheme: no stack type before its children, the full parent type before nested ones', async () => {
    await pulumi.runtime.setMocks(mocks, 'prodcheck', 'prod', true);
    expect(engineUrn('urn:pulumi:prod::prodcheck::pulumi:pulumi:Stack::prodcheck-prod', 'aws:rds/instance:Instance', 'db')).toBe('urn:pulumi:prod::prodcheck::aws:rds/instance:Instance::db');
    expect(engineUrn('urn:pulumi:prod::prodcheck::prodcheck:database:Database$prodcheck:x:Inner::inner', 'random:index/randomPassword:RandomPassword', 'pw')).toBe(
      'urn:pulumi:prod::prodcheck::prodcheck:database:Database$prodcheck:x:Inner$random:index/randomPassword:RandomPassword::pw',
    );
    expect(engineUrn('', 'pulumi:pulumi:Stack', 'prodcheck-prod')).toBe('urn:pulumi:prod::prodcheck::pulumi:pulumi:Stack::prodcheck-prod');
  });

  it('records inputs in wire form (secrets wrapped, unknowns as the sentinel) with their dependencies', async () => {
    const monitor = await installRecordingMonitor(mocks, 'prodcheck', 'prod');
    const source = new Thing('test:index:Source', 'source', { size: 40 });
    new Thing('test:index:Sink', 'sink', {
      token: pulumi.secret('not-shown'),
      later: pulumi.output(unknown),
      derived: source.urn.apply(() => 'x'),
    });
    await pulumi.runtime.disconnect();
    const sink = monitor.recorded.find((r) => r.name === 'sink');
    expect(sink?.urn).toBe('urn:pulumi:prod::prodcheck::test:index:Sink::sink');
    expect(sink?.inputs).toEqual({
      token: { '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270', value: 'not-shown' },
      later: '04da6b54-80e4-46f7-96ec-b56ff0331ba9',
      derived: 'x',
    });
    expect(sink?.propertyDependencies).toEqual({ derived: ['urn:pulumi:prod::prodcheck::test:index:Source::source'] });
  });
});
