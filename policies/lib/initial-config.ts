import type { PolicyPackConfig } from '@pulumi/policy';
import type { StackSpec } from '../../spec/index.js';
import type { PackPolicy } from './define.js';

/**
 * The pack's initial config for a stack: every policy with its config from the StackSpec (domain,
 * events, tables, waivers...), so that `pulumi preview --policy-pack policies` judges with the same
 * config as `prodcheck gate` without a config file. Each entry names its enforcement level: the engine
 * reads an initial entry without one as advisory (the protocol's zero), which would demote the
 * mandatory policies.
 */
export function initialConfigFor(policies: readonly PackPolicy[], spec: StackSpec): PolicyPackConfig {
  return Object.fromEntries(policies.map((p) => [p.id, { enforcementLevel: p.enforcementLevel, ...p.configFor(spec) }]));
}
