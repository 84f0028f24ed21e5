import type Stripe from 'stripe';

/** How a provider reaches Stripe: the API key (a secret input) and, for tests and the sandbox, another base URL. */
export interface StripeConnection {
  readonly apiKey: string;
  /** e.g. http://127.0.0.1:12111 for the local Stripe API; the real API when omitted. */
  readonly baseUrl?: string | undefined;
}

/**
 * The official SDK, loaded inside the call: a dynamic provider is serialized into the Pulumi state, and
 * a module or key captured in its closure would be serialized with it.
 */
export async function stripeClient(conn: StripeConnection): Promise<Stripe> {
  const { default: StripeSdk } = await import('stripe');
  let target = {};
  if (conn.baseUrl) {
    const u = new URL(conn.baseUrl);
    const protocol = u.protocol === 'http:' ? 'http' : 'https';
    target = { host: u.hostname, port: Number(u.port || (protocol === 'http' ? 80 : 443)), protocol };
  }
  // Creates carry idempotency keys, so the SDK's own retries of a failed connection cannot double-create.
  return new StripeSdk(conn.apiKey, { ...target, maxNetworkRetries: 2, timeout: 30_000, telemetry: false, appInfo: { name: 'prodcheck' } });
}

/** True for Stripe's "No such <object>" answer: the object was deleted (or never existed in this mode). */
export function isMissing(e: unknown): boolean {
  const err = e as { statusCode?: unknown; code?: unknown };
  return err?.statusCode === 404 && err.code === 'resource_missing';
}
