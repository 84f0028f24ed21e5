import { deploymentsGetDeployments } from '@vercel/sdk/funcs/deploymentsGetDeployments.js';
import type { StackSpec, Targets } from '../../spec/index.js';
import { call, vercelClient } from '../vercel/client.js';

/** The commit production serves, and how prodcheck knows it. */
export interface LiveCommit {
  readonly sha: string;
  /** e.g. "the Vercel production deployment dpl_…" or "the head of main". */
  readonly source: string;
}

/** How many production deployments are looked through for the newest READY one. */
const DEPLOYMENTS_LOOKED_AT = 20;

/**
 * The commit live in production: the git SHA of the newest READY production deployment on Vercel when the
 * targets file can read Vercel (what users are actually served); otherwise the head of the production
 * branch, which is what a git-linked project deploys, and the message says so.
 */
export async function liveCommit(
  where: { readonly branch: string; readonly head: string },
  spec: StackSpec,
  targets: Targets,
  signal: AbortSignal,
): Promise<LiveCommit> {
  if (spec.vercel && targets.vercel) {
    const client = vercelClient(targets.vercel, spec.vercel.team, signal);
    const projectId = targets.vercel.projectId ?? spec.vercel.project;
    const r = await call(client, 'the production deployments', deploymentsGetDeployments(client.core, { projectId, target: 'production', state: 'READY', limit: DEPLOYMENTS_LOOKED_AT, ...client.scope }, client.options));
    const live = r.deployments.find((d) => d.readyState === 'READY');
    if (!live) throw new Error(`the Vercel project ${projectId} has no READY production deployment, so no commit is live`);
    const sha = live.meta?.githubCommitSha;
    if (typeof sha !== 'string' || !/^[0-9a-f]{40}$/i.test(sha)) {
      throw new Error(`the live Vercel production deployment ${live.uid} carries no GitHub commit (deployed with the Vercel CLI rather than from git?), so prodcheck cannot tell which commit's checks apply`);
    }
    return { sha: sha.toLowerCase(), source: `the Vercel production deployment ${live.uid}` };
  }
  return { sha: where.head, source: `the head of ${where.branch} (no vercel target says which commit is live)` };
}
