import { PolicyPack } from '@pulumi/policy';
import { PACK_NAME, POLICIES } from './registry.js';

new PolicyPack(PACK_NAME, {
  description: 'The G-stage controls of the prodcheck catalogue: one policy per control, named by its id.',
  policies: POLICIES.map((p) => p.policy),
});
