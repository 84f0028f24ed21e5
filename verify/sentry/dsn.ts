import { projectsFilterProjectEnvs } from '@vercel/sdk/funcs/projectsFilterProjectEnvs.js';
import { projectsGetProjectEnv } from '@vercel/sdk/funcs/projectsGetProjectEnv.js';
import type { Redactor } from '../../report/redact.js';
import type { StackSpec, Targets } from '../../spec/index.js';
import { call, vercelClient } from '../vercel/client.js';

/** The DSN the production app reports to, as Vercel holds it. */
export type AppDsn =
  | { readonly kind: 'value'; readonly key: string; readonly dsn: string }
  | { readonly kind: 'unreadable'; readonly key: string; readonly reason: string }
  | { readonly kind: 'absent'; readonly key: string }
  /** The targets file cannot read Vercel: nothing to judge. */
  | { readonly kind: 'no-vercel'; readonly key: string };

export { dsnVarOf } from '../../spec/index.js';

/**
 * Reads the production value of the DSN var from Vercel. A sensitive var is write-only there; the DSN is
 * not a secret (it ships in the browser bundle), but when stored as sensitive it cannot be compared.
 */
export async function readAppDsn(key: string, spec: StackSpec, targets: Targets, redactor: Redactor, signal: AbortSignal): Promise<AppDsn> {
  if (!spec.vercel || !targets.vercel) return { kind: 'no-vercel', key };
  const client = vercelClient(targets.vercel, spec.vercel.team, signal);
  const projectId = targets.vercel.projectId ?? spec.vercel.project;
  const listed = await call(client, 'the project env vars', projectsFilterProjectEnvs(client.core, { idOrName: projectId, decrypt: 'true', ...client.scope }, client.options));
  if (!('envs' in listed)) throw new Error('the Vercel API answered the env listing with a single variable instead of a list');
  const env = listed.envs.find((e) => e.key === key && (Array.isArray(e.target) ? e.target.includes('production') : e.target === 'production') && !e.gitBranch);
  if (!env) return { kind: 'absent', key };
  if (env.type === 'sensitive' || env.type === 'secret') return { kind: 'unreadable', key, reason: `Vercel keeps ${env.type} values write-only` };
  let value = env.type === 'plain' || env.decrypted === true ? env.value : undefined;
  if (value === undefined && env.id !== undefined) {
    const one = await call(client, `the value of ${key}`, projectsGetProjectEnv(client.core, { idOrName: projectId, id: env.id, ...client.scope }, client.options));
    value = 'value' in one && typeof one.value === 'string' ? one.value : undefined;
  }
  if (value === undefined) return { kind: 'unreadable', key, reason: 'the Vercel API did not decrypt it' };
  // A DSN's public key is public by design, but a DSN with a secret part (legacy) must never be printed.
  redactor.add(value);
  return { kind: 'value', key, dsn: value };
}
