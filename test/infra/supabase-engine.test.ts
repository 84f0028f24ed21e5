import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSupabaseApi, type SupabaseApiServer } from '../fixtures/supabase-api/index.js';
import { PROVIDER_KEY, useDynamicProviders, type Props, type SerializedProvider } from '../helpers/engine/dynamic-provider.js';

// The Supabase settings provider as the engine runs it: serialized into `__provider` in plain Node,
// loaded by a fresh `@pulumi/pulumi/cmd/dynamic-provider`, driven over gRPC against the local Management
// API in the engine's order: Check, Create, Read (refresh), Diff of the same program (no change), drift
// made in the "dashboard" seen by Read and undone by Update, Delete leaving the settings.

const root = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');
const REF = 'abcdefghijklmnopqrst';
let api: SupabaseApiServer;
let serialized: Record<string, SerializedProvider> = {};
const provider = useDynamicProviders(root, afterAll);

beforeAll(async () => {
  const script = new URL('./supabase-serialize.ts', import.meta.url).pathname;
  const out = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, ['--import', 'tsx', script], { cwd: root, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (e, stdout, stderr) => (e ? reject(new Error(`${e.message}\n${stderr}`)) : resolve(stdout))),
  );
  serialized = JSON.parse(out) as Record<string, SerializedProvider>;
  api = await startSupabaseApi({ ref: REF });
  api.state.restrictions = { v4: ['0.0.0.0/0'], v6: ['::/0'], status: 'applied' };
  api.state.ssl = { database: false, appliedSuccessfully: true };
}, 120_000);
afterAll(async () => {
  await api?.stop();
});

const inputs = (args: Props): Props => ({ accessToken: api.token, baseUrl: api.url, projectRef: REF, ...args, [PROVIDER_KEY]: serialized['supabase:ProjectSettings']?.text });
const wanted = { dbAllowedCidrs: ['203.0.113.16/28'], dbAllowedCidrsV6: [], sslEnforced: true, poolMode: 'transaction' };

describe('the Supabase settings provider in a fresh cmd/dynamic-provider process', () => {
  test('serialized without a token or a path of this machine', () => {
    const s = serialized['supabase:ProjectSettings'];
    expect(s?.containsSecrets).toBe(false);
    expect(s?.text).not.toContain(root);
    expect(s?.text).not.toContain(api.token);
  });

  test('create applies the settings on an open project; refresh sees dashboard drift; update undoes it; delete leaves them', async () => {
    const p = await provider();
    const checked = await p.check({}, inputs(wanted));
    expect(checked.failures).toEqual([]);
    const created = await p.create(checked.inputs);
    expect(created.id).toBe(REF);
    expect(created.props).toMatchObject({ projectRef: REF, dbAllowedCidrs: ['203.0.113.16/28'], dbAllowedCidrsV6: [], sslEnforced: true, poolMode: 'transaction' });
    expect(api.state.restrictions).toMatchObject({ v4: ['203.0.113.16/28'], v6: [] });
    expect(api.state.ssl.database).toBe(true);
    expect(api.writes.map((w) => `${w.method} ${w.path}`)).toEqual(['POST /network-restrictions/apply', 'PUT /ssl-enforcement', 'PATCH /config/database/pooler']);

    const refreshed = await p.read(created.id, created.props, checked.inputs);
    expect(await p.diff(REF, refreshed.props, (await p.check(checked.inputs, inputs(wanted))).inputs)).toMatchObject({ changes: 'none', replaces: [] });

    // Someone opens the database to the world and turns SSL enforcement off in the dashboard.
    api.state.restrictions = { v4: ['0.0.0.0/0'], v6: ['::/0'], status: 'applied' };
    api.state.ssl = { database: false, appliedSuccessfully: true };
    const drifted = await p.read(REF, refreshed.props, checked.inputs);
    expect(drifted.props).toMatchObject({ dbAllowedCidrs: ['0.0.0.0/0'], dbAllowedCidrsV6: ['::/0'], sslEnforced: false });
    const again = (await p.check(checked.inputs, inputs(wanted))).inputs;
    expect(await p.diff(REF, drifted.props, again)).toMatchObject({ changes: 'some', replaces: [] });
    const updated = await p.update(REF, drifted.props, again);
    expect(updated).toMatchObject({ dbAllowedCidrs: ['203.0.113.16/28'], sslEnforced: true });
    expect(api.state.restrictions.v4).toEqual(['203.0.113.16/28']);

    const later = await provider();
    await later.delete(REF, updated);
    expect(api.state.restrictions.v4).toEqual(['203.0.113.16/28']);
    expect(api.state.ssl.database).toBe(true);
  });

  test('check refuses a bad ref and CIDR; a refused token fails create naming the fix, without the token', async () => {
    const p = await provider();
    const bad = await p.check({}, inputs({ ...wanted, projectRef: 'Not-A-Ref', dbAllowedCidrs: ['10.0.0.0'] }));
    expect(bad.failures).toEqual([
      { property: 'projectRef', reason: 'must be a Supabase project ref (20 lower-case letters)' },
      { property: 'dbAllowedCidrs', reason: '"10.0.0.0" is not an IPv4 CIDR such as 203.0.113.16/28' },
    ]);
    const wrong = { ...inputs(wanted), accessToken: 'sbp_wrong_token_value' };
    const err = await p.create(wrong).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    // What the engine shows for the failed create: the gRPC status message, the provider's error message.
    expect(err?.message).toBe(`create: the Supabase Management API answered POST /v1/projects/${REF}/network-restrictions/apply with HTTP 401: Unauthorized (set supabase:accessToken to a valid Management API token)`);
  });
});
