import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, test } from 'vitest';
import { deploy } from '../../infra/program.js';
import { ADMIN_URLS, plain, runStackFile, stackConfig, STACK_FILES, stubProviderSerialization } from './helpers/mock-stack.js';

const NEON = { 'neon:projectId': 'spring-example-302709', 'neon:apiKey': 'napi_S3CR3T-neon-key', 'neon:branch': 'production' };

beforeAll(() => stubProviderSerialization());

describe('a Neon stack under `pulumi up`', () => {
  test('with neon:projectId, the project gets the checklist settings: history retention, IP Allow, the protected branch', async () => {
    const r = await runStackFile('commerce', { 'postgres:adminUrl': ADMIN_URLS.neon, ...NEON }, ['postgres:adminUrl', 'neon:apiKey']);
    const settings = r.resources.filter((x) => x.name === 'stormcom-neon-settings');
    expect(settings).toHaveLength(1);
    const inputs = plain(settings[0]!.inputs) as Record<string, unknown>;
    expect(inputs).toMatchObject({ projectId: 'spring-example-302709', branch: 'production' });
    expect(inputs.historyRetentionSeconds).toBeGreaterThan(0);
    expect(Array.isArray(inputs.allowedIps)).toBe(true);
    // The key reaches the provider as a secret, never as plain state.
    expect(JSON.stringify(settings[0]!.inputs)).not.toMatch(/"apiKey":"napi_/);
  });

  test('without neon:projectId nothing is provisioned on Neon (the project is where the targets file points)', async () => {
    const r = await runStackFile('commerce', { 'postgres:adminUrl': ADMIN_URLS.neon }, ['postgres:adminUrl']);
    expect(r.resources.some((x) => x.name.endsWith('-neon-settings'))).toBe(false);
  });

  test('neon:projectId without neon:apiKey, or the key in plain text, is a config error before any resource', async () => {
    const { config, secretKeys } = stackConfig(STACK_FILES.commerce);
    const failure = async (extra: Record<string, string>, secrets: readonly string[]) => {
      await pulumi.runtime.setMocks({ newResource: () => ({ id: undefined, state: {} }), call: () => ({}) }, 'prodcheck', 'commerce');
      pulumi.runtime.setAllConfig({ ...config, 'postgres:adminUrl': ADMIN_URLS.neon, ...extra }, [...secretKeys, 'postgres:adminUrl', ...secrets]);
      try {
        deploy();
      } catch (e) {
        return (e as Error).message;
      }
      throw new Error('deploy() accepted the config');
    };
    expect(await failure({ 'neon:projectId': 'spring-example-302709' }, [])).toContain('  - neon:apiKey: is not set, and the settings of the Neon project in neon:projectId need it: `pulumi config set --secret neon:apiKey napi_...`');
    expect(await failure({ 'neon:projectId': 'spring-example-302709', 'neon:apiKey': 'napi_plain' }, [])).toContain('  - neon:apiKey: holds a secret in plain text: set it again with `pulumi config set --secret neon:apiKey napi_...`');
  });
});
