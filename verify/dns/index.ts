import type { TargetFamily } from '../types.js';
import { DNS_CHECKS } from './checks.js';
import type { DnsSnapshot } from './collect.js';
import { dnsCollector } from './collect.js';

export const dnsFamily: TargetFamily<DnsSnapshot> = { collector: dnsCollector, checks: DNS_CHECKS };

export * from './checks.js';
export { dnsCollector } from './collect.js';
export type { DnsSnapshot, MxAnswer, RecordType } from './collect.js';
