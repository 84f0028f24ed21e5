import type Stripe from 'stripe';
import { isMissing } from './client.js';
import { differing, type ProviderDiff, type StripeOps } from './ops.js';
import { createOnce } from './idempotency.js';

/** Product metadata naming the spec product (its `key`), so verify and the Dashboard can tell which it is. */
export const KEY_METADATA = 'prodcheck_key';

export interface ProductArgs {
  /** The spec product's key. */
  readonly key: string;
  readonly name: string;
  readonly description?: string | undefined;
}

export interface ProductState {
  readonly id: string;
  readonly key: string;
  readonly name: string;
  readonly description: string | null;
  readonly active: boolean;
  readonly livemode: boolean;
}

const toState = (p: Stripe.Product): ProductState => ({
  id: p.id,
  key: p.metadata[KEY_METADATA] ?? '',
  name: p.name,
  description: p.description,
  active: p.active,
  livemode: p.livemode,
});

export async function createProduct(stripe: Stripe, args: ProductArgs): Promise<ProductState> {
  const params: Stripe.ProductCreateParams = { name: args.name, metadata: { [KEY_METADATA]: args.key }, ...(args.description ? { description: args.description } : {}) };
  const product = await createOnce(
    'product',
    params,
    (idempotencyKey) => stripe.products.create(params, { idempotencyKey }),
    async (replayed) => {
      const current = await stripe.products.retrieve(replayed.id);
      return current.active ? current : undefined;
    },
  );
  return toState(product);
}

/** The product as Stripe has it now, or undefined when it was deleted: what `pulumi refresh` records. */
export async function readProduct(stripe: Stripe, id: string): Promise<ProductState | undefined> {
  try {
    return toState(await stripe.products.retrieve(id));
  } catch (e) {
    if (isMissing(e)) return undefined;
    throw e;
  }
}

/** Name and description are updated in place; the key names another spec product, so it is a new one. An archived product is reactivated. */
export function diffProduct(olds: ProductState, news: ProductArgs): ProviderDiff {
  const replaces = differing(olds, news, ['key']);
  const updates = differing(olds, news, ['name', 'description']);
  return { changes: replaces.length + updates.length > 0 || !olds.active, replaces, deleteBeforeReplace: false };
}

export async function updateProduct(stripe: Stripe, id: string, news: ProductArgs): Promise<ProductState> {
  // An empty description unsets it.
  return toState(await stripe.products.update(id, { name: news.name, description: news.description ?? '', active: true, metadata: { [KEY_METADATA]: news.key } }));
}

/** Archives: a product with prices cannot be deleted, and subscriptions may still refer to it. */
export async function deleteProduct(stripe: Stripe, id: string): Promise<void> {
  try {
    await stripe.products.update(id, { active: false });
  } catch (e) {
    if (!isMissing(e)) throw e;
  }
}

export const productOps: StripeOps<ProductArgs, ProductState> = {
  check: (a) => (a.name ? [] : [{ property: 'name', reason: 'must not be empty' }]),
  create: createProduct,
  read: (stripe, id) => readProduct(stripe, id),
  diff: diffProduct,
  update: (stripe, id, _olds, news) => updateProduct(stripe, id, news),
  delete: (stripe, id) => deleteProduct(stripe, id),
};
