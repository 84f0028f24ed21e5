import type { Check, Finding } from '../../types.js';
import type { StripeSnapshot } from '../snapshot.js';
import { cannot, isProduction, withStripe } from './common.js';

const pct = (x: number): string => `${Math.round(x * 1000) / 10}%`;

export const stripePaymentsFlowing: Check<StripeSnapshot> = {
  id: 'stripe.payments-flowing',
  target: 'stripe',
  evaluate: (s, spec) =>
    withStripe(spec, (stripe) => {
      const want = stripe.payments;
      if (!want || !s.payments) return [{ status: 'skip', message: 'Skipped: the stack sets no prodcheck:stripe.payments (windowHours, minCount, maxFailureShare) to judge live payments by.' }];
      if (!isProduction(spec) && !want.allowTestMode) return [{ status: 'skip', message: `Live payments are only judged on a production stack (app.environment is ${spec.app.environment}).` }];
      if (s.key.mode !== 'live' && !want.allowTestMode) {
        return [{ status: 'skip', message: `Skipped: targets stripe.apiKey is a ${s.key.mode} key (${s.key.fingerprint}), which sees no live payments; use a live read key, or set prodcheck:stripe.payments.allowTestMode to judge test payments.` }];
      }
      if (!s.payments.ok) return [cannot('read recent payments', s.payments.error)];
      const p = s.payments.value;
      const finished = p.succeeded + p.failed;
      const window = `the last ${p.windowHours} h`;
      const of = p.capped ? ` (the newest ${p.read} of more)` : '';
      const expected = `at least one success and at most ${pct(want.maxFailureShare)} failed`;
      if (finished < want.minCount) {
        return [
          {
            status: 'skip',
            message: `Only ${finished} payment${finished === 1 ? '' : 's'} finished in ${window} (${p.open} still open), fewer than prodcheck:stripe.payments.minCount (${want.minCount}): no traffic to judge yet, e.g. right after launch.`,
          },
        ];
      }
      const failedShare = p.failed / finished;
      const samples = p.sampleFailures.map((f) => `${f.id} ${f.code}`).join(', ');
      const actual = `${p.succeeded} succeeded, ${p.failed} failed (${pct(failedShare)})`;
      if (p.succeeded === 0) {
        return [{ status: 'fail', message: `No payment succeeded in ${window}${of}: all ${p.failed} finished payments failed (${samples}).`, expected, actual }];
      }
      if (failedShare > want.maxFailureShare) {
        const f: Finding = {
          status: 'fail',
          message: `${pct(failedShare)} of payments failed in ${window}${of} (${p.failed} of ${finished}; at most ${pct(want.maxFailureShare)} may): ${samples}.`,
          expected,
          actual,
        };
        return [f];
      }
      return [{ status: 'pass', message: `Payments are flowing: ${p.succeeded} of ${finished} finished payments in ${window}${of} succeeded (${pct(failedShare)} failed, at most ${pct(want.maxFailureShare)} allowed).`, expected, actual }];
    }),
};
