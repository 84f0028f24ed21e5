import { z } from 'zod';
import { supabaseKeyVars } from '../../spec/index.js';
import { notPostgresOn } from '../pg/provider.js';
import { probe } from '../probe.js';
import type { CollectContext, Collector, Probe } from '../types.js';
import type { AppEnv } from './app-keys.js';
import { readAppEnv } from './app-keys.js';
import { SupabaseClient } from './client.js';

/** An ISO timestamp as the Management API writes it, in epoch ms; anything else is a wrong answer. */
const stamp = z.string().refine((s) => !Number.isNaN(Date.parse(s)), { message: 'not a timestamp' }).transform((s) => Date.parse(s));
/** Listings are small (a month of daily backups, a few keys); more is a broken or hostile answer, never truncated. */
const MAX_ITEMS = 1000;
const cidrs = z.array(z.string().max(64)).max(MAX_ITEMS);

// Only the fields the checks read; the vendor's other fields are allowed and ignored.
const projectShape = z.object({ ref: z.string(), name: z.string(), status: z.string(), region: z.string().optional(), created_at: stamp });
const backupsShape = z.object({
  walg_enabled: z.boolean(),
  pitr_enabled: z.boolean(),
  backups: z.array(z.object({ is_physical_backup: z.boolean(), status: z.string(), inserted_at: stamp })).max(MAX_ITEMS),
  physical_backup_data: z.object({ earliest_physical_backup_date_unix: z.number().optional(), latest_physical_backup_date_unix: z.number().optional() }).optional(),
});
const restrictionsConfig = z.object({ dbAllowedCidrs: cidrs.optional(), dbAllowedCidrsV6: cidrs.optional() });
const networkShape = z.object({ entitlement: z.string(), config: restrictionsConfig, old_config: restrictionsConfig.optional(), status: z.string() });
const sslShape = z.object({ currentConfig: z.object({ database: z.boolean() }), appliedSuccessfully: z.boolean() });
const poolerShape = z
  .array(z.object({ database_type: z.string(), pool_mode: z.string(), connection_string: z.string(), default_pool_size: z.number().nullable(), max_client_conn: z.number().nullable() }))
  .max(MAX_ITEMS);
const keysShape = z.array(z.object({ name: z.string(), type: z.string().nullish(), api_key: z.string().nullish() })).max(MAX_ITEMS);

export interface SupabaseProject {
  readonly name: string;
  readonly status: string;
  readonly createdAt: number;
}

export interface Backups {
  readonly walgEnabled: boolean;
  readonly pitrEnabled: boolean;
  /** Daily backups, newest first. */
  readonly daily: readonly { readonly at: number; readonly status: string; readonly physical: boolean }[];
  /** The PITR window in epoch ms, when PITR reports one. */
  readonly pitrEarliest?: number;
  readonly pitrLatest?: number;
}

export interface NetworkRestrictions {
  /** Whether the plan lets the project restrict network access at all ("allowed" / "disallowed"). */
  readonly entitlement: string;
  /** "applied", or "stored" while a new config waits to be applied. */
  readonly status: string;
  /** The requested config; when status is stored, `inForce` is the one still applied (old_config), if known. */
  readonly requested: { readonly v4: readonly string[]; readonly v6: readonly string[] };
  readonly inForce: { readonly v4: readonly string[]; readonly v6: readonly string[] } | undefined;
}

export interface SslEnforcement {
  readonly database: boolean;
  readonly appliedSuccessfully: boolean;
}

export interface Pooler {
  readonly databaseType: string;
  readonly poolMode: string;
  /** host:port of the pooler's connection string (the password placeholder is not kept). */
  readonly endpoint: string;
  readonly defaultPoolSize: number | null;
  readonly maxClientConn: number | null;
}

/** The project's API keys: legacy JWTs (anon, service_role) and the newer publishable/secret keys. */
export interface ProjectKey {
  readonly name: string;
  readonly type: string;
  /** Revealed value; undefined when the token may not reveal it. Registered with the redactor. */
  readonly value: string | undefined;
}

export interface SupabaseSnapshot {
  readonly ref: string;
  readonly collectedAt: number;
  /** null: the Management API has no such project (or the token cannot see it). */
  readonly project: SupabaseProject | null;
  readonly backups: Probe<Backups>;
  readonly network: Probe<NetworkRestrictions>;
  readonly ssl: Probe<SslEnforcement>;
  readonly poolers: Probe<readonly Pooler[]>;
  readonly keys: Probe<readonly ProjectKey[]>;
  /** The app's production env on Vercel; undefined: the targets file cannot read Vercel. */
  readonly appEnv: Probe<AppEnv | undefined>;
}

