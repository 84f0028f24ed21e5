import type { TargetFamily } from '../types.js';
import { HTTP_CHECKS } from './checks.js';
import { httpCollector } from './collect.js';
import type { HttpSnapshot } from './snapshot.js';

export type { HttpSnapshot } from './snapshot.js';
export { HttpUnreachableError } from './collect.js';
export * from './checks.js';

export const httpFamily: TargetFamily<HttpSnapshot> = { collector: httpCollector, checks: HTTP_CHECKS };
