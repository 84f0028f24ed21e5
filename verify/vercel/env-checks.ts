import { activeVars, isSecretVar } from '../../spec/index.js';
import type { Finding } from '../types.js';
import { generatedSecretKeys } from './env-keys.js';
import { digestOf, entryFor, envCheck, lengthOf, relevantKeys, showList, skip, targetsOf } from './env-lookup.js';

const MIN_SECRET_LENGTH = 32;

export const envRequiredVars = envCheck('env.required-vars', (envs, spec) => {
  // Declared vars (feature-gated ones reported as skipped while off) and the ones the stack derives (ADMIN_EMAILS...).
  const vars = [...Object.entries(spec.env.vars), ...activeVars(spec).filter(([k]) => !(k in spec.env.vars))];
  if (vars.length === 0) return skip('The stack declares no env vars (prodcheck:env.vars).');
  return vars.map(([key, v]): Finding => {
    if (v.feature !== undefined && spec.env.features[v.feature] !== true) {
      return { status: 'skip', resource: key, message: `${key} is not required: feature "${v.feature}" is off.` };
    }
    const found = targetsOf(envs, key);
    const missing = v.targets.filter((t) => !found.includes(t));
    const expected = showList(v.targets);
    const actual = showList(found);
    return missing.length === 0
      ? { status: 'pass', resource: key, message: `${key} is set for ${expected}.`, expected, actual }
      : { status: 'fail', resource: key, message: `${key} must be set for ${expected} (found ${found.length === 0 ? 'it in no target' : actual}).`, expected, actual };
  });
});

export const envTargets = envCheck('env.targets', (envs, spec) => {
  const scoped = Object.entries(spec.env.vars).filter(([, v]) => v.forbiddenTargets.length > 0);
  if (scoped.length === 0) return skip('No env var of the stack lists forbiddenTargets (prodcheck:env.vars.<KEY>.forbiddenTargets).');
  return scoped.map(([key, v]): Finding => {
    // A branch override is still a value the forbidden target can see.
    const found = targetsOf(envs, key, true);
    const leaked = v.forbiddenTargets.filter((t) => found.includes(t));
    const expected = `not in ${showList(v.forbiddenTargets)}`;
    const actual = found.length === 0 ? 'in no target' : `in ${showList(found)}`;
    return leaked.length === 0
      ? { status: 'pass', resource: key, message: `${key} is absent from ${showList(v.forbiddenTargets)}, as the stack requires.`, expected, actual }
      : { status: 'fail', resource: key, message: `${key} must not be set for ${showList(leaked)} (found it ${actual}).`, expected, actual };
  });
});

export const envSecretsManager = envCheck('env.secrets-manager', (envs, spec) => {
  const keys = [...new Set(envs.filter((e) => e.type !== 'system' && isSecretVar(e.key, spec.env.vars[e.key] ?? {})).map((e) => e.key))].sort();
  if (keys.length === 0) return skip('No secret env var is set on the project.');
  return keys.map((key): Finding => {
    const entries = envs.filter((e) => e.key === key);
    const exposed = entries.filter((e) => e.type === 'plain');
    const types = showList([...new Set(entries.map((e) => e.type))]);
    if (exposed.length === 0) return { status: 'pass', resource: key, message: `${key} is stored as ${types}.`, expected: 'sensitive or encrypted', actual: types };
    const where = showList([...new Set(exposed.flatMap((e) => e.targets))]);
    return { status: 'fail', resource: key, message: `${key} holds a secret and must be sensitive or encrypted (found plain for ${where}).`, expected: 'sensitive or encrypted', actual: `plain for ${where}` };
  });
});

export const envSecretStrength = envCheck('env.secret-strength', (envs, spec) => {
  const keys = relevantKeys(generatedSecretKeys(spec), spec, envs);
  if (keys.length === 0) return skip('No generated app secret (AUTH_SECRET, NEXTAUTH_SECRET, JWT_SECRET, API_KEY_SECRET or one with from: generated) is declared or set for production.');
  const production = new Map(keys.map((k) => [k, entryFor(envs, k)]));
  const digests = new Map<string, string[]>();
  for (const [key, entry] of production) {
    const v = entry?.value;
    if (v?.kind === 'text' || v?.kind === 'secret') digests.set(digestOf(v), [...(digests.get(digestOf(v)) ?? []), key]);
  }
  const expected = `set for production, sensitive, at least ${MIN_SECRET_LENGTH} characters, unique`;
  return keys.map((key): Finding => {
    const entry = production.get(key);
    if (!entry) return { status: 'fail', resource: key, message: `${key} must be set for production (found it unset).`, expected, actual: 'unset' };
    const problems: string[] = [];
    if (entry.type !== 'sensitive') problems.push(`stored as ${entry.type}, not sensitive`);
    const v = entry.value;
    if (v?.kind === 'text' || v?.kind === 'secret') {
      const evidence = v.kind === 'secret' ? v.fingerprint : `len ${v.text.length}`;
      if (lengthOf(v) < MIN_SECRET_LENGTH) problems.push(`${lengthOf(v)} characters, fewer than ${MIN_SECRET_LENGTH} (${evidence})`);
      const sharing = (digests.get(digestOf(v)) ?? []).filter((k) => k !== key);
      if (sharing.length > 0) problems.push(`the same value as ${showList(sharing)} (${evidence})`);
    }
    if (problems.length > 0) {
      return { status: 'fail', resource: key, message: `${key} must be a sensitive secret of at least ${MIN_SECRET_LENGTH} characters, unique to it (found ${problems.join('; ')}).`, expected, actual: problems.join('; ') };
    }
    return {
      status: 'pass',
      resource: key,
      message: `${key} is set for production and sensitive (sensitive values are write-only: its length and uniqueness cannot be read back).`,
      expected,
      actual: 'sensitive',
    };
  });
});

