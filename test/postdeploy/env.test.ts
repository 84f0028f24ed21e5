import { describe, expect, it } from 'vitest';
import { verifyFromEnv } from '../../verify/postdeploy.js';

const root = new URL('../../', import.meta.url).pathname;

describe('verifyFromEnv', () => {
  it('refuses an --only glob that matches no control instead of running nothing', async () => {
    await expect(verifyFromEnv({ PRODCHECK_STACK: 'prod', PRODCHECK_TARGETS: 'targets.example.yaml', PRODCHECK_ONLY: 'redis.evicton-policy' }, root)).rejects.toThrow(
      'postdeploy environment: 1 problem:\n  - PRODCHECK_ONLY / PRODCHECK_SKIP: "redis.evicton-policy" matches no control id (see prodcheck controls)',
    );
  });

  it('says which variable is missing', async () => {
    await expect(verifyFromEnv({ PRODCHECK_STACK: 'prod' }, root)).rejects.toThrow('PRODCHECK_TARGETS: is not set: point it at the targets YAML file');
  });
});
