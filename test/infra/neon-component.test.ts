import * as pulumi from '@pulumi/pulumi';
import { beforeAll, expect, it } from 'vitest';
import { stackSpecSchema } from '../../spec/index.js';
import { stubProviderSerialization } from './helpers/mock-stack.js';

interface Registered {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}
const registered: Registered[] = [];

beforeAll(async () => {
  stubProviderSerialization();
  await pulumi.runtime.setMocks(
    {
      newResource: (a) => {
        registered.push({ type: a.type, name: a.name, inputs: a.inputs as Record<string, unknown> });
        return { id: `${a.name}-id`, state: a.inputs };
      },
      call: (a) => a.inputs,
    },
    'prodcheck',
    'neon',
    false,
  );
});

it('holds the Neon project to the spec: 30 days of history, IP Allow from allowedCidrs, the protected branch, the key secret', async () => {
  const { NeonDatabase } = await import('../../infra/components/neon.js');
  const spec = stackSpecSchema.parse({ app: { name: 'chat', domain: 'chat.example.com', canonicalHost: 'none' }, postgres: { provider: 'neon', network: { allowedCidrs: ['203.0.113.32/28'] } } }).postgres!;
  const db = new NeonDatabase('chat-db', { spec, projectId: 'chat-prod', apiKey: 'napi_secret-key' });
  // Registered once its URN resolves (the mock monitor answered).
  await new Promise<void>((r) => db.settings.urn.apply(() => r()));
  const settings = registered.find((r) => r.name === 'chat-db-settings');
  expect(registered.map((r) => [r.type, r.name])).toEqual([
    ['prodcheck:database:NeonDatabase', 'chat-db'],
    ['pulumi-nodejs:dynamic/neon:ProjectSettings', 'chat-db-settings'],
  ]);
  expect(settings?.inputs).toMatchObject({ projectId: 'chat-prod', historyRetentionSeconds: 2_592_000, allowedIps: ['203.0.113.32/28'], branch: 'main', protectBranch: true });
  const secret = await new Promise<boolean>((r) => pulumi.isSecret((db.settings as unknown as { apiKey: pulumi.Output<string> }).apiKey).then(r));
  expect(secret).toBe(true);
});
