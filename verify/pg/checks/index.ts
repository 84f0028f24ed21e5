import type { Check } from '../../types.js';
import type { PgSnapshot } from '../snapshot.js';
import { pgConnectivity } from './connectivity.js';
import { pgMigrations, pgSchemaTables, pgSchemaFunctions, pgIndexes } from './schema.js';
import { pgGrantsLeastPrivilege, pgGrantsAppendOnly } from './access.js';
import { pgRls } from './rls.js';
import { pgConnectionPooling } from './pooling.js';
import { pgQueryLatency, pgDataCredentialsHashed } from './stats.js';

export { pgConnectivity } from './connectivity.js';
export { pgMigrations, pgSchemaTables, pgSchemaFunctions, pgIndexes } from './schema.js';
export { pgGrantsLeastPrivilege, pgGrantsAppendOnly } from './access.js';
export { pgRls } from './rls.js';
export { pgConnectionPooling } from './pooling.js';
export { pgQueryLatency, pgDataCredentialsHashed } from './stats.js';

/** When the verifier could not log in (a server without TLS), pg.connectivity says why and the rest skip. */
function unlessUnreached(check: Check<PgSnapshot>): Check<PgSnapshot> {
  return { ...check, evaluate: (s, spec) => (s.unreached !== undefined ? [{ status: 'skip', message: `skipped: postgres could not be read: ${s.unreached}.` }] : check.evaluate(s, spec)) };
}

export const PG_CHECKS: readonly Check<PgSnapshot>[] = [
  pgConnectivity,
  ...[
  pgMigrations,
  pgSchemaTables,
  pgSchemaFunctions,
  pgIndexes,
  pgRls,
  pgGrantsLeastPrivilege,
  pgGrantsAppendOnly,
  pgConnectionPooling,
  pgQueryLatency,
  pgDataCredentialsHashed,
  ].map(unlessUnreached),
];
