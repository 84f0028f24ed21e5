import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { neonSettingsProvider, type NeonSettingsArgs } from '../../infra/providers/neon/index.js';
import { startNeonApi, type FakeNeonBranch, type NeonApiServer } from '../fixtures/neon-api/index.js';
import { neonSettingsArgs } from './helpers/neon-settings.js';

// The Neon settings provider's methods, in the engine's order, against the local Neon API through the official client.
let api: NeonApiServer;
let main: FakeNeonBranch;
beforeAll(async () => {
  api = await startNeonApi({ projectId: 'chat-prod' });
});
afterAll(() => api.stop());
beforeEach(() => {
  api.state.branches = [];
  api.state.project.historyRetentionSeconds = 86_400;
  api.state.project.allowedIps = undefined;
  main = api.addBranch('main', { isDefault: true, protected: false });
});

const args = (over: Partial<NeonSettingsArgs> = {}): NeonSettingsArgs => neonSettingsArgs(api, over);

describe('neon ProjectSettings provider', () => {
  it('creates: sets history retention, IP Allow and protects the production branch; reads back the same; no diff after', async () => {
    const p = neonSettingsProvider;
    expect((await p.check!({} as never, args())).failures).toEqual([]);
    const created = await p.create!(args());
    expect(created.id).toBe('chat-prod');
    expect(api.state.project.historyRetentionSeconds).toBe(2_592_000);
    expect(api.state.project.allowedIps).toEqual(['203.0.113.32/28']);
    expect(main.protected).toBe(true);
    expect(created.outs).toMatchObject({ historyRetentionSeconds: 2_592_000, allowedIps: ['203.0.113.32/28'], protectBranch: true, branchId: main.id });
    const read = await p.read!('chat-prod', created.outs!);
    expect(read.props).toEqual(created.outs);
    expect((await p.diff!('chat-prod', created.outs!, args())).changes).toBe(false);
  });

  it('refresh sees drift made in the console, and update puts it back', async () => {
    const p = neonSettingsProvider;
    const created = await p.create!(args());
    api.state.project.historyRetentionSeconds = 0;
    api.state.project.allowedIps = [];
    main.protected = false;
    const read = await p.read!('chat-prod', created.outs!);
    expect(read.props).toMatchObject({ historyRetentionSeconds: 0, allowedIps: [], protectBranch: false });
    const diff = await p.diff!('chat-prod', read.props as never, args());
    expect(diff).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    await p.update!('chat-prod', read.props as never, args());
    expect([api.state.project.historyRetentionSeconds, api.state.project.allowedIps, main.protected]).toEqual([2_592_000, ['203.0.113.32/28'], true]);
  });

  it('check refuses a retention Neon cannot keep and a world-open allow list; a missing branch or a refused key is an error without the key', async () => {
    const failures = (await neonSettingsProvider.check!({} as never, args({ historyRetentionSeconds: 35 * 86_400, allowedIps: ['0.0.0.0/0'] }))).failures;
    expect(failures).toEqual([
      { property: 'historyRetentionSeconds', reason: "must be a whole number of seconds from 0 to 2592000 (30 days, Neon's most)" },
      { property: 'allowedIps', reason: 'must not allow every address (0.0.0.0/0 or ::/0)' },
    ]);
    await expect(neonSettingsProvider.create!(args({ branch: 'production' }))).rejects.toThrow('Neon project chat-prod has no branch "production" (by name or id)');
    const refused = neonSettingsProvider.create!(args({ apiKey: 'napi_wrong' }));
    await expect(refused).rejects.toThrow('Neon API answered HTTP 401: authorization failed setting history retention and IP Allow of chat-prod');
    await expect(refused).rejects.not.toThrow('napi_wrong');
  });

  it('a project gone from Neon drops out of the state on refresh; delete leaves the settings in place', async () => {
    const created = await neonSettingsProvider.create!(args());
    await neonSettingsProvider.delete!('chat-prod', created.outs!);
    expect(api.state.project.historyRetentionSeconds).toBe(2_592_000);
    api.state.exists = false;
    try {
      expect(await neonSettingsProvider.read!('chat-prod', created.outs!)).toEqual({});
    } finally {
      api.state.exists = true;
    }
  });
});