const NO_PROJECT: Probe<never> = { ok: false, error: 'the project does not exist' };

function endpointOf(connection: string): string {
  if (!URL.canParse(connection)) return '(unparsable connection string)';
  const u = new URL(connection);
  return `${u.hostname}:${u.port || '5432'}`;
}

export const supabaseCollector: Collector<SupabaseSnapshot> = {
  target: 'supabase',
  applies(spec, targets) {
    const notHere = notPostgresOn(spec, 'supabase');
    if (notHere) return notHere;
    if (!targets.supabase) return 'No supabase entry in the targets file (projectRef, accessToken).';
    return undefined;
  },
  async collect(ctx: CollectContext): Promise<SupabaseSnapshot> {
    const target = ctx.targets.supabase;
    if (!target) throw new Error('the supabase family runs only when applies() found its target');
    ctx.redactor.add(target.accessToken);
    const client = new SupabaseClient(target, ctx.signal);
    const collectedAt = Date.now();
    const vars = supabaseKeyVars(ctx.spec);
    const appEnv = probe(() => readAppEnv([vars.anon, vars.serviceRole].filter((v): v is string => v !== undefined), vars.serviceRole, ctx));
    const p = await client.get('', projectShape, `the project ${target.projectRef}`, true);
    if (p === null) return { ref: target.projectRef, collectedAt, project: null, backups: NO_PROJECT, network: NO_PROJECT, ssl: NO_PROJECT, poolers: NO_PROJECT, keys: NO_PROJECT, appEnv: await appEnv };
    const [backups, network, ssl, poolers, keys] = await Promise.all([
      probe(async (): Promise<Backups> => {
        const b = (await client.get('/database/backups', backupsShape, 'the database backups'))!;
        const physical = b.physical_backup_data ?? {};
        return {
          walgEnabled: b.walg_enabled,
          pitrEnabled: b.pitr_enabled,
          daily: b.backups.map((x) => ({ at: x.inserted_at, status: x.status, physical: x.is_physical_backup })).sort((x, y) => y.at - x.at),
          ...(physical.earliest_physical_backup_date_unix !== undefined ? { pitrEarliest: physical.earliest_physical_backup_date_unix * 1000 } : {}),
          ...(physical.latest_physical_backup_date_unix !== undefined ? { pitrLatest: physical.latest_physical_backup_date_unix * 1000 } : {}),
        };
      }),
      probe(async (): Promise<NetworkRestrictions> => {
        const n = (await client.get('/network-restrictions', networkShape, 'the network restrictions'))!;
        const side = (c: z.output<typeof restrictionsConfig>) => ({ v4: c.dbAllowedCidrs ?? [], v6: c.dbAllowedCidrsV6 ?? [] });
        const requested = side(n.config);
        return { entitlement: n.entitlement, status: n.status, requested, inForce: n.status === 'applied' ? requested : n.old_config ? side(n.old_config) : undefined };
      }),
      probe(async (): Promise<SslEnforcement> => {
        const s = (await client.get('/ssl-enforcement', sslShape, 'the SSL enforcement setting'))!;
        return { database: s.currentConfig.database, appliedSuccessfully: s.appliedSuccessfully };
      }),
      probe(async (): Promise<Pooler[]> =>
        (await client.get('/config/database/pooler', poolerShape, 'the pooler (Supavisor) configuration'))!.map((x) => ({
          databaseType: x.database_type,
          poolMode: x.pool_mode,
          endpoint: endpointOf(x.connection_string),
          defaultPoolSize: x.default_pool_size,
          maxClientConn: x.max_client_conn,
        })),
      ),
      probe(async (): Promise<ProjectKey[]> => {
        const list = (await client.get('/api-keys?reveal=true', keysShape, 'the API keys'))!;
        // The anon and publishable keys are public (and would mask words such as "publishable"); the rest are secrets.
        for (const k of list) if (k.name !== 'anon' && k.type !== 'publishable') ctx.redactor.add(k.api_key);
        return list.map((k) => ({ name: k.name, type: k.type ?? 'legacy', value: k.api_key ?? undefined }));
      }),
    ]);
    return { ref: target.projectRef, collectedAt, project: { name: p.name, status: p.status, createdAt: p.created_at }, backups, network, ssl, poolers, keys, appEnv: await appEnv };
  },
};
