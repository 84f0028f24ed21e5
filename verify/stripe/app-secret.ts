import { createHash } from 'node:crypto';
import type { CollectContext } from '../types.js';
import type { StackSpec } from '../../spec/index.js';
import { readProductionVar } from '../vercel/production-env.js';

/**
 * The production app's webhook signing secret as Vercel holds it. The value never enters the snapshot: only
 * its sha256, and the sha256 of the endpoint's secret the targets name (http.webhookSecret), to compare by.
 * `setAt`: when the var was last set (ms), when Vercel says.
 */
export type AppWebhookSecret =
  | { readonly kind: 'value'; readonly key: string; readonly sha256: string; readonly expectedSha256: string | undefined; readonly setAt?: number }
  | { readonly kind: 'unreadable'; readonly key: string; readonly reason: string; readonly setAt?: number }
  | { readonly kind: 'absent'; readonly key: string }
  /** The targets file cannot read Vercel: nothing to judge. */
  | { readonly kind: 'no-vercel'; readonly key: string };

/** The env var the app verifies Stripe events with: the one env.vars sources `from: stripe.webhookSecret`. */
export function webhookSecretVar(spec: StackSpec): string {
  return Object.entries(spec.env.vars).find(([, v]) => v.from === 'stripe.webhookSecret')?.[0] ?? 'STRIPE_WEBHOOK_SECRET';
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Reads the production webhook secret var from Vercel; both secrets are registered with the redactor before anything else. */
export async function readAppWebhookSecret(ctx: CollectContext): Promise<AppWebhookSecret> {
  const { spec, targets, redactor } = ctx;
  const key = webhookSecretVar(spec);
  const expected = targets.http?.webhookSecret;
  redactor.add(expected);
  const v = await readProductionVar(key, ctx);
  if (v === undefined) return { kind: 'no-vercel', key };
  if (v.kind !== 'value') return { ...v, key };
  redactor.add(v.value);
  return { kind: 'value', key, sha256: sha256(v.value), expectedSha256: expected === undefined ? undefined : sha256(expected), ...(v.setAt !== undefined ? { setAt: v.setAt } : {}) };
}
