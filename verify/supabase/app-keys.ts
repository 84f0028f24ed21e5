import type { CollectContext } from '../types.js';
import { readProductionVars, type ProductionVar } from '../vercel/production-env.js';
import { isServiceRoleShaped } from './keys.js';

/** One production env var of the app as Vercel holds it. */
export type AppVar = ProductionVar;

/** The app's production env, reduced to what env.supabase-keys judges: the key vars and every NEXT_PUBLIC_* var. */
export interface AppEnv {
  readonly vars: ReadonlyMap<string, AppVar>;
}

const BROWSER = /^NEXT_PUBLIC_/;

/**
 * Reads the production values of `keys` and of every NEXT_PUBLIC_* var from Vercel (decrypted where Vercel
 * can). The service-role var's value and every service-role-shaped value are registered with the redactor;
 * public values (the anon or publishable key, URLs) are not: the redactor masks every 10-character run of
 * what it holds, and these would mask ordinary words ("publishable") across the report.
 * Undefined: the targets file cannot read Vercel.
 */
export async function readAppEnv(keys: readonly string[], secretKey: string | undefined, ctx: CollectContext): Promise<AppEnv | undefined> {
  const { redactor } = ctx;
  const vars = await readProductionVars((production) => [...keys, ...production.filter((k) => BROWSER.test(k))], ctx);
  if (vars === undefined) return undefined;
  for (const [key, v] of vars) if (v.kind === 'value' && (key === secretKey || isServiceRoleShaped(v.value))) redactor.add(v.value);
  return { vars };
}
