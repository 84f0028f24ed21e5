import type { TargetFamily } from '../types.js';
import { HTTP_CHECKS } from './checks/index.js';
import { httpCollector } from './collect.js';
import type { HttpSnapshot } from './snapshot.js';

export type { HttpSnapshot } from './snapshot.js';
export { HttpUnreachableError } from './collect.js';
export * from './checks/index.js';

export const httpFamily: TargetFamily<HttpSnapshot> = { collector: httpCollector, checks: HTTP_CHECKS };
