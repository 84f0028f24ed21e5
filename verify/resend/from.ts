import type { CollectContext } from '../types.js';
import { readProductionVar } from '../vercel/production-env.js';

/** The From address the production app sends with, as Vercel holds it. */
export type AppFrom =
  | { readonly kind: 'value'; readonly key: string; readonly address: string }
  | { readonly kind: 'unreadable'; readonly key: string; readonly reason: string }
  | { readonly kind: 'absent'; readonly key: string }
  | { readonly kind: 'no-vercel'; readonly key: string };

/** Reads the production value of the From var from Vercel (an address is not a secret; a sensitive var is write-only). */
export async function readAppFrom(key: string, ctx: CollectContext): Promise<AppFrom> {
  const v = await readProductionVar(key, ctx);
  if (v === undefined) return { kind: 'no-vercel', key };
  if (v.kind !== 'value') return { ...v, key };
  return { kind: 'value', key, address: v.value };
}
