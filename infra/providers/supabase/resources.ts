import * as pulumi from '@pulumi/pulumi';
import { MockMonitor } from '@pulumi/pulumi/runtime/mocks.js';
import { projectSettingsProvider } from './settings.js';

export interface SupabaseConnectionArgs {
  /** A Management API access token that may change the project's settings; stored as a secret in the state. */
  readonly accessToken: pulumi.Input<string>;
  /** Another API base URL (the local Management API in tests and the sandbox). */
  readonly baseUrl?: pulumi.Input<string>;
}

export interface ProjectSettingsInputs extends SupabaseConnectionArgs {
  readonly projectRef: pulumi.Input<string>;
  readonly dbAllowedCidrs: pulumi.Input<readonly pulumi.Input<string>[]>;
  readonly dbAllowedCidrsV6: pulumi.Input<readonly pulumi.Input<string>[]>;
  readonly sslEnforced: pulumi.Input<boolean>;
  readonly poolMode?: pulumi.Input<'transaction' | 'session'>;
}

/** The provider behind each resource type, as `pulumi up` serializes it into the state. */
export const SUPABASE_PROVIDERS = { ProjectSettings: projectSettingsProvider } as const;

/** Under setMocks no provider method runs and vitest cannot closure-serialize one (see the Stripe resources). */
const MOCKED: pulumi.dynamic.ResourceProvider = {
  async create() {
    throw new Error('a Supabase resource of a mocked Pulumi program was asked to change a real project');
  },
};
const providerFor = (real: pulumi.dynamic.ResourceProvider): pulumi.dynamic.ResourceProvider => (pulumi.runtime.getMonitor() instanceof MockMonitor ? MOCKED : real);

/** Network restrictions, SSL enforcement and the pool mode of an existing Supabase project. */
export class ProjectSettings extends pulumi.dynamic.Resource {
  declare readonly projectRef: pulumi.Output<string>;
  declare readonly dbAllowedCidrs: pulumi.Output<string[]>;
  declare readonly dbAllowedCidrsV6: pulumi.Output<string[]>;
  declare readonly sslEnforced: pulumi.Output<boolean>;
  declare readonly poolMode: pulumi.Output<string | null>;

  constructor(name: string, args: ProjectSettingsInputs, opts?: pulumi.CustomResourceOptions) {
    super(providerFor(projectSettingsProvider), name, { poolMode: undefined, ...args, accessToken: pulumi.secret(args.accessToken) }, { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), 'accessToken'] }, 'supabase', 'ProjectSettings');
  }
}
