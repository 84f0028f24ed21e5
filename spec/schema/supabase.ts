import { z } from 'zod';
import { envKey } from './common.js';

/** A Supabase project ref: the 20 lower-case letters of `https://<ref>.supabase.co`. */
export const supabaseRef = z.string().regex(/^[a-z]{20}$/, { message: 'must be a Supabase project ref (20 lower-case letters, as in https://<ref>.supabase.co)' });

/**
 * `prodcheck:supabase`: what the stack asks of its Supabase project beyond `prodcheck:postgres`
 * (which already says retention, network allow list, TLS and pooling). Optional: the defaults apply
 * to every stack whose `postgres.provider` is supabase.
 */
export const supabaseSchema = z.strictObject({
  /** The project to provision settings on; verify reads it from the targets file (supabase.projectRef). */
  projectRef: supabaseRef.optional(),
  /** Point-in-time recovery (the PITR add-on, WAL archiving) must be on, not only the daily backups. */
  pitr: z.boolean().default(false),
  /** The Supavisor pool mode the app's pooled connections use. */
  poolMode: z.enum(['transaction', 'session']).default('transaction'),
  /** The env var with the anon (or publishable) key; default: the declared var ending in SUPABASE_ANON_KEY or SUPABASE_PUBLISHABLE_KEY. */
  anonKeyVar: envKey.optional(),
  /** The env var with the service-role (or secret) key; default: the declared var ending in SUPABASE_SERVICE_ROLE_KEY, SUPABASE_SERVICE_KEY or SUPABASE_SECRET_KEY. */
  serviceRoleKeyVar: envKey.optional(),
});

export type SupabaseSpec = z.output<typeof supabaseSchema>;

/** The settings that apply when the stack has no prodcheck:supabase section. */
export const SUPABASE_DEFAULTS: SupabaseSpec = supabaseSchema.parse({});

const ANON = /(?:^|_)SUPABASE_(?:ANON|PUBLISHABLE)_KEY$/;
const SERVICE = /(?:^|_)SUPABASE_(?:SERVICE_ROLE|SERVICE|SECRET)_KEY$/;

/** The env vars holding the project's keys: as prodcheck:supabase names them, else by the usual names among env.vars. */
export function supabaseKeyVars(spec: { readonly supabase?: SupabaseSpec | undefined; readonly env: { readonly vars: Readonly<Record<string, unknown>> } }): { readonly anon: string | undefined; readonly serviceRole: string | undefined } {
  const keys = Object.keys(spec.env.vars);
  return {
    anon: spec.supabase?.anonKeyVar ?? keys.find((k) => ANON.test(k)),
    serviceRole: spec.supabase?.serviceRoleKeyVar ?? keys.find((k) => SERVICE.test(k)),
  };
}
