import type Stripe from 'stripe';
import { canonicalJson } from './idempotency.js';

export { UNKNOWN } from '../unknown.js';

/** The result of `diff`, shaped as pulumi.dynamic.DiffResult (free of @pulumi, so the sandbox can use it too). */
export interface ProviderDiff {
  readonly changes: boolean;
  /** Inputs whose change needs a new Stripe object. */
  readonly replaces: string[];
  /** Whether the old object must go before the new one is created (e.g. a unique name both would hold). */
  readonly deleteBeforeReplace: boolean;
}

export interface CheckFailure {
  readonly property: string;
  readonly reason: string;
}

/**
 * The CRUD of one kind of Stripe object as plain functions over a client: the Pulumi dynamic provider
 * (resources.ts) wraps them, and the sandbox calls them directly.
 */
export interface StripeOps<A, S extends { readonly id: string }> {
  check(args: A): CheckFailure[];
  create(stripe: Stripe, args: A): Promise<S>;
  /** The live object, or undefined once it is gone. */
  read(stripe: Stripe, id: string, state: S): Promise<S | undefined>;
  diff(olds: S, news: A): ProviderDiff;
  update(stripe: Stripe, id: string, olds: S, news: A): Promise<S>;
  delete(stripe: Stripe, id: string, state: S): Promise<void>;
}

/** The fields among `fields` whose desired value differs from the current one; undefined and null both mean "unset". */
export function differing<K extends string>(current: Readonly<Record<K, unknown>>, desired: Readonly<Partial<Record<K, unknown>>>, fields: readonly K[]): K[] {
  return fields.filter((f) => canonicalJson(current[f] ?? null) !== canonicalJson(desired[f] ?? null));
}
