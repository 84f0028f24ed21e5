import type { StackSpec } from '../../spec/index.js';

type PostgresProvider = NonNullable<StackSpec['postgres']>['provider'];

/** Why a provider's family does not apply (an applies() answer); undefined when the stack's Postgres runs on `provider`. */
export function notPostgresOn(spec: StackSpec, provider: PostgresProvider): string | undefined {
  const actual = spec.postgres?.provider;
  if (actual === provider) return undefined;
  return actual ? `The stack's Postgres provider is ${actual}, not ${provider}.` : 'The stack has no prodcheck:postgres section.';
}
