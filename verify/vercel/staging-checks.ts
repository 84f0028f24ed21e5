import { projectCheck } from './project-checks.js';

export const vercelStagingEnvironment = projectCheck('vercel.staging-environment', (s, spec) => {
  const want = spec.vercel?.staging;
  if (want === undefined || s.customEnvironments === undefined) return [{ status: 'skip', message: 'The stack asks for no staging environment (prodcheck:vercel.staging).' }];
  if (!s.customEnvironments.ok) return [{ status: 'error', message: `Could not list the custom environments: ${s.customEnvironments.error}.` }];
  const name = s.project.name;
  const resource = want.slug;
  const env = s.customEnvironments.value.find((e) => e.slug === want.slug);
  if (!env) {
    const slugs = s.customEnvironments.value.map((e) => e.slug);
    return [{ status: 'fail', resource, message: `${name} has no "${want.slug}" environment (custom environments: ${slugs.length > 0 ? slugs.join(', ') : 'none'}): changes go from preview straight to production.`, expected: want.slug, actual: 'absent' }];
  }
  const matcher = env.branchMatcher ? `${env.branchMatcher.type} ${env.branchMatcher.pattern}` : 'no branch';
  if (want.branch !== undefined && (env.branchMatcher?.type !== 'equals' || env.branchMatcher.pattern !== want.branch)) {
    return [{ status: 'fail', resource, message: `${name}'s "${want.slug}" environment must deploy the branch ${want.branch} (it tracks ${matcher}).`, expected: `equals ${want.branch}`, actual: matcher }];
  }
  return [{ status: 'pass', resource, message: `${name} has a "${want.slug}" environment (it tracks ${matcher}).` }];
});
