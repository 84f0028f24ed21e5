import type * as pulumi from '@pulumi/pulumi';
import { stripeClient, type StripeConnection } from './client.js';
import { UNKNOWN, type StripeOps } from './ops.js';

export type WithConnection<T> = T & StripeConnection;

/**
 * A pulumi.dynamic.ResourceProvider over one kind's StripeOps. The key travels in the inputs and the
 * state (kept secret by the resource), so read and delete can reach Stripe after a restart; the SDK is
 * loaded inside each call (stripeClient), so the serialized provider holds neither.
 */
export function stripeProvider<A extends object, S extends { readonly id: string }>(ops: StripeOps<A, S>): pulumi.dynamic.ResourceProvider<WithConnection<A>, WithConnection<S>> {
  const withConnection = (state: S, conn: StripeConnection): WithConnection<S> => ({ ...state, apiKey: conn.apiKey, ...(conn.baseUrl ? { baseUrl: conn.baseUrl } : {}) });
  return {
    async check(_olds, news) {
      const failures = [];
      if (typeof news.apiKey !== 'string' || (news.apiKey !== UNKNOWN && !/^(sk|rk)_(live|test)_/.test(news.apiKey))) {
        failures.push({ property: 'apiKey', reason: 'must be a Stripe secret or restricted key (sk_… or rk_…)' });
      }
      failures.push(...ops.check(news));
      return { inputs: news, failures };
    },
    async create(inputs) {
      const state = await ops.create(await stripeClient(inputs), inputs);
      return { id: state.id, outs: withConnection(state, inputs) };
    },
    async read(id, props) {
      if (!props?.apiKey) throw new Error(`cannot read Stripe object ${id} without an apiKey in its state (pulumi import is not supported: create it with the program)`);
      const state = await ops.read(await stripeClient(props), id, props);
      // No id: the object is gone, and refresh drops it from the state.
      return state ? { id: state.id, props: withConnection(state, props) } : {};
    },
    async diff(_id, olds, news) {
      const d = ops.diff(olds, news);
      const reconnect = olds.apiKey !== news.apiKey || (olds.baseUrl ?? '') !== (news.baseUrl ?? '');
      return { changes: d.changes || reconnect, replaces: d.replaces, deleteBeforeReplace: d.deleteBeforeReplace };
    },
    async update(id, olds, news) {
      const state = await ops.update(await stripeClient(news), id, olds, news);
      return { outs: withConnection(state, news) };
    },
    async delete(id, props) {
      await ops.delete(await stripeClient(props), id, props);
    },
  };
}
