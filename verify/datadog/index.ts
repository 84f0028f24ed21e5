import type { TargetFamily } from '../types.js';
import { DATADOG_CHECKS } from './checks.js';
import type { DatadogSnapshot } from './collect.js';
import { datadogCollector } from './collect.js';

/** Datadog: the stack's SLOs defined with their targets (and their status read), its metric series flowing, its dashboards showing data. */
export const datadogFamily: TargetFamily<DatadogSnapshot> = { collector: datadogCollector, checks: DATADOG_CHECKS };

export * from './checks.js';
export { datadogCollector, sloNamed, statusKey, widgetQueries } from './collect.js';
export type { DashboardDetail, DashboardSummary, DatadogSlo, DatadogSnapshot, SeriesReading, SloStatus, WidgetQuery } from './collect.js';
