import * as pulumi from '@pulumi/pulumi';
import type { PostgresSpec } from '../../spec/index.js';
import { NeonProjectSettings } from '../providers/neon/index.js';

/** Neon keeps at most 30 days of history. */
const NEON_MAX_RETENTION_DAYS = 30;

export interface NeonDatabaseArgs {
  readonly spec: PostgresSpec;
  /** The Neon project (Vercel Postgres: the store's project), e.g. from `pulumi config set neon:projectId`. */
  readonly projectId: pulumi.Input<string>;
  /** A Neon API key that may change the project (`pulumi config set --secret neon:apiKey`). */
  readonly apiKey: pulumi.Input<string>;
  /** The production branch by name or id; default `main`. */
  readonly branch?: string;
  /** Another API root (the local Neon API in tests and the sandbox). */
  readonly baseUrl?: pulumi.Input<string>;
}

/**
 * The checklist's settings of a Neon-hosted Postgres (postgres.provider: neon): history retention from
 * postgres.backups.retentionDays (capped at Neon's 30 days), IP Allow from postgres.network.allowedCidrs,
 * and the production branch protected per postgres.deletionProtection. The project itself is Neon's (or
 * Vercel's integration's) to create; this component only holds it to the spec.
 */
export class NeonDatabase extends pulumi.ComponentResource {
  readonly settings: NeonProjectSettings;

  constructor(name: string, args: NeonDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super('prodcheck:database:NeonDatabase', name, {}, opts);
    const { spec } = args;
    this.settings = new NeonProjectSettings(
      `${name}-settings`,
      {
        apiKey: pulumi.secret(args.apiKey),
        ...(args.baseUrl !== undefined ? { baseUrl: args.baseUrl } : {}),
        projectId: args.projectId,
        historyRetentionSeconds: Math.min(spec.backups.retentionDays, NEON_MAX_RETENTION_DAYS) * 86_400,
        allowedIps: spec.network.publiclyAccessible ? [] : [...spec.network.allowedCidrs],
        branch: args.branch ?? 'main',
        protectBranch: spec.deletionProtection,
      },
      { parent: this },
    );
    this.registerOutputs({ branchId: this.settings.branchId });
  }
}
