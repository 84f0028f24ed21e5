import type { Check, Finding } from '../../types.js';
import type { StripeSnapshot } from '../snapshot.js';
import { cannot, isProduction, withStripe } from './common.js';

const notProduction = (what: string, env: string): Finding => ({ status: 'skip', message: `${what} is only required on a production stack (app.environment is ${env}).` });

export const stripeAccountLive: Check<StripeSnapshot> = {
  id: 'stripe.account.live',
  target: 'stripe',
  connectivity: true,
  evaluate: (s, spec) =>
    withStripe(spec, () => {
      if (!isProduction(spec)) return [notProduction('A Stripe account activated for live payments', spec.app.environment)];
      if (!s.account.ok) return [cannot('read the Stripe account', s.account.error)];
      const a = s.account.value;
      const problems = [
        ...(a.chargesEnabled ? [] : ['charges_enabled false']),
        ...(a.payoutsEnabled ? [] : ['payouts_enabled false']),
        ...(a.detailsSubmitted ? [] : ['details_submitted false']),
        ...(a.disabledReason ? [`requirements.disabled_reason ${a.disabledReason}`] : []),
        ...(s.key.mode === 'live' ? [] : [`a ${s.key.mode} key (${s.key.fingerprint})`]),
      ];
      const expected = 'charges_enabled, payouts_enabled and details_submitted true, with a live key';
      if (problems.length > 0) {
        return [{ status: 'fail', message: `Stripe account ${a.id} must be activated for live payments with a live key (found ${problems.join(', ')}).`, expected, actual: problems.join(', ') }];
      }
      return [{ status: 'pass', message: `Stripe account ${a.id} is activated for live payments (charges, payouts and details submitted) and the key is live.`, expected, actual: 'all true, live key' }];
    }),
};

export const envStripeSecretKey: Check<StripeSnapshot> = {
  id: 'env.stripe-secret-key',
  target: 'stripe',
  evaluate: (s, spec) =>
    withStripe(spec, () => {
      if (!isProduction(spec)) return [notProduction('A live STRIPE_SECRET_KEY', spec.app.environment)];
      const { key, answer, source } = s.appKey;
      const expected = 'a live secret or restricted key (sk_live_… or rk_live_…) that Stripe accepts';
      const fail = (found: string): Finding[] => [{ status: 'fail', message: `STRIPE_SECRET_KEY must be a live-mode key on a production stack (found ${found}).`, expected, actual: found }];
      if (key.kind !== 'secret' && key.kind !== 'restricted') return fail(`not a secret or restricted key: ${key.fingerprint}`);
      if (key.mode !== 'live') return fail(`a ${key.mode} key: ${key.fingerprint}`);
      if (!answer.ok) return [cannot(`check STRIPE_SECRET_KEY (targets stripe.${source}) with Stripe`, answer.error)];
      if ('refused' in answer.value) return fail(`${key.fingerprint}, which Stripe rejects: ${answer.value.refused}`);
      if (!answer.value.livemode) return fail(`${key.fingerprint}, which Stripe answers with test-mode data`);
      return [{ status: 'pass', message: `STRIPE_SECRET_KEY is a live-mode key that Stripe accepts (${key.fingerprint}).`, expected, actual: key.fingerprint }];
    }),
};

export const envStripePublishableKey: Check<StripeSnapshot> = {
  id: 'env.stripe-publishable-key',
  target: 'stripe',
  evaluate: (s, spec) =>
    withStripe(spec, () => {
      const key = s.publishableKey;
      if (key === undefined) {
        return [{ status: 'skip', message: "Skipped: targets stripe.publishableKey is not set (set it to the app's STRIPE_PUBLISHABLE_KEY, e.g. ${output:stripe.publishableKey})." }];
      }
      if (!isProduction(spec)) return [notProduction('A live STRIPE_PUBLISHABLE_KEY', spec.app.environment)];
      const expected = 'a live publishable key (pk_live_…)';
      if (key.kind === 'secret' || key.kind === 'restricted') {
        const actual = `a ${key.kind} key: ${key.fingerprint}`;
        return [{ status: 'fail', message: `STRIPE_PUBLISHABLE_KEY must be a publishable key, never a ${key.kind} key: it is shipped to browsers, so rotate that key (found ${actual}).`, expected, actual }];
      }
      if (key.kind !== 'publishable' || key.mode !== 'live') {
        const actual = key.kind === 'publishable' ? `a ${key.mode} key: ${key.fingerprint}` : `not a publishable key: ${key.fingerprint}`;
        return [{ status: 'fail', message: `STRIPE_PUBLISHABLE_KEY must be a live-mode publishable key on a production stack (found ${actual}).`, expected, actual }];
      }
      return [{ status: 'pass', message: `STRIPE_PUBLISHABLE_KEY is a live-mode publishable key (${key.fingerprint}).`, expected, actual: key.fingerprint }];
    }),
};
