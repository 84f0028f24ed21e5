import type { CiSpec } from './ci.js';

interface WithCi {
  readonly ci?: CiSpec | undefined;
  readonly vercel?: { readonly git?: { readonly repo: string; readonly productionBranch: string } | undefined } | undefined;
}

/** The repository and production branch the CI controls judge: prodcheck:ci's, else the Vercel project's git link. */
export function ciRepository(spec: WithCi): { readonly owner: string; readonly repo: string; readonly branch: string } | undefined {
  if (!spec.ci) return undefined;
  const full = spec.ci.repository ?? spec.vercel?.git?.repo;
  if (full === undefined) return undefined;
  const [owner = '', repo = ''] = full.split('/');
  return { owner, repo, branch: spec.ci.productionBranch ?? spec.vercel?.git?.productionBranch ?? 'main' };
}
