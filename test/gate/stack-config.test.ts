import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  it('assumes the Supabase token of a named Supabase project and the Neon key of a named Neon project', () => {
    const supabase = loadStackFile(`${root}examples/Pulumi.llm-gateway.yaml`);
    const sb = supabase.spec.supabase;
    if (!sb) throw new Error('examples/Pulumi.llm-gateway.yaml has no prodcheck:supabase');
    expect(flatStackConfig(supabase.file, 'prodcheck', supabase.spec).unseen).not.toContain('supabase:accessToken');
    const named = flatStackConfig(supabase.file, 'prodcheck', { ...supabase.spec, supabase: { ...sb, projectRef: 'abcdefghijklmnopqrst' } });
    expect(named.config['supabase:accessToken']).toBe(UNKNOWN_STRING);
    expect(named.secretKeys).toContain('supabase:accessToken');

    const neon = loadStackFile(`${root}examples/Pulumi.neon.yaml`);
    expect(flatStackConfig(neon.file, 'prodcheck', neon.spec).unseen).not.toContain('neon:apiKey');
    const dir = mkdtempSync(join(tmpdir(), 'prodcheck-stack-config-'));
    try {
      const file = join(dir, 'Pulumi.neon.yaml');
      writeFileSync(file, readFileSync(neon.file, 'utf8').replace(/^config:\n/m, 'config:\n  neon:projectId: calm-sea-123456\n'));
      const withProject = flatStackConfig(file, 'prodcheck', neon.spec);
      expect(withProject.config['neon:projectId']).toBe('calm-sea-123456');
      expect(withProject.config['neon:apiKey']).toBe(UNKNOWN_STRING);
      expect(withProject.secretKeys).toContain('neon:apiKey');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the project name and program from Pulumi.yaml', () => {
    expect(readProject(root.replace(/\/$/, ''))).toMatchObject({ name: 'prodcheck', program: `${root}infra/index.ts` });
  });
});
