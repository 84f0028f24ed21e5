/**
 * env.stripe-webhook-secret judged without acting, so that drift can re-run it: does the production app's
 * secret var belong to the registered endpoint? (The --active signed test event in verify/http judges it too.)
 */
import type { Check, Finding } from '../../types.js';
import type { StripeSnapshot } from '../snapshot.js';
import { webhookSecretVar } from '../app-secret.js';
import { cannot, findEndpoint, webhookUrl, withStripe } from './common.js';

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export const envStripeWebhookSecret: Check<StripeSnapshot> = {
  id: 'env.stripe-webhook-secret',
  target: 'stripe',
  evaluate: (s, spec) =>
    withStripe(spec, (stripe): Finding[] => {
      const key = webhookSecretVar(spec);
      const resource = key;
      const read = s.appWebhookSecret;
      if (!read) return [{ status: 'error', resource, message: `Could not read ${key} from Vercel: the collector did not ask for it.` }];
      if (!read.ok) return [{ status: 'error', resource, message: `Could not read ${key} from Vercel: ${read.error}.` }];
      const app = read.value;
      if (app.kind === 'no-vercel') return [{ status: 'skip', resource, message: `Not judged: the targets file has no vercel section, so ${key} as the production app holds it was not read.` }];
      if (!s.webhookEndpoints.ok) return [{ ...cannot('read Stripe webhook endpoints', s.webhookEndpoints.error), resource }];
      const url = webhookUrl(spec, stripe);
      const we = findEndpoint(s.webhookEndpoints.value, url);
      if (!we) return [{ status: 'skip', resource, message: `Not judged: no Stripe webhook endpoint for ${url} (see stripe.webhook.endpoint), so no signing secret for ${key} to belong to.` }];
      const fix = `Set ${key} for production to endpoint ${we.id}'s signing secret (the stack output stripeWebhookSecret) and redeploy.`;
      if (app.kind === 'absent') {
        return [{ status: 'fail', resource, message: `The production env has no ${key}: the app cannot verify the events Stripe webhook endpoint ${we.id} sends. ${fix}`, expected: `${key} set for production`, actual: 'absent' }];
      }
      const createdMs = we.created * 1000;
      // Stripe shows an endpoint's secret only in the response that creates it: a var last set before then cannot hold it.
      if (app.setAt !== undefined && app.setAt < createdMs) {
        return [
          {
            status: 'fail',
            resource,
            message: `${key} was last set in production at ${iso(app.setAt)}, before Stripe webhook endpoint ${we.id} for ${url} was created at ${iso(createdMs)}: Stripe shows a signing secret only when it creates the endpoint, so ${key} holds an older secret and every event fails verification. ${fix}`,
            expected: `set at or after ${iso(createdMs)}`,
            actual: `set at ${iso(app.setAt)}`,
          },
        ];
      }
      const timing =
        app.setAt === undefined
          ? `Vercel did not say when ${key} was last set`
          : `it was last set at ${iso(app.setAt)}, after endpoint ${we.id} was created at ${iso(createdMs)}, so it is not certainly stale`;
      if (app.kind === 'unreadable') {
        return [
          {
            status: 'skip',
            resource,
            message: `Not judged whether ${key} holds the signing secret of Stripe webhook endpoint ${we.id}: ${app.reason}. Only its age was judged: ${timing}. The --active signed test event judges the value.`,
          },
        ];
      }
      if (app.expectedSha256 === undefined) {
        return [
          {
            status: 'skip',
            resource,
            message: `Not judged whether ${key} holds the signing secret of Stripe webhook endpoint ${we.id}: the targets name no secret to compare it with (set targets http.webhookSecret, e.g. \${output:stripeWebhookSecret}). Only its age was judged: ${timing}.`,
          },
        ];
      }
      if (app.sha256 !== app.expectedSha256) {
        return [
          {
            status: 'fail',
            resource,
            message: `${key} in production is not the signing secret of Stripe webhook endpoint ${we.id} (the one targets http.webhookSecret names; neither value is shown): every event fails verification. ${fix}`,
            expected: 'the endpoint signing secret',
            actual: 'another value',
          },
        ];
      }
      return [
        {
          status: 'pass',
          resource,
          message: `${key} in production is the signing secret of Stripe webhook endpoint ${we.id} (compared with targets http.webhookSecret; neither value is shown).`,
          expected: 'the endpoint signing secret',
          actual: 'the endpoint signing secret',
        },
      ];
    }),
};
