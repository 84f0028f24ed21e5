import type { TargetFamily } from '../types.js';
import { VERCEL_CHECKS } from './checks.js';
import type { VercelSnapshot } from './collect.js';
import { vercelCollector } from './collect.js';

export const vercelFamily: TargetFamily<VercelSnapshot> = { collector: vercelCollector, checks: VERCEL_CHECKS };

export * from './checks.js';
export { vercelCollector } from './collect.js';
export type { DeploymentInfo, DomainInfo, EnvValue, FirewallInfo, GitLink, ProjectInfo, UrlParts, VercelEnvVar, VercelSnapshot } from './collect.js';
export { VercelApiError } from './client.js';
