import { describe, expect, it } from 'vitest';
import { UNKNOWN_STRING } from '../../gate/engine/marshal.js';
import { flatStackConfig, readProject } from '../../gate/stack-config.js';
import { loadStackFile } from '../../spec/index.js';

const root = new URL('../../', import.meta.url).pathname;

describe('the stack config the program gets offline', () => {
  it('passes plain values as text, objects as JSON, and makes the secrets kept in the backend unknown', () => {
    const stack = loadStackFile(`${root}Pulumi.prod.yaml`);
    const { config, secretKeys } = flatStackConfig(stack.file, 'prodcheck', stack.spec);
    expect(config['aws:region']).toBe('us-east-1');
    expect(JSON.parse(config['prodcheck:app'] ?? '{}')).toEqual({ name: 'chat', domain: 'chat.example.com', canonicalHost: 'none', environment: 'production' });
    expect(config['env:STRIPE_SECRET_KEY']).toBe(UNKNOWN_STRING);
    expect(config['env:STRIPE_PUBLISHABLE_KEY']).toBe(UNKNOWN_STRING);
    expect(secretKeys).toContain('env:STRIPE_SECRET_KEY');
    expect(secretKeys).not.toContain('env:STRIPE_PUBLISHABLE_KEY');
    // A feature that is off needs no config; RDS needs no owner login.
    expect('env:ANALYTICS_ID' in config).toBe(false);
    expect('postgres:adminUrl' in config).toBe(false);
  });

  it('assumes the owner login of a database the program does not create', () => {
    const stack = loadStackFile(`${root}examples/Pulumi.commerce.yaml`);
    const { config, secretKeys } = flatStackConfig(stack.file, 'prodcheck', stack.spec);
    expect(config['postgres:adminUrl']).toBe(UNKNOWN_STRING);
    expect(secretKeys).toContain('postgres:adminUrl');
  });

  it('assumes the Datadog keys for a stack whose only Datadog resource is the AWS integration', () => {
    const stack = loadStackFile(`${root}Pulumi.prod.yaml`);
    const dd = stack.spec.datadog;
    if (!dd) throw new Error('Pulumi.prod.yaml has no prodcheck:datadog');
    const only = { ...stack.spec, datadog: { ...dd, slos: [], dashboards: [], awsIntegration: true } };
    const { unseen, secretKeys } = flatStackConfig(stack.file, 'prodcheck', only);
    expect(unseen.filter((k) => k.startsWith('datadog:'))).toEqual(['datadog:apiKey', 'datadog:appKey']);
    expect(secretKeys).toContain('datadog:appKey');
    const none = flatStackConfig(stack.file, 'prodcheck', { ...only, datadog: { ...only.datadog, awsIntegration: false } });
    expect(none.unseen.filter((k) => k.startsWith('datadog:'))).toEqual([]);
  });

  it('reads the project name and program from Pulumi.yaml', () => {
    expect(readProject(root.replace(/\/$/, ''))).toMatchObject({ name: 'prodcheck', program: `${root}infra/index.ts` });
  });
});
