import type { TargetFamily } from '../types.js';
import { SENTRY_CHECKS } from './checks.js';
import type { SentrySnapshot } from './collect.js';
import { sentryCollector } from './collect.js';

/** Error tracking and alerting on Sentry: the project takes events, the app's DSN is its, alerts page someone. */
export const sentryFamily: TargetFamily<SentrySnapshot> = { collector: sentryCollector, checks: SENTRY_CHECKS };

export * from './checks.js';
export { sentryCollector } from './collect.js';
export type { AlertRule, SentryKey, SentrySnapshot } from './collect.js';
