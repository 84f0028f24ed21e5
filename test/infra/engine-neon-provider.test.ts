import { afterAll, beforeAll, expect, it } from 'vitest';
import { PROVIDER_KEY, serializeProviders, useDynamicProviders, type Props, type SerializedProvider } from '../helpers/engine/dynamic-provider.js';
import { startNeonApi, type FakeNeonBranch, type NeonApiServer } from '../fixtures/neon-api/index.js';
import { neonSettingsArgs } from './helpers/neon-settings.js';

// The Neon settings provider as the engine runs it: serialized into `__provider`, loaded by a fresh plain-Node
// `@pulumi/pulumi/cmd/dynamic-provider`, driven over gRPC against the local Neon API: Check, Create, Read
// (refresh), Check+Diff of the unchanged program (no change), Diff+Update after drift, Delete from a later process.

const root = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');
let api: NeonApiServer;
let main: FakeNeonBranch;
let serialized: Record<string, SerializedProvider> = {};
const provider = useDynamicProviders(root, afterAll);

beforeAll(async () => {
  [serialized, api] = await Promise.all([serializeProviders(root), startNeonApi({ projectId: 'chat-prod' })]);
  main = api.addBranch('main', { isDefault: true });
}, 120_000);
afterAll(async () => {
  await api?.stop();
});

const inputs = (over: Props = {}): Props => ({ ...neonSettingsArgs(api, over), [PROVIDER_KEY]: serialized['neon:ProjectSettings']?.text });

it('provisions history retention, IP Allow and the protected branch through the engine, and puts drift back', async () => {
  expect(serialized['neon:ProjectSettings']?.containsSecrets).toBe(false);
  const p = await provider();
  const checked = await p.check({}, inputs());
  expect(checked.failures).toEqual([]);
  const created = await p.create(checked.inputs);
  expect(created.id).toBe('chat-prod');
  expect([api.state.project.historyRetentionSeconds, api.state.project.allowedIps, main.protected]).toEqual([2_592_000, ['203.0.113.32/28'], true]);
  const refreshed = await p.read(created.id, created.props, checked.inputs);
  expect(refreshed.props).toMatchObject({ historyRetentionSeconds: 2_592_000, protectBranch: true, branchId: main.id });
  const again = (await p.check(checked.inputs, inputs())).inputs;
  expect((await p.diff(created.id, refreshed.props, again)).changes).toBe('none');
  api.state.project.allowedIps = [];
  main.protected = false;
  const drifted = await p.read(created.id, refreshed.props, checked.inputs);
  expect((await p.diff(created.id, drifted.props, again)).changes).toBe('some');
  await p.update(created.id, drifted.props, again);
  expect([api.state.project.allowedIps, main.protected]).toEqual([['203.0.113.32/28'], true]);
  const later = await provider();
  await later.delete(created.id, drifted.props);
  expect(api.state.project.historyRetentionSeconds).toBe(2_592_000);
}, 120_000);

it('a world-open allow list fails Check before anything is written', async () => {
  const p = await provider();
  expect((await p.check({}, inputs({ allowedIps: ['0.0.0.0/0'] }))).failures).toEqual([{ property: 'allowedIps', reason: 'must not allow every address (0.0.0.0/0 or ::/0)' }]);
}, 120_000);
