import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import * as vercel from '@pulumiverse/vercel';
import type { VercelSpec } from '../../spec/index.js';
import { ProvisionLog, provisions } from '../provisions.js';
import { secretSetting, setting, SETTINGS } from '../settings.js';
import { vercelProviderArgs } from './app-env.js';

export const LOG_DRAIN = provisions('infra/components/log-drain.ts', ['monitoring.logging']);

export interface LogDrainArgs {
  readonly vercel: VercelSpec;
  /** prodcheck:vercel.logDrain with the host it delivers to (programProblems requires endpointHost). */
  readonly drain: { readonly endpointHost: string };
  readonly projectId: pulumi.Input<string>;
}

/** The runtime sources (monitoring.logging judges a drain that carries the project's runtime logs). */
export const DRAIN_SOURCES = ['lambda', 'edge', 'static', 'external'] as const;

/**
 * The project's runtime logs drained to the log host prodcheck:vercel.logDrain names, from production, in
 * JSON, signed with a generated secret (a secret output: the sink verifies x-vercel-signature with it).
 * `vercel:logDrainAuthorization` (pulumi config set --secret), when set, is sent as the Authorization
 * header, the way sinks such as Better Stack take their source token.
 */
export class LogDrain extends pulumi.ComponentResource {
  /** The drain's signing secret. */
  readonly secret: pulumi.Output<string>;
  readonly provisioned = new ProvisionLog(LOG_DRAIN);

  constructor(name: string, args: LogDrainArgs, opts?: pulumi.ComponentResourceOptions) {
    super('prodcheck:log-drain:LogDrain', name, {}, opts);
    const { vercel: v, drain } = args;
    const provider = new vercel.Provider(`${name}-vercel`, vercelProviderArgs(v), { parent: this });
    const signing = new random.RandomPassword(`${name}-secret`, { length: 40, special: false }, { parent: this });
    this.secret = pulumi.secret(signing.result);
    const authorization = setting(SETTINGS.vercelLogDrainAuthorization) !== undefined ? secretSetting(SETTINGS.vercelLogDrainAuthorization) : undefined;
    new vercel.LogDrain(
      `${name}-drain`,
      {
        name: `${v.project} runtime logs`,
        deliveryFormat: 'json',
        endpoint: `https://${drain.endpointHost.toLowerCase()}/`,
        environments: ['production'],
        sources: [...DRAIN_SOURCES],
        projectIds: [args.projectId],
        secret: this.secret,
        ...(authorization ? { headers: { Authorization: authorization } } : {}),
      },
      { parent: this, provider },
    );
    this.provisioned.claim('monitoring.logging');
    this.registerOutputs({ controls: this.provisioned.controls });
  }
}
