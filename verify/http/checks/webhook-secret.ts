/** env.stripe-webhook-secret, judged by the app itself: does it verify events with the registered endpoint's secret? */
import type { Check, Finding } from '../../types.js';
import type { HttpSnapshot, ResponseInfo } from '../snapshot.js';
import type { Probe } from '../../types.js';
import { SIGNATURE_REJECTED } from './access.js';

const accepted = (p: Probe<ResponseInfo>) => p.ok && p.value.status >= 200 && p.value.status < 300;

export const envStripeWebhookSecret: Check<HttpSnapshot> = {
  id: 'env.stripe-webhook-secret',
  target: 'http',
  // Judged only from the signed test event, which is sent with --active: a passive run (and drift) cannot judge it.
  active: true,
  evaluate(s, spec) {
    const w = s.webhook;
    const key = Object.entries(spec.env.vars).find(([, v]) => v.from === 'stripe.webhookSecret')?.[0] ?? 'STRIPE_WEBHOOK_SECRET';
    const resource = key;
    if (!w) return [{ status: 'skip', message: 'The stack has no prodcheck:stripe section: no webhook endpoint whose secret the app must hold.' }];
    if (!w.signed.sent) {
      return [{ status: 'skip', resource, message: `Not judged: ${w.signed.reason}. The app's ${key} is compared with the registered endpoint's signing secret by sending it an event signed with that secret (--active and targets http.webhookSecret).` }];
    }
    // If the app takes events nobody signed, its accepting ours proves nothing about the secret it holds.
    if (accepted(w.unsigned) || accepted(w.forged)) {
      return [{ status: 'skip', resource, message: `Not judged: ${w.path} accepts events without a valid signature (see http.webhook.endpoint), so accepting one signed with the endpoint's secret says nothing about ${key}.` }];
    }
    const r = w.signed.response;
    if (!r.ok) return [{ status: 'error', resource, message: `Could not POST the signed test event to ${w.path}: ${r.error}.` }];
    const { status } = r.value;
    const shown: Finding = { status: 'pass', resource, expected: '2xx', actual: String(status), message: '' };
    if (status >= 200 && status < 300) {
      return [{ ...shown, message: `${w.path} accepts an event signed with the registered endpoint's signing secret (${status}): the app's ${key} is that endpoint's secret.` }];
    }
    if (SIGNATURE_REJECTED.has(status)) {
      return [{ ...shown, status: 'fail', message: `${w.path} rejects an event signed with the registered endpoint's signing secret (${status}): the app's ${key} is not that endpoint's secret, so every real Stripe event fails verification.` }];
    }
    return [{ ...shown, status: 'error', message: `Could not tell which secret the app holds: the event signed with the endpoint's secret got ${status}, neither accepted nor a signature rejection.` }];
  },
};
