import type { StackSpec } from '../../spec/index.js';
import type { Check, Finding, Probe } from '../types.js';
import type { ProductionDeployments, VercelSnapshot } from './collect.js';
import type { FoundSnapshot } from './env-lookup.js';
import { missingProject, showList, skip } from './env-lookup.js';

function vercelSpecOf(spec: StackSpec): NonNullable<StackSpec['vercel']> {
  if (!spec.vercel) throw new Error('the stack has no prodcheck:vercel section');
  return spec.vercel;
}

export function projectCheck(id: string, judge: (s: FoundSnapshot, spec: StackSpec) => Finding[], connectivity = false): Check<VercelSnapshot> {
  return {
    id,
    target: 'vercel',
    ...(connectivity ? { connectivity } : {}),
    evaluate(s, spec) {
      return s.project === null ? missingProject(s) : judge(s, spec);
    },
  };
}

const sameRepo = (a: string | undefined, b: string) => a !== undefined && a.toLowerCase() === b.toLowerCase();

export const vercelProject: Check<VercelSnapshot> = {
  id: 'vercel.project',
  target: 'vercel',
  connectivity: true,
  evaluate(s, spec) {
    const v = vercelSpecOf(spec);
    const repo = v.git?.repo;
    const expected = `a ${v.framework} project named ${v.project}${repo ? ` linked to ${repo}` : ''}`;
    if (s.project === null) {
      return [{ status: 'fail', resource: s.lookedUp, message: `The Vercel project "${s.lookedUp}" must exist (the API has no such project).`, expected, actual: 'no project' }];
    }
    const p = s.project;
    const problems: string[] = [];
    if (p.name !== v.project) problems.push(`named ${p.name}`);
    if (p.framework !== v.framework) problems.push(`framework ${p.framework ?? 'none'}`);
    if (repo && !sameRepo(p.link?.repo, repo)) problems.push(p.link ? `linked to ${p.link.repo ?? `a ${p.link.type} repository`}` : 'linked to no repository');
    if (problems.length > 0) {
      return [{ status: 'fail', resource: p.name, message: `The Vercel project must be ${expected} (found ${problems.join(', ')}).`, expected, actual: problems.join(', ') }];
    }
    return [{ status: 'pass', resource: p.name, message: `The Vercel project is ${expected}.`, expected, actual: expected }];
  },
};

export const vercelGitIntegration = projectCheck('vercel.git-integration', (s, spec) => {
  const git = vercelSpecOf(spec).git;
  if (!git) return skip('The stack declares no git repository (prodcheck:vercel.git).');
  const expected = `${git.type}, branch ${git.productionBranch}`;
  const link = s.project.link;
  if (!link) return [{ status: 'fail', resource: s.project.name, message: `The Vercel project must deploy from ${expected} (found no git connection).`, expected, actual: 'no git connection' }];
  const actual = `${link.type}, branch ${link.productionBranch}`;
  return link.type === git.type && link.productionBranch === git.productionBranch
    ? [{ status: 'pass', resource: s.project.name, message: `The Vercel project deploys from ${expected}.`, expected, actual }]
    : [{ status: 'fail', resource: s.project.name, message: `The Vercel project must deploy from ${expected} (found ${actual}).`, expected, actual }];
});

export const vercelDomain = projectCheck('vercel.domain', (s) => {
  const { name, info } = s.domain;
  if (!info.ok) return [{ status: 'error', resource: name, message: `Could not read the project domain ${name} (${info.error}).` }];
  const expected = 'attached and verified';
  if (info.value === null) return [{ status: 'fail', resource: name, message: `${name} must be attached to the Vercel project (found it not attached).`, expected, actual: 'not attached' }];
  if (!info.value.verified) {
    const asks = info.value.verification.length > 0 ? `: Vercel asks for ${showList(info.value.verification)}` : '';
    return [{ status: 'fail', resource: name, message: `${name} must be verified on Vercel (found it unverified${asks}).`, expected, actual: 'unverified' }];
  }
  return [{ status: 'pass', resource: name, message: `${name} is attached to the Vercel project and verified.`, expected, actual: expected }];
});

