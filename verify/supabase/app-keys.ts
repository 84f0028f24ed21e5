import { projectsFilterProjectEnvs } from '@vercel/sdk/funcs/projectsFilterProjectEnvs.js';
import { projectsGetProjectEnv } from '@vercel/sdk/funcs/projectsGetProjectEnv.js';
import type { Redactor } from '../../report/redact.js';
import type { StackSpec, Targets } from '../../spec/index.js';
import { call, vercelClient } from '../vercel/client.js';
import { isServiceRoleShaped } from './keys.js';

/** One production env var of the app as Vercel holds it. */
export type AppVar = { readonly kind: 'value'; readonly value: string } | { readonly kind: 'unreadable'; readonly reason: string } | { readonly kind: 'absent' };

/** The app's production env, reduced to what env.supabase-keys judges: the key vars and every NEXT_PUBLIC_* var. */
export interface AppEnv {
  readonly vars: ReadonlyMap<string, AppVar>;
}

const BROWSER = /^NEXT_PUBLIC_/;

/**
 * Reads the production values of `keys` and of every NEXT_PUBLIC_* var from Vercel (decrypted where Vercel
 * can). The service-role var's value and every service-role-shaped value are registered with the redactor;
 * public values (the anon or publishable key, URLs) are not: the redactor masks every 10-character run of
 * what it holds, and these would mask ordinary words ("publishable") across the report.
 * Undefined: the targets file cannot read Vercel.
 */
export async function readAppEnv(keys: readonly string[], secretKey: string | undefined, spec: StackSpec, targets: Targets, redactor: Redactor, signal: AbortSignal): Promise<AppEnv | undefined> {
  if (!spec.vercel || !targets.vercel) return undefined;
  const client = vercelClient(targets.vercel, spec.vercel.team, signal);
  const projectId = targets.vercel.projectId ?? spec.vercel.project;
  const listed = await call(client, 'the project env vars', projectsFilterProjectEnvs(client.core, { idOrName: projectId, decrypt: 'true', ...client.scope }, client.options));
  if (!('envs' in listed)) throw new Error('the Vercel API answered the env listing with a single variable instead of a list');
  const production = listed.envs.filter((e) => (Array.isArray(e.target) ? e.target.includes('production') : e.target === 'production') && !e.gitBranch);
  const vars = new Map<string, AppVar>();
  for (const key of new Set([...keys, ...production.map((e) => e.key).filter((k) => BROWSER.test(k))])) {
    const env = production.find((e) => e.key === key);
    if (!env) {
      vars.set(key, { kind: 'absent' });
      continue;
    }
    if (env.type === 'sensitive' || env.type === 'secret') {
      vars.set(key, { kind: 'unreadable', reason: `Vercel keeps ${env.type} values write-only` });
      continue;
    }
    let value = env.type === 'plain' || env.decrypted === true ? env.value : undefined;
    if (value === undefined && env.id !== undefined) {
      const one = await call(client, `the value of ${key}`, projectsGetProjectEnv(client.core, { idOrName: projectId, id: env.id, ...client.scope }, client.options));
      value = 'value' in one && typeof one.value === 'string' ? one.value : undefined;
    }
    if (value === undefined) {
      vars.set(key, { kind: 'unreadable', reason: 'the Vercel API did not decrypt it' });
      continue;
    }
    if (key === secretKey || isServiceRoleShaped(value)) redactor.add(value);
    vars.set(key, { kind: 'value', value });
  }
  return { vars };
}
