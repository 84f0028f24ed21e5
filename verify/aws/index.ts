import type { TargetFamily } from '../types.js';
import { AWS_CHECKS } from './checks.js';
import type { AwsSnapshot } from './collect.js';
import { awsCollector } from './collect.js';

export const awsFamily: TargetFamily<AwsSnapshot> = { collector: awsCollector, checks: AWS_CHECKS };

export * from './checks.js';
export { awsCollector } from './collect.js';
export type { AwsSnapshot, IngressRule, NewestSnapshot, RdsInstance, RdsState, ReplicationGroup, Section } from './collect.js';
