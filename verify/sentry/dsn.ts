import type { CollectContext } from '../types.js';
import { readProductionVar } from '../vercel/production-env.js';

/** The DSN the production app reports to, as Vercel holds it. */
export type AppDsn =
  | { readonly kind: 'value'; readonly key: string; readonly dsn: string }
  | { readonly kind: 'unreadable'; readonly key: string; readonly reason: string }
  | { readonly kind: 'absent'; readonly key: string }
  /** The targets file cannot read Vercel: nothing to judge. */
  | { readonly kind: 'no-vercel'; readonly key: string };

export { dsnVarOf } from '../../spec/index.js';

/**
 * Reads the production value of the DSN var from Vercel. A sensitive var is write-only there; the DSN is
 * not a secret (it ships in the browser bundle), but when stored as sensitive it cannot be compared.
 */
export async function readAppDsn(key: string, ctx: CollectContext): Promise<AppDsn> {
  const { redactor } = ctx;
  const v = await readProductionVar(key, ctx);
  if (v === undefined) return { kind: 'no-vercel', key };
  if (v.kind !== 'value') return { ...v, key };
  // A DSN's public key is public by design, but a DSN with a secret part (legacy) must never be printed.
  redactor.add(v.value);
  return { kind: 'value', key, dsn: v.value };
}
