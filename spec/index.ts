export * from './schema/index.js';
export { ConfigError, UsageError, formatPath } from './errors.js';
export type { ConfigProblem } from './errors.js';
export { loadStackFile, parseStackConfig, stackFile, stackNameOf, NAMESPACE } from './load.js';
export type { LoadedStack } from './load.js';
export { loadTargets, loadOutputs, resolveTargets, targetsSchema, urlSecrets } from './targets.js';
export type { LoadedTargets, Targets } from './targets.js';
export { activeVars, ADMIN_EMAILS_KEY, BCRYPT_ROUNDS_KEY, provisionedTracingVars, tracingVars } from './env-vars.js';
