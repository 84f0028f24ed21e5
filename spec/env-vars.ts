import type { EnvVarSpec, StackSpec } from './schema/index.js';

export const ADMIN_EMAILS_KEY = 'ADMIN_EMAILS';
export const BCRYPT_ROUNDS_KEY = 'BCRYPT_ROUNDS';

/**
 * The env vars the stack provisions, in spec order: feature-gated ones only while their feature is on,
 * plus ADMIN_EMAILS and BCRYPT_ROUNDS from prodcheck:env.adminEmails / bcryptRounds unless the vars
 * declare them.
 */
export function activeVars(spec: StackSpec): [string, EnvVarSpec][] {
  const declared = Object.entries(spec.env.vars).filter(([, v]) => v.feature === undefined || spec.env.features[v.feature] === true);
  const literal = (value: string): EnvVarSpec => ({ from: 'value', value, secret: false, targets: ['production'], forbiddenTargets: [] });
  const derived: [string, EnvVarSpec][] = [];
  if (spec.env.adminEmails.length > 0 && !(ADMIN_EMAILS_KEY in spec.env.vars)) derived.push([ADMIN_EMAILS_KEY, literal(spec.env.adminEmails.join(','))]);
  if (spec.env.bcryptRounds !== undefined && !(BCRYPT_ROUNDS_KEY in spec.env.vars)) derived.push([BCRYPT_ROUNDS_KEY, literal(String(spec.env.bcryptRounds))]);
  return [...declared, ...derived];
}
