import * as pulumi from '@pulumi/pulumi';
import type { StripeSpec } from '../../spec/index.js';
import { BillingMeter, BillingPortalConfiguration, Price, Product, WebhookEndpoint } from '../providers/stripe/resources.js';
import { ProvisionLog, provisions } from '../provisions.js';

export const BILLING = provisions('infra/components/billing.ts', ['stripe.products-prices', 'stripe.webhook.endpoint', 'stripe.webhook.events', 'stripe.billing-portal']);

export interface BillingArgs {
  readonly spec: StripeSpec;
  /** The API key (`env:STRIPE_SECRET_KEY`), a secret. */
  readonly apiKey: pulumi.Output<string>;
  /** https://<canonical host>: the webhook endpoint is this plus the spec's path; the portal returns here. */
  readonly appUrl: string;
}

/** The Stripe catalogue, webhook endpoint and billing portal of the spec, through the Stripe dynamic providers. */
export class Billing extends pulumi.ComponentResource {
  /** Price id by product key. */
  readonly priceIds: Readonly<Record<string, pulumi.Output<string>>>;
  /** The endpoint's signing secret (whsec_…), secret. */
  readonly webhookSecret: pulumi.Output<string>;
  readonly webhookEndpointId: pulumi.Output<string>;
  readonly provisioned = new ProvisionLog(BILLING);

  constructor(name: string, args: BillingArgs, opts?: pulumi.ComponentResourceOptions) {
    super('prodcheck:billing:Billing', name, {}, opts);
    const { spec } = args;
    const parent = { parent: this };
    const connection = { apiKey: args.apiKey };

    const prices: { product: Product; price: Price; key: string }[] = [];
    for (const p of spec.products) {
      const product = new Product(`${name}-${p.key}`, { ...connection, key: p.key, name: p.name, ...(p.description ? { description: p.description } : {}) }, parent);
      const meter =
        p.price.usageType === 'metered' && p.price.meterEventName
          ? new BillingMeter(`${name}-${p.key}-meter`, { ...connection, eventName: p.price.meterEventName, displayName: p.name }, parent)
          : undefined;
      const price = new Price(
        `${name}-${p.key}-price`,
        {
          ...connection,
          key: p.key,
          productId: product.id,
          currency: p.price.currency,
          ...(p.price.unitAmount !== undefined ? { unitAmount: p.price.unitAmount } : { unitAmountDecimal: p.price.unitAmountDecimal }),
          interval: p.price.interval,
          usageType: p.price.usageType,
          ...(meter ? { meterId: meter.id } : {}),
        },
        parent,
      );
      prices.push({ product, price, key: p.key });
    }
    this.priceIds = Object.fromEntries(prices.map((p) => [p.key, p.price.id]));
    if (prices.length > 0) this.provisioned.claim('stripe.products-prices');

    const webhook = new WebhookEndpoint(
      `${name}-webhook`,
      {
        ...connection,
        url: `${args.appUrl}${spec.webhook.path}`,
        enabledEvents: spec.webhook.events,
        ...(spec.webhook.apiVersion ? { apiVersion: spec.webhook.apiVersion } : {}),
        description: 'prodcheck: the app webhook',
      },
      parent,
    );
    this.webhookSecret = pulumi.secret(webhook.secret);
    this.webhookEndpointId = webhook.id;
    this.provisioned.claim('stripe.webhook.endpoint', 'stripe.webhook.events');

    if (spec.billingPortal?.enabled) {
      new BillingPortalConfiguration(
        `${name}-portal`,
        {
          ...connection,
          allowCancel: spec.billingPortal.allowCancel,
          allowPlanChange: spec.billingPortal.allowPlanChange,
          // Plan changes switch between the licensed prices; a metered price is not one a customer picks.
          products: pulumi.all(
            prices
              .filter((p) => spec.products.find((s) => s.key === p.key)?.price.usageType !== 'metered')
              .map((p) => pulumi.all([p.product.id, p.price.id]).apply(([product, price]) => ({ product, prices: [price] }))),
          ),
          returnUrl: args.appUrl,
        },
        parent,
      );
      this.provisioned.claim('stripe.billing-portal');
    }
    this.registerOutputs({ webhookEndpointId: this.webhookEndpointId, controls: this.provisioned.controls });
  }
}
