import { describe, expect, it } from 'vitest';
import { envStripeWebhookSecret } from '../../../verify/http/checks/index.js';
import type { HttpSnapshot, ResponseInfo } from '../../../verify/http/snapshot.js';
import { judge, ok, res } from './fixture.js';

type Webhook = NonNullable<HttpSnapshot['webhook']>;
const webhook = (signed: Webhook['signed'], unsigned: ResponseInfo = res(400), forged: ResponseInfo = res(400)) => (s: HttpSnapshot) => ({
  webhook: { ...(s.webhook as Webhook), unsigned: ok(unsigned), forged: ok(forged), signed },
});
const signedGets = (status: number): Webhook['signed'] => ({ sent: true, eventType: 'balance.available', response: ok(res(status)) });

describe('env.stripe-webhook-secret: the app verifies events with the registered endpoint\'s signing secret', () => {
  it('passes when the app accepts an event signed with that secret and rejects unsigned and forged ones', () => {
    expect(judge(envStripeWebhookSecret)).toEqual([
      ['pass', "/api/webhooks/stripe accepts an event signed with the registered endpoint's signing secret (200): the app's STRIPE_WEBHOOK_SECRET is that endpoint's secret."],
    ]);
  });

  it("fails when the app rejects the endpoint's own signature: it holds another secret", () => {
    expect(judge(envStripeWebhookSecret, webhook(signedGets(400)))).toEqual([
      [
        'fail',
        "/api/webhooks/stripe rejects an event signed with the registered endpoint's signing secret (400): the app's STRIPE_WEBHOOK_SECRET is not that endpoint's secret, so every real Stripe event fails verification.",
      ],
    ]);
  });

  it('never passes on evidence that proves nothing: an app that takes unsigned events, a 429, a probe not sent', () => {
    expect(judge(envStripeWebhookSecret, webhook(signedGets(200), res(200)))[0]?.[0]).toBe('skip');
    expect(judge(envStripeWebhookSecret, webhook(signedGets(429)))).toEqual([
      ['error', "Could not tell which secret the app holds: the event signed with the endpoint's secret got 429, neither accepted nor a signature rejection."],
    ]);
    expect(judge(envStripeWebhookSecret, webhook({ sent: false, reason: 'the signed test event is sent only with --active' }))).toEqual([
      [
        'skip',
        "Not judged: the signed test event is sent only with --active. The app's STRIPE_WEBHOOK_SECRET is compared with the registered endpoint's signing secret by sending it an event signed with that secret (--active and targets http.webhookSecret).",
      ],
    ]);
  });
});
