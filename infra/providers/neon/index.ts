import * as pulumi from '@pulumi/pulumi';
import { neonSettingsProvider, type NeonSettingsArgs } from './settings.js';

export { neonSettingsProvider } from './settings.js';
export type { NeonSettingsArgs, NeonSettingsState } from './settings.js';

type Inputs<T> = { readonly [K in keyof T]: pulumi.Input<T[K]> };

/** The checklist's settings of a Neon project (history retention, IP Allow, protected production branch). */
export class NeonProjectSettings extends pulumi.dynamic.Resource {
  declare readonly historyRetentionSeconds: pulumi.Output<number>;
  declare readonly allowedIps: pulumi.Output<string[]>;
  declare readonly branchId: pulumi.Output<string>;

  constructor(name: string, args: Inputs<NeonSettingsArgs>, opts?: pulumi.CustomResourceOptions) {
    super(neonSettingsProvider, name, { ...args, branchId: undefined }, { ...opts, additionalSecretOutputs: ['apiKey'] }, 'neon', 'ProjectSettings');
  }
}
