import type { TargetFamily } from '../types.js';
import { CHECKLY_CHECKS } from './checks.js';
import type { ChecklySnapshot } from './collect.js';
import { checklyCollector } from './collect.js';

/** External uptime on Checkly: an activated, alerting, passing check on the health route, and the public status page. */
export const checklyFamily: TargetFamily<ChecklySnapshot> = { collector: checklyCollector, checks: CHECKLY_CHECKS };

export * from './checks.js';
export { checklyCollector, sameEndpoint } from './collect.js';
export type { AlertChannel, CheckDetail, CheckStatus, ChecklySnapshot, Dashboard, UptimeCheck } from './collect.js';
