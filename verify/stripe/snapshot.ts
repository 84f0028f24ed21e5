import { fingerprint } from '../../report/redact.js';
import type { Probe } from '../types.js';
import type { AppWebhookSecret } from './app-secret.js';
import type { PaymentsView } from './payments.js';

export type KeyMode = 'live' | 'test' | 'unknown';

/** What verify may say about a key: its kind and mode from the prefix, and a fingerprint, never the value. */
export interface KeyInfo {
  readonly kind: 'secret' | 'restricted' | 'publishable' | 'unknown';
  readonly mode: KeyMode;
  readonly fingerprint: string;
}

export function keyInfo(key: string): KeyInfo {
  const m = /^(sk|rk|pk)_(live|test)_/.exec(key);
  const kinds = { sk: 'secret', rk: 'restricted', pk: 'publishable' } as const;
  return { kind: m ? kinds[m[1] as keyof typeof kinds] : 'unknown', mode: m ? (m[2] as 'live' | 'test') : 'unknown', fingerprint: fingerprint(key) };
}

export interface AccountView {
  readonly id: string;
  readonly chargesEnabled: boolean;
  readonly payoutsEnabled: boolean;
  readonly detailsSubmitted: boolean;
  readonly disabledReason: string | null;
}

export interface ProductView {
  readonly id: string;
  readonly name: string;
  readonly active: boolean;
  /** The spec product key the provisioning wrote into the product's metadata. */
  readonly key: string | null;
}

export interface PriceView {
  readonly id: string;
  readonly active: boolean;
  readonly livemode: boolean;
  readonly lookupKey: string | null;
  readonly currency: string;
  readonly unitAmount: number | null;
  readonly unitAmountDecimal: string | null;
  readonly interval: string | null;
  readonly usageType: string | null;
  readonly meter: string | null;
  readonly product: ProductView;
}

export interface EndpointView {
  readonly id: string;
  readonly url: string;
  readonly status: string;
  readonly livemode: boolean;
  readonly enabledEvents: readonly string[];
  readonly apiVersion: string | null;
  /** When Stripe created it (unix seconds): its signing secret was shown then and only then. */
  readonly created: number;
}

export interface FailedEvents {
  /** Events with failed or still pending webhook deliveries since `since`. */
  readonly count: number;
  /** More events may exist than were counted (the read stopped at its cap). */
  readonly capped: boolean;
  readonly sample: readonly { readonly id: string; readonly type: string }[];
  readonly windowHours: number;
}

export interface PortalView {
  readonly id: string;
  readonly active: boolean;
  readonly isDefault: boolean;
  readonly cancel: boolean;
  readonly planChange: boolean;
  readonly paymentMethodUpdate: boolean;
  readonly invoiceHistory: boolean;
}

export interface TaxRateView {
  readonly id: string;
  readonly active: boolean;
  readonly displayName: string;
  readonly percentage: number;
  readonly inclusive: boolean;
  readonly jurisdiction: string | null;
}

export interface PaymentMethodsView {
  readonly id: string;
  readonly active: boolean;
  readonly isDefault: boolean;
  /** display_preference.value per payment method type. */
  readonly methods: Readonly<Record<string, string>>;
}

export interface MeterView {
  readonly id: string;
  readonly eventName: string;
  readonly active: boolean;
}

export interface UsageView {
  readonly meter: string;
  readonly customer: string;
  readonly total: number;
  readonly windowHours: number;
}

/** The app's secret key and Stripe's answer to it: the mode of the data it reaches, or why it was refused. */
export interface AppKeyView {
  /** Which targets field held it. */
  readonly source: 'apiKey' | 'secretKey';
  readonly key: KeyInfo;
  readonly answer: Probe<{ readonly livemode: boolean } | { readonly refused: string }>;
}

export interface EnvPriceView {
  readonly envVar: string;
  readonly priceId: string;
  /** Null when Stripe has no such price. */
  readonly price: PriceView | null;
}

/** What verify saw of one Stripe account, gathered once with GET requests only. */
export interface StripeSnapshot {
  /** The API base URL. */
  readonly endpoint: string;
  /** The key verify read with. */
  readonly key: KeyInfo;
  readonly account: Probe<AccountView>;
  /** Prices holding the spec products' lookup keys, with their products. */
  readonly prices: Probe<readonly PriceView[]>;
  readonly webhookEndpoints: Probe<readonly EndpointView[]>;
  readonly failedEvents: Probe<FailedEvents>;
  readonly portalConfigurations: Probe<readonly PortalView[]>;
  /** Read only when the spec lists tax rates. */
  readonly taxRates?: Probe<readonly TaxRateView[]>;
  /** Read only when the spec turns on automatic tax. */
  readonly taxStatus?: Probe<string>;
  readonly paymentMethodConfigurations: Probe<readonly PaymentMethodsView[]>;
  /** Read only when the spec has metered prices. */
  readonly meters?: Probe<readonly MeterView[]>;
  /** Read only for metered prices when the targets name a usage customer. */
  readonly usage?: Probe<readonly UsageView[]>;
  readonly appKey: AppKeyView;
  readonly publishableKey?: KeyInfo;
  /** Read only when the targets map price env vars to ids. */
  readonly envPrices?: Probe<readonly EnvPriceView[]>;
  /** Read only when the spec sets stripe.payments. */
  readonly payments?: Probe<PaymentsView>;
  /** The production app's webhook secret var as Vercel holds it (env.stripe-webhook-secret, passive). */
  readonly appWebhookSecret?: Probe<AppWebhookSecret>;
}
