import type { Check, Finding } from '../../types.js';
import type { PortalView, StripeSnapshot, TaxRateView } from '../snapshot.js';
import { cannot, withStripe } from './common.js';

type PortalFeatures = Pick<PortalView, 'cancel' | 'planChange' | 'paymentMethodUpdate' | 'invoiceHistory'>;
const FEATURE_NAMES: Readonly<Record<keyof PortalFeatures, string>> = {
  cancel: 'cancellation',
  planChange: 'plan changes',
  paymentMethodUpdate: 'payment method updates',
  invoiceHistory: 'invoice history',
};
const FEATURES = Object.keys(FEATURE_NAMES) as (keyof PortalFeatures)[];
const describe = (f: PortalFeatures, only = FEATURES): string => only.map((k) => `${FEATURE_NAMES[k]} ${f[k] ? 'on' : 'off'}`).join(', ');

export const stripeBillingPortal: Check<StripeSnapshot> = {
  id: 'stripe.billing-portal',
  target: 'stripe',
  evaluate: (s, spec) =>
    withStripe(spec, (stripe) => {
      const bp = stripe.billingPortal;
      if (!bp) return [{ status: 'skip', message: 'The stack config does not ask for the Stripe billing portal (no stripe.billingPortal).' }];
      if (!bp.enabled) return [{ status: 'skip', message: 'The Stripe billing portal is not required (stripe.billingPortal.enabled is false).' }];
      if (!s.portalConfigurations.ok) return [cannot('read Stripe billing portal configurations', s.portalConfigurations.error)];
      const want: PortalFeatures = { cancel: bp.allowCancel, planChange: bp.allowPlanChange, paymentMethodUpdate: true, invoiceHistory: true };
      const expected = describe(want);
      const active = s.portalConfigurations.value.filter((c) => c.active).sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
      if (active.length === 0) return [{ status: 'fail', message: 'Stripe must have an active billing portal configuration (found none).', expected, actual: 'none active' }];
      const differs = (c: PortalView) => FEATURES.filter((k) => c[k] !== want[k]);
      const match = active.find((c) => differs(c).length === 0);
      if (match) {
        return [{ status: 'pass', message: `Stripe billing portal configuration ${match.id}${match.isDefault ? ' (the default)' : ''} is active with ${expected}.`, expected, actual: describe(match) }];
      }
      const best = active[0] as PortalView;
      return [{ status: 'fail', message: `Stripe billing portal configuration ${best.id} must have ${expected} (found ${describe(best, differs(best))}).`, expected, actual: describe(best) }];
    }),
};

const rateTerms = (r: { percentage: number; inclusive: boolean; jurisdiction?: string | null | undefined }): string =>
  `${r.percentage}% ${r.inclusive ? 'inclusive' : 'exclusive'}${r.jurisdiction ? ` in ${r.jurisdiction}` : ''}`;

export const stripeTaxRates: Check<StripeSnapshot> = {
  id: 'stripe.tax-rates',
  target: 'stripe',
  evaluate: (s, spec) =>
    withStripe(spec, (stripe) => {
      if (stripe.taxRates.length === 0 && !stripe.automaticTax) {
        return [{ status: 'skip', message: 'The stack config requires neither tax rates nor Stripe Tax (stripe.taxRates is empty, stripe.automaticTax is false).' }];
      }
      const findings: Finding[] = [];
      if (stripe.automaticTax) {
        const status = s.taxStatus;
        if (!status?.ok) findings.push({ ...cannot('read the Stripe Tax settings', status?.error ?? 'they were not collected'), resource: 'Stripe Tax' });
        else if (status.value === 'active') findings.push({ status: 'pass', message: 'Stripe Tax is active.', expected: 'active', actual: status.value, resource: 'Stripe Tax' });
        else findings.push({ status: 'fail', message: `Stripe Tax must be active (found status ${status.value}).`, expected: 'active', actual: status.value, resource: 'Stripe Tax' });
      }
      if (stripe.taxRates.length === 0) return findings;
      if (!s.taxRates?.ok) return [...findings, cannot('read Stripe tax rates', s.taxRates?.error ?? 'they were not collected')];
      const rates = s.taxRates.value;
      for (const want of stripe.taxRates) {
        const expected = rateTerms(want);
        const resource = want.displayName;
        const same = (r: TaxRateView) => r.percentage === want.percentage && r.inclusive === want.inclusive && (want.jurisdiction === undefined || r.jurisdiction === want.jurisdiction);
        const named = rates.filter((r) => r.displayName === want.displayName);
        const match = named.find((r) => r.active && same(r));
        if (match) {
          findings.push({ status: 'pass', message: `Stripe tax rate "${want.displayName}" is active: ${expected} (${match.id}).`, expected, actual: rateTerms(match), resource });
          continue;
        }
        const best = named.find((r) => r.active) ?? named[0];
        const found = best ? `${best.id}: ${[...(best.active ? [] : ['inactive']), ...(same(best) ? [] : [rateTerms(best)])].join(', ')}` : 'none with that name';
        findings.push({ status: 'fail', message: `Stripe must have an active tax rate "${want.displayName}" of ${expected} (found ${found}).`, expected, actual: found, resource });
      }
      return findings;
    }),
};

export const stripePaymentMethods: Check<StripeSnapshot> = {
  id: 'stripe.payment-methods',
  target: 'stripe',
  evaluate: (s, spec) =>
    withStripe(spec, (stripe) => {
      const wanted = stripe.paymentMethods;
      if (wanted.length === 0) return [{ status: 'skip', message: 'The stack config lists no payment methods (stripe.paymentMethods is empty).' }];
      if (!s.paymentMethodConfigurations.ok) return [cannot('read Stripe payment method configurations', s.paymentMethodConfigurations.error)];
      const expected = `${wanted.join(', ')} on`;
      const config = s.paymentMethodConfigurations.value.find((c) => c.isDefault);
      if (!config) return [{ status: 'fail', message: 'Stripe must have a default payment method configuration (found none).', expected, actual: 'none' }];
      const off = wanted.filter((m) => config.methods[m] !== 'on').map((m) => `${m} ${config.methods[m] ?? 'unavailable'}`);
      if (!config.active) off.unshift('the configuration inactive');
      const actual = Object.entries(config.methods)
        .filter(([, v]) => v === 'on')
        .map(([m]) => m)
        .join(', ');
      if (off.length > 0) {
        return [{ status: 'fail', message: `Stripe's default payment method configuration ${config.id} must turn on ${wanted.join(', ')} (found ${off.join(', ')}).`, expected, actual: `on: ${actual}` }];
      }
      return [{ status: 'pass', message: `Stripe's default payment method configuration ${config.id} turns on ${wanted.join(', ')}.`, expected, actual: `on: ${actual}` }];
    }),
};