export const vercelFirewall = projectCheck('vercel.firewall', (s, spec) => {
  const want = vercelSpecOf(spec).firewall;
  if (!want) return skip('The stack declares no firewall (prodcheck:vercel.firewall).');
  if (!want.enabled) return skip('The stack turns the firewall off (prodcheck:vercel.firewall.enabled: false).');
  const resource = s.project.name;
  if (!s.firewall.ok) return [{ status: 'error', resource, message: `Could not read the firewall configuration (${s.firewall.error}).` }];
  const parts = [
    'enabled',
    ...(want.managedRulesets.length > 0 ? [`managed rulesets ${showList(want.managedRulesets)} active`] : []),
    ...(want.ipBlocks.length > 0 ? [`denying ${showList(want.ipBlocks)}`] : []),
  ];
  const expected = parts.join(', ');
  const fw = s.firewall.value;
  if (fw === null) return [{ status: 'fail', resource, message: `The Vercel firewall must be ${expected} (found no firewall configuration).`, expected, actual: 'no configuration' }];
  const problems = [
    ...(fw.enabled ? [] : ['the firewall disabled']),
    ...want.managedRulesets.filter((r) => fw.managedRules[r] !== true).map((r) => (r in fw.managedRules ? `${r} inactive` : `${r} not configured`)),
    ...want.ipBlocks.filter((ip) => !fw.ipRules.some((rule) => rule.ip === ip && rule.action === 'deny')).map((ip) => `${ip} not denied`),
  ];
  return problems.length > 0
    ? [{ status: 'fail', resource, message: `The Vercel firewall must be ${expected} (found ${problems.join(', ')}).`, expected, actual: problems.join(', ') }]
    : [{ status: 'pass', resource, message: `The Vercel firewall is ${expected}.`, expected, actual: expected }];
});

function deploymentsOf(p: Probe<ProductionDeployments>): { ok: true; value: ProductionDeployments } | { ok: false; findings: Finding[] } {
  return p.ok ? p : { ok: false, findings: [{ status: 'error', message: `Could not list the production deployments (${p.error}).` }] };
}

export const vercelDeploymentReady = projectCheck('vercel.deployment.ready', (s) => {
  const d = deploymentsOf(s.deployments);
  if (!d.ok) return d.findings;
  const latest = d.value.list[0];
  if (!latest) return [{ status: 'fail', resource: s.project.name, message: 'The project must have a READY production deployment (found no production deployment).', expected: 'READY', actual: 'none' }];
  return latest.readyState === 'READY'
    ? [{ status: 'pass', resource: latest.uid, message: `The latest production deployment ${latest.uid} is READY.`, expected: 'READY', actual: 'READY' }]
    : [{ status: 'fail', resource: latest.uid, message: `The latest production deployment must be READY (found ${latest.uid} ${latest.readyState}).`, expected: 'READY', actual: latest.readyState }];
});

export const vercelRollbackTarget = projectCheck('vercel.rollback-target', (s) => {
  const d = deploymentsOf(s.deployments);
  if (!d.ok) return d.findings;
  const ready = d.value.list.filter((x) => x.readyState === 'READY');
  const previous = ready[1];
  const expected = 'at least 2 READY production deployments';
  if (previous) return [{ status: 'pass', resource: previous.uid, message: `A previous READY production deployment (${previous.uid}) is available for rollback.`, expected, actual: `${ready.length} READY` }];
  const scope = d.value.complete ? '' : ` among the newest ${d.value.list.length}`;
  return [{ status: 'fail', resource: s.project.name, message: `A previous READY production deployment must be available for rollback (found ${ready.length} READY${scope}).`, expected, actual: `${ready.length} READY` }];
});
