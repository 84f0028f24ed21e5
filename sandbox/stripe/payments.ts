import type Stripe from 'stripe';
import type { StripeSpec } from '../../spec/index.js';

/**
 * Customer payments as the app's checkout makes them: PaymentIntents confirmed at once with Stripe's test
 * cards. Healthy: one decline in ten, within any sensible failure budget. Failing: eight in ten declined.
 */
export async function seedPayments(stripe: Stripe, payments: NonNullable<StripeSpec['payments']>, failing: boolean): Promise<void> {
  const total = Math.max(10, payments.minCount * 2);
  const declined = failing ? Math.ceil(total * 0.8) : payments.maxFailureShare >= 0.1 ? Math.floor(total / 10) : 0;
  for (let i = 0; i < total; i++) {
    const decline = i < declined;
    await stripe.paymentIntents
      .create({ amount: 2900, currency: 'usd', payment_method: decline ? 'pm_card_chargeDeclined' : 'pm_card_visa', confirm: true, automatic_payment_methods: { enabled: true, allow_redirects: 'never' } })
      .catch((e: unknown) => {
        // A decline is the point of this payment; anything else is a sandbox bug.
        if (!decline || (e as { type?: unknown }).type !== 'StripeCardError') throw e;
      });
  }
}
