import type { Check } from '../../types.js';
import type { PgSnapshot } from '../snapshot.js';
import { pgConnectivity } from './connectivity.js';
import { pgMigrations, pgSchemaTables, pgSchemaFunctions, pgIndexes } from './schema.js';
import { pgRls, pgGrantsLeastPrivilege, pgGrantsAppendOnly } from './access.js';
import { pgConnectionPooling } from './pooling.js';
import { pgQueryLatency, pgDataCredentialsHashed } from './stats.js';

export { pgConnectivity } from './connectivity.js';
export { pgMigrations, pgSchemaTables, pgSchemaFunctions, pgIndexes } from './schema.js';
export { pgRls, pgGrantsLeastPrivilege, pgGrantsAppendOnly } from './access.js';
export { pgConnectionPooling } from './pooling.js';
export { pgQueryLatency, pgDataCredentialsHashed } from './stats.js';

export const PG_CHECKS: readonly Check<PgSnapshot>[] = [
  pgConnectivity,
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
];
