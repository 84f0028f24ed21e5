import type { TargetFamily } from '../types.js';
import { RESEND_CHECKS } from './checks.js';
import type { ResendSnapshot } from './collect.js';
import { resendCollector } from './collect.js';

/** Transactional email on Resend: the key is valid and the sending domain is verified, in Resend and in DNS. */
export const resendFamily: TargetFamily<ResendSnapshot> = { collector: resendCollector, checks: RESEND_CHECKS };

export * from './checks.js';
export { recordFqdn, resendCollector } from './collect.js';
export type { ExpectedRecord, ResendDomainState, ResendSnapshot } from './collect.js';
