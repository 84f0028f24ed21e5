import * as pulumi from '@pulumi/pulumi';
import { PolicyPack } from '@pulumi/policy';
import { engineConfigAsFile } from '../infra/config.js';
import { isSecretSetting } from '../infra/settings.js';
import { NAMESPACE, parseStackConfig } from '../spec/index.js';
import { initialConfigFor } from './lib/initial-config.js';
import { PACK_NAME, POLICIES } from './registry.js';

/**
 * The engine hands a policy pack the stack's config (PULUMI_CONFIG). When it holds a StackSpec, the
 * policies start from the config derived from it; without one (`pulumi policy publish`, another
 * project) they start from their schema defaults. A StackSpec the parser rejects stops the pack with
 * the same message the program and the CLI give.
 */
function stackConfig() {
  const config = pulumi.runtime.allConfig();
  if (!Object.keys(config).some((k) => k.startsWith(`${NAMESPACE}:`))) return undefined;
  const { spec } = parseStackConfig(engineConfigAsFile(config, isSecretSetting), `Pulumi.${pulumi.getStack()}.yaml`);
  return initialConfigFor(POLICIES, spec);
}

new PolicyPack(
  PACK_NAME,
  {
    description: 'The G-stage controls of the prodcheck catalogue: one policy per control, named by its id.',
    policies: POLICIES.map((p) => p.policy),
  },
  stackConfig(),
);
