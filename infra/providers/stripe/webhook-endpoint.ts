import type Stripe from 'stripe';
import { isMissing } from './client.js';
import { differing, UNKNOWN, type ProviderDiff, type StripeOps } from './ops.js';
import { createOnce } from './idempotency.js';

export interface WebhookEndpointArgs {
  /** https://<app host><webhook path> */
  readonly url: string;
  readonly enabledEvents: readonly string[];
  /** Fixed at creation; the account's default version when omitted. */
  readonly apiVersion?: string | undefined;
  readonly description?: string | undefined;
}

export interface WebhookEndpointState {
  readonly id: string;
  readonly url: string;
  readonly enabledEvents: string[];
  readonly apiVersion: string | null;
  readonly description: string | null;
  readonly status: string;
  readonly livemode: boolean;
  /** The signing secret (whsec_...): Stripe returns it on create only, so the state keeps it. */
  readonly secret: string;
}

const toState = (we: Stripe.WebhookEndpoint, secret: string): WebhookEndpointState => ({
  id: we.id,
  url: we.url,
  enabledEvents: [...we.enabled_events].sort(),
  apiVersion: we.api_version,
  description: we.description,
  status: we.status,
  livemode: we.livemode,
  secret,
});

export async function createWebhookEndpoint(stripe: Stripe, args: WebhookEndpointArgs): Promise<WebhookEndpointState> {
  const params: Stripe.WebhookEndpointCreateParams = {
    url: args.url,
    enabled_events: [...args.enabledEvents].sort() as Stripe.WebhookEndpointCreateParams.EnabledEvent[],
    ...(args.apiVersion ? { api_version: args.apiVersion as Stripe.WebhookEndpointCreateParams.ApiVersion } : {}),
    ...(args.description ? { description: args.description } : {}),
  };
  const we = await createOnce(
    'webhook-endpoint',
    params,
    (idempotencyKey) => stripe.webhookEndpoints.create(params, { idempotencyKey }),
    // A replay carries the secret of the first create; it is only good while that endpoint exists.
    async (replayed) => ((await readWebhookEndpoint(stripe, replayed.id, '')) ? replayed : undefined),
  );
  if (!we.secret) throw new Error(`Stripe created webhook endpoint ${we.id} without a signing secret`);
  return toState(we, we.secret);
}

/** The endpoint as Stripe has it now (with the secret kept from create), or undefined once deleted. */
export async function readWebhookEndpoint(stripe: Stripe, id: string, secret: string): Promise<WebhookEndpointState | undefined> {
  try {
    return toState(await stripe.webhookEndpoints.retrieve(id), secret);
  } catch (e) {
    if (isMissing(e)) return undefined;
    throw e;
  }
}

/**
 * URL, events and description update in place (a disabled endpoint is re-enabled). The API version is
 * fixed at creation, so a new one replaces the endpoint; without one, whatever version Stripe chose stays.
 */
export function diffWebhookEndpoint(olds: WebhookEndpointState, news: WebhookEndpointArgs): ProviderDiff {
  const desired = { ...news, enabledEvents: [...news.enabledEvents].sort() };
  const replaces = news.apiVersion !== undefined && news.apiVersion !== olds.apiVersion ? ['apiVersion'] : [];
  const updates = differing(olds, desired, ['url', 'enabledEvents', 'description']);
  return { changes: replaces.length + updates.length > 0 || olds.status !== 'enabled', replaces, deleteBeforeReplace: false };
}

export async function updateWebhookEndpoint(stripe: Stripe, id: string, secret: string, news: WebhookEndpointArgs): Promise<WebhookEndpointState> {
  const we = await stripe.webhookEndpoints.update(id, {
    url: news.url,
    enabled_events: [...news.enabledEvents].sort() as Stripe.WebhookEndpointUpdateParams.EnabledEvent[],
    description: news.description ?? '',
    disabled: false,
  });
  return toState(we, secret);
}

/** Deletes: a stale endpoint would keep receiving (and failing) deliveries. */
export async function deleteWebhookEndpoint(stripe: Stripe, id: string): Promise<void> {
  try {
    await stripe.webhookEndpoints.del(id);
  } catch (e) {
    if (!isMissing(e)) throw e;
  }
}

export const webhookEndpointOps: StripeOps<WebhookEndpointArgs, WebhookEndpointState> = {
  check: (a) => [
    // An app URL known only after deployment (preview) is checked when it is known.
    ...(a.url === UNKNOWN || /^https:\/\/[^/]+/.test(a.url) ? [] : [{ property: 'url', reason: 'must be an https:// URL (Stripe delivers live events over TLS only)' }]),
    ...(a.enabledEvents.length > 0 ? [] : [{ property: 'enabledEvents', reason: 'must list at least one event type' }]),
  ],
  create: createWebhookEndpoint,
  read: (stripe, id, state) => readWebhookEndpoint(stripe, id, state.secret),
  diff: diffWebhookEndpoint,
  update: (stripe, id, olds, news) => updateWebhookEndpoint(stripe, id, olds.secret, news),
  delete: (stripe, id) => deleteWebhookEndpoint(stripe, id),
};
