import type { Check } from '../types.js';
import type { VercelSnapshot } from './collect.js';
import { envRequiredVars, envSecretStrength, envSecretsManager, envTargets } from './env-checks.js';
import { envDatabaseUrl, envRedisUrl } from './env-url-checks.js';
import { envAdminEmails, envAppUrl, envBcryptRounds, envProductionMode } from './env-value-checks.js';
import { vercelStagingEnvironment } from './staging-checks.js';
import { monitoringApm } from './tracing-checks.js';
import { monitoringLogging, vercelLogsMarker, vercelLogsNoErrors } from './log-checks.js';
import { vercelDeploymentReady, vercelDomain, vercelFirewall, vercelGitIntegration, vercelProject, vercelRollbackTarget } from './project-checks.js';

export { envRequiredVars, envSecretStrength, envSecretsManager, envTargets } from './env-checks.js';
export { envDatabaseUrl, envRedisUrl } from './env-url-checks.js';
export { envAdminEmails, envAppUrl, envBcryptRounds, envProductionMode } from './env-value-checks.js';
export { vercelStagingEnvironment } from './staging-checks.js';
export { monitoringApm } from './tracing-checks.js';
export { monitoringLogging, vercelLogsMarker, vercelLogsNoErrors } from './log-checks.js';
export { vercelDeploymentReady, vercelDomain, vercelFirewall, vercelGitIntegration, vercelProject, vercelRollbackTarget } from './project-checks.js';

export const VERCEL_CHECKS: readonly Check<VercelSnapshot>[] = [
  vercelProject,
  vercelGitIntegration,
  vercelDomain,
  vercelFirewall,
  vercelDeploymentReady,
  vercelRollbackTarget,
  vercelLogsNoErrors,
  vercelLogsMarker,
  monitoringLogging,
  vercelStagingEnvironment,
  envRequiredVars,
  envTargets,
  envSecretsManager,
  envProductionMode,
  envAppUrl,
  envDatabaseUrl,
  envRedisUrl,
  envSecretStrength,
  envAdminEmails,
  envBcryptRounds,
  monitoringApm,
];
