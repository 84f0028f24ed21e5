import { createHash } from 'node:crypto';
import type { EnvTarget, StackSpec } from '../../spec/index.js';
import { ENV_TARGETS } from '../../spec/index.js';
import type { Check, Finding } from '../types.js';
import type { EnvValue, VercelEnvVar, VercelSnapshot } from './collect.js';

export type FoundSnapshot = Extract<VercelSnapshot, { project: object }>;

/** The targets a key is set for, across its entries; branch overrides count only when `withBranches`. */
export function targetsOf(envs: readonly VercelEnvVar[], key: string, withBranches = false): EnvTarget[] {
  const set = new Set(envs.filter((e) => e.key === key && (withBranches || e.gitBranch === undefined)).flatMap((e) => e.targets));
  return ENV_TARGETS.filter((t) => set.has(t));
}

/** The entry that serves `target` for every branch (not a branch override). */
export function entryFor(envs: readonly VercelEnvVar[], key: string, target: EnvTarget = 'production'): VercelEnvVar | undefined {
  return envs.find((e) => e.key === key && e.gitBranch === undefined && e.targets.includes(target));
}

/** Keys a check judges: those the stack declares, and those set for production although it does not. */
export function relevantKeys(keys: readonly string[], spec: StackSpec, envs: readonly VercelEnvVar[]): string[] {
  return keys.filter((k) => k in spec.env.vars || entryFor(envs, k) !== undefined);
}

export const showList = (items: readonly string[]): string => (items.length === 0 ? 'none' : items.join(', '));

export function skip(message: string): Finding[] {
  return [{ status: 'skip', message }];
}

export function missingProject(s: Extract<VercelSnapshot, { project: null }>): Finding[] {
  return skip(`Skipped: the Vercel project "${s.lookedUp}" was not found.`);
}

export function envsOf(s: FoundSnapshot): { ok: true; envs: readonly VercelEnvVar[] } | { ok: false; findings: Finding[] } {
  if (!s.envs.ok) return { ok: false, findings: [{ status: 'error', message: `Could not read the project env vars (${s.envs.error}).` }] };
  return { ok: true, envs: s.envs.value };
}

/** Why a value could not be judged, as an error finding; undefined when it was read. */
export function unreadable(key: string, value: EnvValue | undefined, target = 'production'): Finding | undefined {
  if (value === undefined) return { status: 'error', resource: key, message: `Could not read ${key} on ${target}: the collector did not fetch its value.` };
  if (value.kind === 'unreadable') return { status: 'error', resource: key, message: `Could not read ${key} on ${target}: ${value.reason}, so its value cannot be checked.` };
  if (value.kind === 'error') return { status: 'error', resource: key, message: `Could not read ${key} on ${target} (${value.error}).` };
  return undefined;
}

/** The hash a value is compared by, whether the snapshot holds it as text or as a secret's digest. */
export function digestOf(value: Extract<EnvValue, { kind: 'text' | 'secret' }>): string {
  return value.kind === 'secret' ? value.sha256 : createHash('sha256').update(value.text).digest('hex');
}

export function lengthOf(value: Extract<EnvValue, { kind: 'text' | 'secret' }>): number {
  return value.kind === 'secret' ? value.length : value.text.length;
}

/** How a message shows a value it did not expect: text as is, a secret only by fingerprint. */
export function shown(value: Extract<EnvValue, { kind: 'text' | 'secret' }>): string {
  return value.kind === 'text' ? value.text : `a secret value (${value.fingerprint})`;
}

export function equalsText(value: Extract<EnvValue, { kind: 'text' | 'secret' }>, expected: string): boolean {
  return value.kind === 'text' ? value.text === expected : value.sha256 === createHash('sha256').update(expected).digest('hex');
}

/** A Vercel check over the project's env vars: skips without a project, errors when the list could not be read. */
export function envCheck(id: string, judge: (envs: readonly VercelEnvVar[], spec: StackSpec, s: FoundSnapshot) => Finding[]): Check<VercelSnapshot> {
  return {
    id,
    target: 'vercel',
    evaluate(s, spec) {
      if (s.project === null) return missingProject(s);
      const read = envsOf(s);
      return read.ok ? judge(read.envs, spec, s) : read.findings;
    },
  };
}
