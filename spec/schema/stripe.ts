import { z } from 'zod';
import { urlPath } from './common.js';

const priceSchema = z
  .strictObject({
    /** In the currency's minor unit, as Stripe takes it: 2000 is $20.00. */
    unitAmount: z.number().int().min(0).optional(),
    /** Sub-cent metered prices, as Stripe's unit_amount_decimal ("0.05"). */
    unitAmountDecimal: z.string().regex(/^\d+(\.\d{1,12})?$/, { message: 'must be a decimal number such as 0.05' }).optional(),
    currency: z.string().regex(/^[a-z]{3}$/, { message: 'must be a lower-case ISO currency code such as usd' }).default('usd'),
    interval: z.enum(['day', 'week', 'month', 'year']).default('month'),
    usageType: z.enum(['licensed', 'metered']).default('licensed'),
    /** Stripe Billing meter event name for metered prices. */
    meterEventName: z.string().optional(),
  })
  .superRefine((p, ctx) => {
    if ((p.unitAmount === undefined) === (p.unitAmountDecimal === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['unitAmount'], message: 'set exactly one of unitAmount (minor units, 2000 = $20.00) or unitAmountDecimal' });
    }
    if (p.usageType === 'metered' && p.meterEventName === undefined) {
      ctx.addIssue({ code: 'custom', path: ['meterEventName'], message: 'is required for a metered price (the Billing meter event the app reports)' });
    }
  });

export const stripeSchema = z
  .strictObject({
    products: z
      .array(
        z.strictObject({
          /** Stable key: the price's lookup key and the `stripe.price.<key>` env source. */
          key: z.string().regex(/^[a-z0-9_-]+$/, { message: 'must be lower-case letters, digits, - or _' }),
          name: z.string().min(1),
          description: z.string().optional(),
          price: priceSchema,
        }),
      )
      .default([]),
    webhook: z.strictObject({
      path: urlPath.default('/api/webhooks/stripe'),
      events: z.array(z.string().regex(/^([a-z_]+\.)+[a-z_]+$|^\*$/, { message: 'must be a Stripe event type such as invoice.paid' })).min(1),
      apiVersion: z.string().optional(),
      /** Failed deliveries allowed in the window before stripe.webhook.delivery fails. */
      maxFailedDeliveries: z.number().int().min(0).default(0),
      deliveryWindowHours: z.number().int().positive().default(24),
    }),
    billingPortal: z.strictObject({ enabled: z.boolean().default(true), allowCancel: z.boolean().default(true), allowPlanChange: z.boolean().default(true) }).optional(),
    automaticTax: z.boolean().default(false),
    taxRates: z.array(z.strictObject({ displayName: z.string(), percentage: z.number().min(0).max(100), inclusive: z.boolean().default(false), jurisdiction: z.string().optional() })).default([]),
    paymentMethods: z.array(z.string()).default(['card']),
    /** stripe.payments-flowing: recent live PaymentIntents must succeed; judged only when this is set. */
    payments: z
      .strictObject({
        /** How far back to look. */
        windowHours: z.number().int().positive().max(720).default(24),
        /** Finished payments (succeeded or failed) needed before judging; fewer is "no traffic yet", a skip. */
        minCount: z.number().int().positive().default(5),
        /** The largest share of finished payments that may fail (0.2: one in five). */
        maxFailureShare: z.number().min(0).max(1).default(0.2),
        /** Judge test-mode payments too (a stack that is not live yet); otherwise a test key is a skip. */
        allowTestMode: z.boolean().default(false),
      })
      .optional(),
  })
  .superRefine((s, ctx) => {
    const keys = new Set<string>();
    s.products.forEach((p, i) => {
      if (keys.has(p.key)) ctx.addIssue({ code: 'custom', path: ['products', i, 'key'], message: `"${p.key}" is used by two products` });
      keys.add(p.key);
    });
    if (s.webhook.events.includes('*')) {
      ctx.addIssue({ code: 'custom', path: ['webhook', 'events'], message: 'must list the events the app handles, not "*"' });
    }
  });

export type StripeSpec = z.output<typeof stripeSchema>;
export type StripeProductSpec = StripeSpec['products'][number];
