import type { RedisSpec, StackSpec } from '../../spec/index.js';
import type { Check, Finding } from '../types.js';
import type { RedisReached, RedisSnapshot } from './collect.js';

type Field = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly why: string };

/** One INFO field, or why it could not be read (INFO refused, or a provider that hides the field). */
export function infoField(s: RedisReached, name: string): Field {
  if (!s.info.ok) return { ok: false, why: `INFO failed (${s.info.error})` };
  const value = s.info.value[name];
  return value === undefined ? { ok: false, why: `INFO does not report ${name}` } : { ok: true, value };
}

export function infoNumber(s: RedisReached, name: string): { ok: true; value: number } | { ok: false; why: string } {
  const f = infoField(s, name);
  if (!f.ok) return f;
  const n = Number(f.value);
  return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, why: `INFO reports ${name} as "${f.value}", not a number` };
}

export const MiB = 1024 * 1024;
export const mb = (bytes: number): string => `${Number((bytes / MiB).toFixed(1))} MB`;
export const pct = (ratio: number): string => `${Number((ratio * 100).toFixed(1))}%`;
export const ms = (value: number): string => `${Number(value.toFixed(1))} ms`;

/** The runner only evaluates when the spec has a redis section; this keeps evaluate total anyway. */
export function withSpec(spec: StackSpec, judge: (r: RedisSpec) => Finding[]): Finding[] {
  return spec.redis ? judge(spec.redis) : [{ status: 'skip', message: 'The stack config has no prodcheck:redis section.' }];
}

export const cannot = (what: string, why: string): Finding => ({ status: 'error', message: `Could not ${what}: ${why}.` });

/**
 * Upstash answers INFO without maxmemory_policy or the persistence fields and refuses CONFIG: what the data
 * plane cannot show is the Developer API's to judge (the upstash target), so its absence there is a skip.
 */
export function cannotOrUpstash(r: RedisSpec, what: string, field: { readonly ok: false; readonly why: string }): Finding {
  if (r.provider === 'upstash' && /^INFO does not report /.test(field.why)) {
    return { status: 'skip', message: `Upstash does not expose this over INFO (${field.why}): it is judged from the Upstash Developer API (targets upstash).` };
  }
  return cannot(what, field.why);
}

/** A check that needs a server it could talk to: after a rejected TLS certificate nothing was asked, so it skips. */
export function reachedCheck(id: string, evaluate: (s: RedisReached, spec: StackSpec) => Finding[]): Check<RedisSnapshot> {
  return {
    id,
    target: 'redis',
    evaluate: (s, spec) =>
      'tlsRejected' in s ? [{ status: 'skip', message: `skipped: Redis at ${s.endpoint} failed TLS verification, so nothing was sent to it (see redis.tls).` }] : evaluate(s, spec),
  };
}
