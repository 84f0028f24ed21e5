import type { StackSpec } from '../../spec/index.js';
import { SUPABASE_DEFAULTS, supabaseKeyVars } from '../../spec/index.js';
import type { SupabaseApiServer } from '../../test/fixtures/supabase-api/index.js';
import { startSupabaseApi } from '../../test/fixtures/supabase-api/index.js';
import { FaultNotPlantableError, plantFault } from '../fault.js';
import type { SandboxContext, SandboxFamily, SandboxRunning } from '../types.js';
import { stopOnError } from '../stop-on-error.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** The output that hands the Vercel sandbox a `from: config` var's value (as the Sentry family does for its DSN). */
const envOutput = (key: string): string => `env.${key}`;

/** Each fault breaks one control of the project's settings and nothing else the family judges. */
const FAULTS: Readonly<Record<string, (api: SupabaseApiServer, spec: StackSpec) => void>> = {
  // The PITR add-on was removed (a plan downgrade): daily backups go on, point-in-time recovery is gone.
  'pg.backups.enabled': (api, spec) => {
    if (!(spec.supabase ?? SUPABASE_DEFAULTS).pitr) throw new FaultNotPlantableError('pg.backups.enabled', 'the stack does not ask for point-in-time recovery (prodcheck:supabase.pitr), and switching every backup off would also fail pg.backups.recent');
    api.state.pitrEnabled = false;
  },
  // A Pro plan's window: a week of daily backups and a 7-day PITR window, not the 30 days asked.
  'pg.backups.retention': (api) => {
    api.state.backups = api.state.backups.slice(0, 7);
    api.state.pitrEarliest = Date.now() - 7 * DAY;
  },
  // WAL archiving stalled two days ago and the last two nightly backups failed.
  'pg.backups.recent': (api) => {
    const now = Date.now();
    api.state.backups = [
      { status: 'FAILED', at: now - 5 * HOUR, physical: true },
      { status: 'FAILED', at: now - 29 * HOUR, physical: true },
      ...api.state.backups.map((b) => ({ ...b, at: b.at - 48 * HOUR })),
    ];
    api.state.pitrLatest = now - 50 * HOUR;
  },
  // Network restrictions back at Supabase's default: every IPv4 and IPv6 address may connect.
  'pg.network-access': (api) => {
    api.state.restrictions = { v4: ['0.0.0.0/0'], v6: ['::/0'], status: 'applied' };
  },
  // SSL enforcement switched off (it is off on every new project until someone turns it on).
  'pg.connectivity': (api) => {
    api.state.ssl = { database: false, appliedSuccessfully: true };
  },
  // The pooler moved to session mode: every client holds a server connection for its whole session.
  'pg.connection-pooling': (api, spec) => {
    if (!api.state.pooler) throw new FaultNotPlantableError('pg.connection-pooling', 'the project has no pooler');
    api.state.pooler.poolMode = (spec.supabase ?? SUPABASE_DEFAULTS).poolMode === 'transaction' ? 'session' : 'transaction';
  },
  // Planted in start(): the app's public anon-key var gets the service-role key.
  'env.supabase-keys': (_api, spec) => {
    const vars = supabaseKeyVars(spec);
    if (vars.anon === undefined || !vars.anon.startsWith('NEXT_PUBLIC_')) throw new FaultNotPlantableError('env.supabase-keys', 'the stack declares no NEXT_PUBLIC_* anon-key var to put the service-role key in');
  },
};

/** The project ref: prodcheck:supabase.projectRef, else the one an @supabase/ssr session cookie (sb-<ref>-auth-token) names. */
function refOf(spec: StackSpec): string | undefined {
  return spec.supabase?.projectRef ?? /^sb-([a-z]{20})-auth-token$/.exec(spec.http.sessionCookie ?? '')?.[1];
}

/**
 * A local Supabase Management API holding the stack's project with the settings `pulumi up` applies: a
 * month of daily backups and PITR, network restrictions to postgres.network.allowedCidrs, SSL enforcement
 * as postgres.tls asks, the Supavisor pooler in the stack's pool mode, and the project's anon and
 * service-role keys handed to the Vercel project. It is the control plane only: the database the pg
 * family checks is the sandbox's local Postgres, which these settings do not reach (its TLS, pg_hba and
 * pgbouncer are the pg sandbox's own). Phase 1, so the Vercel project gets the keys.
 */
export const supabaseSandbox: SandboxFamily = {
  name: 'supabase',
  phase: 1,
  applies: (spec) => spec.postgres?.provider === 'supabase',
  breakable: Object.keys(FAULTS),
  async start(spec: StackSpec, ctx: SandboxContext, breaks: ReadonlySet<string>): Promise<SandboxRunning> {
    const pg = spec.postgres;
    if (!pg) throw new Error('the supabase sandbox started for a stack without a prodcheck:postgres section (applies() says so)');
    const ref = refOf(spec);
    const api = await startSupabaseApi(ref !== undefined ? { ref } : {});
    return stopOnError(api, async () => {
      api.state.restrictions = { v4: [...pg.network.allowedCidrs], v6: [], status: 'applied' };
      api.state.ssl = { database: pg.tls, appliedSuccessfully: true };
      if (api.state.pooler) api.state.pooler.poolMode = (spec.supabase ?? SUPABASE_DEFAULTS).poolMode;
      for (const control of breaks) {
        await plantFault(control, () => FAULTS[control]?.(api, spec));
        ctx.log(`supabase: planted the ${control} fault`);
      }
      const vars = supabaseKeyVars(spec);
      const anon = breaks.has('env.supabase-keys') ? api.serviceRoleKey : api.anonKey;
      const urlVar = Object.keys(spec.env.vars).find((k) => /(?:^|_)SUPABASE_URL$/.test(k));
      return {
        targets: { supabase: { projectRef: api.ref, accessToken: api.token, baseUrl: api.url, timeoutMs: 10_000 } },
        secrets: [api.token, api.serviceRoleKey],
        outputs: {
          ...(urlVar ? { [envOutput(urlVar)]: `https://${api.ref}.supabase.co` } : {}),
          ...(vars.anon ? { [envOutput(vars.anon)]: anon } : {}),
          ...(vars.serviceRole ? { [envOutput(vars.serviceRole)]: api.serviceRoleKey } : {}),
        },
        describe: [
          `supabase  ${api.url} (local Supabase Management API, project ${api.ref}: backups, network restrictions, SSL enforcement, pooler, API keys) — the token is in the targets file; the database itself is the local Postgres above`,
        ],
        stop: () => api.stop(),
      };
    });
  },
};
