import * as pulumi from '@pulumi/pulumi';
import type { PostgresSpec, SupabaseSpec } from '../../spec/index.js';
import { SUPABASE_DEFAULTS } from '../../spec/index.js';
import { ProjectSettings } from '../providers/supabase/index.js';

export interface SupabaseDatabaseArgs {
  readonly postgres: PostgresSpec;
  readonly supabase: SupabaseSpec | undefined;
  /** The existing project (https://<ref>.supabase.co): supabase.projectRef, or a config value. */
  readonly projectRef: pulumi.Input<string>;
  /** A Management API token that may change the project's settings (secret). */
  readonly accessToken: pulumi.Input<string>;
  /** The local Management API in tests and the sandbox. */
  readonly baseUrl?: pulumi.Input<string>;
}

/**
 * The database settings the checklist asks of a Supabase project: network restrictions to
 * postgres.network.allowedCidrs (none over IPv6; every address only when publiclyAccessible), SSL
 * enforcement as postgres.tls says, and Supavisor in supabase.poolMode when pooling is on. The project
 * itself (and its plan, backups and PITR add-on) is created and paid for in the dashboard: the
 * Management API has no idempotent create for it, and verify checks backups and PITR.
 */
export class SupabaseDatabase extends pulumi.ComponentResource {
  readonly settings: ProjectSettings;

  constructor(name: string, args: SupabaseDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super('prodcheck:supabase:SupabaseDatabase', name, {}, opts);
    const pg = args.postgres;
    const open = pg.network.publiclyAccessible;
    const poolMode = pg.pooling.enabled && pg.pooling.kind === 'supabase' ? (args.supabase ?? SUPABASE_DEFAULTS).poolMode : undefined;
    this.settings = new ProjectSettings(
      `${name}-settings`,
      {
        projectRef: args.projectRef,
        accessToken: args.accessToken,
        ...(args.baseUrl !== undefined ? { baseUrl: args.baseUrl } : {}),
        dbAllowedCidrs: open ? ['0.0.0.0/0'] : [...pg.network.allowedCidrs],
        dbAllowedCidrsV6: open ? ['::/0'] : [],
        sslEnforced: pg.tls,
        ...(poolMode !== undefined ? { poolMode } : {}),
      },
      { parent: this },
    );
    this.registerOutputs({ projectRef: this.settings.projectRef });
  }
}
