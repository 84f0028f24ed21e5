import * as pulumi from '@pulumi/pulumi';
import { MockMonitor } from '@pulumi/pulumi/runtime/mocks.js';
import { billingPortalOps, type BillingPortalArgs } from './billing-portal.js';
import { stripeProvider } from './dynamic.js';
import { meterOps, type MeterArgs } from './meters.js';
import { priceOps, type PriceArgs } from './prices.js';
import { productOps, type ProductArgs } from './products.js';
import { webhookEndpointOps, type WebhookEndpointArgs } from './webhook-endpoint.js';

/** How every Stripe resource reaches Stripe. */
export interface StripeConnectionArgs {
  /** A secret or restricted key that may write these objects; stored as a secret in the state. */
  readonly apiKey: pulumi.Input<string>;
  /** Another API base URL (the local Stripe API in tests and the sandbox). */
  readonly baseUrl?: pulumi.Input<string>;
}

/** Each field, and each element and member inside it, may be an Output (a product id inside the portal's product list). */
type DeepInput<T> = [T] extends [string | number | boolean | null | undefined]
  ? pulumi.Input<T>
  : [T] extends [readonly (infer U)[]]
    ? pulumi.Input<readonly DeepInput<U>[]>
    : pulumi.Input<{ readonly [K in keyof T]: DeepInput<T[K]> }>;
type Inputs<T> = { readonly [K in keyof T]: DeepInput<T[K]> };

const productProvider = stripeProvider(productOps);
const priceProvider = stripeProvider(priceOps);
const meterProvider = stripeProvider(meterOps);
const webhookEndpointProvider = stripeProvider(webhookEndpointOps);
const billingPortalProvider = stripeProvider(billingPortalOps);

/** The provider behind each resource type, as `pulumi up` serializes it into the state. */
export const STRIPE_PROVIDERS = {
  Product: productProvider,
  Price: priceProvider,
  BillingMeter: meterProvider,
  WebhookEndpoint: webhookEndpointProvider,
  BillingPortalConfiguration: billingPortalProvider,
} as const;

/**
 * Under pulumi.runtime.setMocks (program tests, `prodcheck gate`) no provider method ever runs, and test
 * runners that rewrite modules (vitest) cannot closure-serialize a provider: a mocked program registers
 * this placeholder instead, whose only method says why it must never be called.
 */
const MOCKED: pulumi.dynamic.ResourceProvider = {
  async create() {
    throw new Error('a Stripe resource of a mocked Pulumi program was asked to create a real object');
  },
};
const providerFor = (real: pulumi.dynamic.ResourceProvider): pulumi.dynamic.ResourceProvider => (pulumi.runtime.getMonitor() instanceof MockMonitor ? MOCKED : real);

/** Output properties must be named in the props (as undefined) for a dynamic resource to expose them. */
function props(args: StripeConnectionArgs & object, outputs: readonly string[]): pulumi.Inputs {
  return { ...Object.fromEntries(outputs.map((k) => [k, undefined])), ...args, apiKey: pulumi.secret(args.apiKey) };
}

function secretOutputs(opts: pulumi.CustomResourceOptions | undefined, names: readonly string[]): pulumi.CustomResourceOptions {
  return { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), 'apiKey', ...names] };
}

export class Product extends pulumi.dynamic.Resource {
  declare readonly key: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string | null>;
  declare readonly active: pulumi.Output<boolean>;
  declare readonly livemode: pulumi.Output<boolean>;

  constructor(name: string, args: StripeConnectionArgs & Inputs<ProductArgs>, opts?: pulumi.CustomResourceOptions) {
    super(providerFor(productProvider), name, props(args, ['active', 'livemode']), secretOutputs(opts, []), 'stripe', 'Product');
  }
}

/** A recurring price; changing its amount, currency, interval, usage type or meter replaces it (lookup key moved, old one deactivated). */
export class Price extends pulumi.dynamic.Resource {
  declare readonly key: pulumi.Output<string>;
  declare readonly productId: pulumi.Output<string>;
  declare readonly currency: pulumi.Output<string>;
  declare readonly unitAmount: pulumi.Output<number | null>;
  declare readonly unitAmountDecimal: pulumi.Output<string | null>;
  declare readonly interval: pulumi.Output<string>;
  declare readonly usageType: pulumi.Output<string>;
  declare readonly meterId: pulumi.Output<string | null>;
  declare readonly active: pulumi.Output<boolean>;
  declare readonly lookupKey: pulumi.Output<string | null>;
  declare readonly livemode: pulumi.Output<boolean>;

  constructor(name: string, args: StripeConnectionArgs & Inputs<PriceArgs>, opts?: pulumi.CustomResourceOptions) {
    super(providerFor(priceProvider), name, props(args, ['active', 'lookupKey', 'livemode']), secretOutputs(opts, []), 'stripe', 'Price');
  }
}

export class BillingMeter extends pulumi.dynamic.Resource {
  declare readonly eventName: pulumi.Output<string>;
  declare readonly displayName: pulumi.Output<string>;
  declare readonly aggregation: pulumi.Output<string>;
  declare readonly active: pulumi.Output<boolean>;
  declare readonly livemode: pulumi.Output<boolean>;

  constructor(name: string, args: StripeConnectionArgs & Inputs<MeterArgs>, opts?: pulumi.CustomResourceOptions) {
    super(providerFor(meterProvider), name, props(args, ['aggregation', 'active', 'livemode']), secretOutputs(opts, []), 'stripe', 'BillingMeter');
  }
}

/** The endpoint and its signing secret (`secret`, a secret output: wire it to STRIPE_WEBHOOK_SECRET). */
export class WebhookEndpoint extends pulumi.dynamic.Resource {
  declare readonly url: pulumi.Output<string>;
  declare readonly enabledEvents: pulumi.Output<string[]>;
  declare readonly apiVersion: pulumi.Output<string | null>;
  declare readonly status: pulumi.Output<string>;
  declare readonly livemode: pulumi.Output<boolean>;
  declare readonly secret: pulumi.Output<string>;

  constructor(name: string, args: StripeConnectionArgs & Inputs<WebhookEndpointArgs>, opts?: pulumi.CustomResourceOptions) {
    super(providerFor(webhookEndpointProvider), name, props(args, ['status', 'livemode', 'secret']), secretOutputs(opts, ['secret']), 'stripe', 'WebhookEndpoint');
  }
}

export class BillingPortalConfiguration extends pulumi.dynamic.Resource {
  declare readonly active: pulumi.Output<boolean>;
  declare readonly isDefault: pulumi.Output<boolean>;
  declare readonly livemode: pulumi.Output<boolean>;

  constructor(name: string, args: StripeConnectionArgs & Inputs<BillingPortalArgs>, opts?: pulumi.CustomResourceOptions) {
    super(providerFor(billingPortalProvider), name, props(args, ['active', 'isDefault', 'livemode', 'paymentMethodUpdate', 'invoiceHistory']), secretOutputs(opts, []), 'stripe', 'BillingPortalConfiguration');
  }
}
