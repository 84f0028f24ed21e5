import { describe, expect, test } from 'vitest';
import { SupabaseDatabase } from '../../infra/components/supabase.js';
import { stackSpecSchema } from '../../spec/index.js';
import { isSecretWire, plain, runMockStack, stubProviderSerialization, type StackRun } from './helpers/mock-stack.js';

const REF = 'abcdefghijklmnopqrst';
const SETTINGS = 'pulumi-nodejs:dynamic/supabase:ProjectSettings';

async function run(postgres: Record<string, unknown>, supabase: Record<string, unknown> | undefined): Promise<StackRun> {
  stubProviderSerialization();
  const spec = stackSpecSchema.parse({ app: { name: 'gateway', domain: 'example.net' }, postgres: { provider: 'supabase', ...postgres }, ...(supabase ? { supabase } : {}) });
  return runMockStack({}, [], () => {
    const db = new SupabaseDatabase('gateway-db', { postgres: spec.postgres!, supabase: spec.supabase, projectRef: REF, accessToken: 'sbp_S3CR3T-token' });
    return { spec, components: {} as never, outputs: { projectRef: db.settings.projectRef } };
  });
}

const settings = (r: StackRun) => r.resources.find((x) => x.type === SETTINGS)!;

describe('SupabaseDatabase (under setMocks)', () => {
  test('one settings resource: restrictions to allowedCidrs and no IPv6, SSL enforced, transaction pooling, the token a secret', async () => {
    const r = await run({ network: { allowedCidrs: ['203.0.113.16/28'] }, pooling: { kind: 'supabase' } }, { pitr: true });
    expect(r.resources.map((x) => [x.type, x.name, x.parent])).toEqual([
      ['pulumi:pulumi:Stack', 'prodcheck-prod', undefined],
      ['prodcheck:supabase:SupabaseDatabase', 'gateway-db', undefined],
      [SETTINGS, 'gateway-db-settings', 'gateway-db'],
    ]);
    const inputs = settings(r).inputs;
    expect(isSecretWire(inputs.accessToken)).toBe(true);
    expect(plain(inputs)).toMatchObject({ projectRef: REF, dbAllowedCidrs: ['203.0.113.16/28'], dbAllowedCidrsV6: [], sslEnforced: true, poolMode: 'transaction' });
    expect(r.outputs.projectRef).toBe(REF);
  });

  test('a public database is opened to every address on purpose; TLS off and another pooler are left alone', async () => {
    const r = await run({ network: { publiclyAccessible: true }, tls: false, pooling: { kind: 'pgbouncer' } }, undefined);
    const inputs = plain(settings(r).inputs) as Record<string, unknown>;
    expect(inputs).toMatchObject({ dbAllowedCidrs: ['0.0.0.0/0'], dbAllowedCidrsV6: ['::/0'], sslEnforced: false });
    expect(inputs.poolMode).toBeUndefined();
  });
});

describe('the program on the llm-gateway stack', () => {
  test('provisions the Supabase settings once prodcheck:supabase names the project, with the token from supabase:accessToken', async () => {
    const { runStackFile } = await import('./helpers/mock-stack.js');
    const r = await runStackFile('llm-gateway', { 'prodcheck:supabase': JSON.stringify({ pitr: true, projectRef: REF }), 'supabase:accessToken': 'sbp_S3CR3T-provisioning' }, ['supabase:accessToken']);
    const s = r.resources.find((x) => x.type === SETTINGS);
    expect([s?.name, s?.parent]).toEqual(['llm-gateway-supabase-settings', 'llm-gateway-supabase']);
    expect(isSecretWire(s?.inputs.accessToken)).toBe(true);
    expect(plain(s?.inputs)).toMatchObject({ projectRef: REF, dbAllowedCidrs: ['203.0.113.16/28'], dbAllowedCidrsV6: [], sslEnforced: true, poolMode: 'transaction' });
  });

  test('declares no Supabase settings while the stack names no project, and asks for the token when it does', async () => {
    const { runStackFile } = await import('./helpers/mock-stack.js');
    const r = await runStackFile('llm-gateway');
    expect(r.resources.filter((x) => x.type === SETTINGS)).toEqual([]);
    const { programProblems } = await import('../../infra/problems.js');
    const { stackConfig, STACK_FILES } = await import('./helpers/mock-stack.js');
    const { spec } = stackConfig(STACK_FILES['llm-gateway']);
    const named = { ...spec, supabase: { ...spec.supabase!, projectRef: REF } };
    const asked = (has: Record<string, boolean>) => programProblems(named, { has: (k) => k in has || k.startsWith('env:'), isSecret: (k) => has[k] ?? true }).filter((p) => p.path.startsWith('supabase:'));
    expect(asked({})).toEqual([{ path: 'supabase:accessToken', message: `is not set, and the settings of Supabase project ${REF} (prodcheck:supabase.projectRef) need it: \`pulumi config set --secret supabase:accessToken sbp_...\`` }]);
    expect(asked({ 'supabase:accessToken': false })).toEqual([{ path: 'supabase:accessToken', message: 'holds a secret in plain text: set it again with `pulumi config set --secret supabase:accessToken sbp_...`' }]);
    expect(asked({ 'supabase:accessToken': true })).toEqual([]);
  });
});
