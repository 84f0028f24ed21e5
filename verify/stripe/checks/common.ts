import { appUrl, type StackSpec, type StripeProductSpec, type StripeSpec } from '../../../spec/index.js';
import type { Finding } from '../../types.js';
import type { EndpointView, PriceView } from '../snapshot.js';

/** The runner only evaluates when the spec has a stripe section; this keeps evaluate total anyway. */
export function withStripe(spec: StackSpec, judge: (s: StripeSpec) => Finding[]): Finding[] {
  return spec.stripe ? judge(spec.stripe) : [{ status: 'skip', message: 'The stack config has no prodcheck:stripe section.' }];
}

export const cannot = (what: string, why: string): Finding => ({ status: 'error', message: `Could not ${what}: ${why}.` });

export const isProduction = (spec: StackSpec): boolean => spec.app.environment === 'production';

/** "2000 usd/month licensed": amounts in the currency's minor unit, as the spec and Stripe write them. */
export function specTerms(p: StripeProductSpec['price']): string {
  return `${p.unitAmount ?? p.unitAmountDecimal ?? '?'} ${p.currency}/${p.interval} ${p.usageType}`;
}

export function priceTerms(p: PriceView): string {
  const amount = p.unitAmount ?? p.unitAmountDecimal ?? 'no amount';
  return p.interval === null ? `${amount} ${p.currency} one-time` : `${amount} ${p.currency}/${p.interval} ${p.usageType ?? 'licensed'}`;
}

export function termsMatch(p: PriceView, want: StripeProductSpec['price']): boolean {
  const amount = want.unitAmount !== undefined ? p.unitAmount === want.unitAmount : p.unitAmountDecimal !== null && Number(p.unitAmountDecimal) === Number(want.unitAmountDecimal);
  return amount && p.currency === want.currency && p.interval === want.interval && (p.usageType ?? 'licensed') === want.usageType;
}

/** https://<app host><webhook path>: where Stripe must deliver. */
export function webhookUrl(spec: StackSpec, stripe: StripeSpec): string {
  return `${appUrl(spec.app).replace(/\/+$/, '')}${stripe.webhook.path}`;
}

/** The endpoint for the app's webhook URL (an enabled one when several share it). */
export function findEndpoint(endpoints: readonly EndpointView[], url: string): EndpointView | undefined {
  const matches = endpoints.filter((e) => e.url === url);
  return matches.find((e) => e.status === 'enabled') ?? matches[0];
}

export function listed(items: readonly string[], max = 3): string {
  return items.length > max ? `${items.slice(0, max).join(', ')}, …` : items.join(', ');
}
