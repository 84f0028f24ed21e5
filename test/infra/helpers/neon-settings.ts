import type { NeonSettingsArgs } from '../../../infra/providers/neon/index.js';
import type { NeonApiServer } from '../../fixtures/neon-api/index.js';

/** ProjectSettings inputs for project chat-prod on the local Neon API: 30 days of history, one allowed range, main protected. */
export const neonSettingsArgs = (api: NeonApiServer, over: Partial<NeonSettingsArgs> = {}): NeonSettingsArgs => ({
  apiKey: api.apiKey,
  baseUrl: api.url,
  projectId: 'chat-prod',
  historyRetentionSeconds: 2_592_000,
  allowedIps: ['203.0.113.32/28'],
  branch: 'main',
  protectBranch: true,
  ...over,
});
