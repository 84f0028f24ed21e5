import type { Check, Finding } from '../../types.js';
import type { StripeSnapshot } from '../snapshot.js';
import { cannot, findEndpoint, isProduction, listed, webhookUrl, withStripe } from './common.js';

export const stripeWebhookEndpoint: Check<StripeSnapshot> = {
  id: 'stripe.webhook.endpoint',
  target: 'stripe',
  evaluate: (s, spec) =>
    withStripe(spec, (stripe) => {
      if (!s.webhookEndpoints.ok) return [cannot('read Stripe webhook endpoints', s.webhookEndpoints.error)];
      const url = webhookUrl(spec, stripe);
      const endpoints = s.webhookEndpoints.value;
      const production = isProduction(spec);
      const version = stripe.webhook.apiVersion;
      const expected = `an enabled${production ? ' live-mode' : ''} endpoint for ${url}${version ? ` on API version ${version}` : ''}`;
      const we = findEndpoint(endpoints, url);
      if (!we) {
        const found = endpoints.length === 0 ? 'no endpoints' : `endpoints for ${listed(endpoints.map((e) => e.url))}`;
        return [{ status: 'fail', message: `Stripe must have a webhook endpoint for ${url} (found ${found}).`, expected, actual: found, resource: url }];
      }
      const problems = [
        ...(we.status === 'enabled' ? [] : [`status ${we.status}`]),
        ...(production && !we.livemode ? ['a test-mode endpoint'] : []),
        ...(version && we.apiVersion !== version ? [`API version ${we.apiVersion ?? 'the account default'}`] : []),
      ];
      if (problems.length > 0) {
        return [
          {
            status: 'fail',
            message: `Stripe webhook endpoint ${we.id} for ${url} must be enabled${production ? ' in live mode' : ''}${version ? ` on API version ${version}` : ''} (found ${problems.join(', ')}).`,
            expected,
            actual: problems.join(', '),
            resource: url,
          },
        ];
      }
      return [{ status: 'pass', message: `Stripe webhook endpoint ${we.id} for ${url} is enabled${production ? ' in live mode' : ''}.`, expected, actual: `${we.id}: enabled`, resource: url }];
    }),
};

export const stripeWebhookEvents: Check<StripeSnapshot> = {
  id: 'stripe.webhook.events',
  target: 'stripe',
  evaluate: (s, spec) =>
    withStripe(spec, (stripe) => {
      if (!s.webhookEndpoints.ok) return [cannot('read Stripe webhook endpoints', s.webhookEndpoints.error)];
      const url = webhookUrl(spec, stripe);
      const we = findEndpoint(s.webhookEndpoints.value, url);
      if (!we) return [{ status: 'skip', message: `Skipped: no Stripe webhook endpoint for ${url} (see stripe.webhook.endpoint).` }];
      const required = stripe.webhook.events;
      const expected = required.join(', ');
      const actual = we.enabledEvents.join(', ');
      if (we.enabledEvents.includes('*')) {
        return [{ status: 'pass', message: `Stripe webhook endpoint ${we.id} receives every event (*), including the ${required.length} the app handles.`, expected, actual }];
      }
      const missing = required.filter((e) => !we.enabledEvents.includes(e));
      if (missing.length > 0) {
        return [{ status: 'fail', message: `Stripe webhook endpoint ${we.id} must receive every event the app handles (missing ${missing.join(', ')}).`, expected, actual }];
      }
      return [{ status: 'pass', message: `Stripe webhook endpoint ${we.id} receives all ${required.length} events the app handles.`, expected, actual }];
    }),
};

export const stripeWebhookDelivery: Check<StripeSnapshot> = {
  id: 'stripe.webhook.delivery',
  target: 'stripe',
  evaluate: (s, spec) =>
    withStripe(spec, (stripe): Finding[] => {
      if (!s.failedEvents.ok) return [cannot('read Stripe events with failed deliveries', s.failedEvents.error)];
      const f = s.failedEvents.value;
      const max = stripe.webhook.maxFailedDeliveries;
      const expected = `at most ${max} events with failed deliveries in ${f.windowHours} h`;
      const count = `${f.count}${f.capped ? '+' : ''}`;
      if (f.count > max) {
        const sample = f.sample.map((e) => `${e.id} ${e.type}`);
        return [
          {
            status: 'fail',
            message: `Stripe must have at most ${max} events with failed webhook deliveries in the last ${f.windowHours} h (found ${count}: ${sample.join(', ')}${f.count > sample.length ? ', …' : ''}).`,
            expected,
            actual: `${count} events`,
          },
        ];
      }
      return [{ status: 'pass', message: `Stripe has ${count} events with failed webhook deliveries in the last ${f.windowHours} h (at most ${max} allowed).`, expected, actual: `${count} events` }];
    }),
};
