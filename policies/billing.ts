import { boolean, text, textList } from './lib/config.js';
import type { Violation } from './lib/define.js';
import { ofType, stackPolicy } from './lib/define.js';
import { envVars } from './lib/env-vars.js';
import { TYPES, describe } from './lib/resources.js';
import { keyClass } from './lib/secret-evidence.js';
import { asString, asStringList, isUnknown, quote } from './lib/values.js';

function endpointProblem(value: string, domain: string, path: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `url must be an absolute https:// URL (found ${quote(value)})`;
  }
  if (url.protocol !== 'https:') return `url must use https:// (found ${quote(value)})`;
  if (domain !== '' && url.hostname !== domain && url.hostname !== `www.${domain}`) return `url must be on the production domain ${domain} (found ${quote(value)})`;
  if (path !== '' && url.pathname !== path) return `url must end in the app's webhook route ${path} (found ${quote(value)})`;
  return undefined;
}

export const stripeWebhookEndpoint = stackPolicy({
  id: 'stripe.webhook.endpoint',
  remediation: 'Register the endpoint at https://<prodcheck:app.domain><prodcheck:stripe.webhook.path> with the billing component, so Stripe delivers to the production app.',
  config: {
    requireWebhook: boolean(false, 'The stack must register a Stripe webhook endpoint (true when it has a prodcheck:stripe section).'),
    domain: text('', 'The production domain (from prodcheck:app.domain); empty: only https is checked.'),
    path: text('', "The app's webhook route (from prodcheck:stripe.webhook.path); empty: any path."),
  },
  fromSpec: (spec) => ({ requireWebhook: spec.stripe !== undefined, domain: spec.app.domain, path: spec.stripe?.webhook.path ?? '' }),
  check(resources, config) {
    const endpoints = ofType(resources, TYPES.stripeWebhook);
    if (endpoints.length === 0) {
      if (!config.requireWebhook) return { notApplicable: 'the stack registers no Stripe webhook endpoint' };
      return [{ message: `the stack has a prodcheck:stripe section but registers no ${TYPES.stripeWebhook}, so Stripe events never reach the app` }];
    }
    const violations: Violation[] = [];
    for (const e of endpoints) {
      const url = asString(e.props.url);
      if (isUnknown(url)) continue;
      const problem = url === undefined ? 'url must be set (found no url)' : endpointProblem(url, config.domain, config.path);
      if (problem) violations.push({ resource: e, message: problem });
    }
    return violations;
  },
});

export const stripeWebhookEvents = stackPolicy({
  id: 'stripe.webhook.events',
  remediation:
    'List every event the handler needs in prodcheck:stripe.webhook.events; a stack that sells recurring prices must also receive customer.subscription.updated and customer.subscription.deleted to keep subscriptions in step.',
  config: {
    requiredEvents: textList([], 'Events the webhook handler needs (from prodcheck:stripe.webhook.events).'),
    subscriptionEvents: textList(['customer.subscription.updated', 'customer.subscription.deleted'], 'Events required whenever the stack creates a recurring price.'),
  },
  fromSpec: (spec) => ({ requiredEvents: spec.stripe?.webhook.events ?? [] }),
  check(resources, config) {
    const endpoints = ofType(resources, TYPES.stripeWebhook);
    if (endpoints.length === 0) return { notApplicable: 'the stack registers no Stripe webhook endpoint' };
    const recurring = ofType(resources, TYPES.stripePrice).some((p) => asString(p.props.interval) !== undefined);
    const required = [...new Set([...config.requiredEvents, ...(recurring ? config.subscriptionEvents : [])])];
    const violations: Violation[] = [];
    for (const e of endpoints) {
      const events = asStringList(e.props.enabledEvents);
      if (isUnknown(events) || events?.includes('*')) continue;
      const missing = required.filter((ev) => !(events ?? []).includes(ev));
      if (missing.length > 0) violations.push({ resource: e, message: `enabledEvents must include ${missing.join(', ')}${recurring ? ' (the stack sells recurring prices)' : ''}` });
    }
    return violations;
  },
});

export const envStripeWebhookSecret = stackPolicy({
  id: 'env.stripe-webhook-secret',
  remediation: 'Source STRIPE_WEBHOOK_SECRET from the webhook endpoint the stack registers (from: stripe.webhookSecret), so the app verifies signatures with the secret Stripe signs with.',
  config: { keys: textList(['STRIPE_WEBHOOK_SECRET'], 'Env vars holding the webhook signing secret.') },
  check(resources, config) {
    const vars = envVars(resources).filter((v) => config.keys.includes(v.key));
    if (vars.length === 0) return { notApplicable: `the stack sets none of ${config.keys.join(', ')}` };
    const violations: Violation[] = [];
    for (const v of vars) {
      const sources = v.resource.propertyDependencies.value ?? [];
      if (sources.some((s) => s.type === TYPES.stripeWebhook)) continue;
      if (sources.length > 0) {
        violations.push({ resource: v.resource, message: `${v.key} must come from the Stripe webhook endpoint's secret (found a value computed from ${sources.map(describe).join(', ')})` });
      } else if (typeof v.value === 'string' && !v.value.startsWith('whsec_')) {
        violations.push({ resource: v.resource, message: `${v.key} must come from the Stripe webhook endpoint's secret or be a signing secret (whsec_…) (found ${keyClass(v.value)})` });
      }
    }
    return violations;
  },
});

export const BILLING_POLICIES = [stripeWebhookEndpoint, stripeWebhookEvents, envStripeWebhookSecret];
