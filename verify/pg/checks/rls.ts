/** pg.rls. */
import { keyOf, parseQualified } from '../../../spec/index.js';
import type { Check, Finding } from '../../types.js';
import type { PgSnapshot, PolicyExpr, PolicyInfo } from '../snapshot.js';
import { showName, showList, plural, couldNotRead, skip, pgSpecOf, lookupTable } from './common.js';

/** An expression that looks at neither the row nor who is signed in lets every row through (or none). */
function trivial(e: PolicyExpr | null): e is PolicyExpr {
  return e !== null && !e.refsRow && !e.refsSession;
}

/** The commands a policy for `command` also covers: ALL covers every one. */
function covers(outer: PolicyInfo['command'], inner: PolicyInfo['command']): boolean {
  return outer === 'ALL' || outer === inner;
}

/**
 * The app role's permissive policies with a USING or WITH CHECK that is trivially true, unless a
 * restrictive policy that does look at the row or session also applies to the app for those commands
 * (permissive policies are ORed, restrictive ones ANDed on top).
 */
function trivialPolicies(policies: readonly PolicyInfo[]): { policy: PolicyInfo; clause: 'USING' | 'WITH CHECK'; expr: PolicyExpr }[] {
  const narrowing = policies.filter((p) => p.appliesToApp && !p.permissive && [p.using, p.withCheck].some((e) => e !== null && !trivial(e)));
  return policies
    .filter((p) => p.appliesToApp && p.permissive && !narrowing.some((r) => covers(r.command, p.command)))
    .flatMap((policy) => [
      ...(trivial(policy.using) ? [{ policy, clause: 'USING' as const, expr: policy.using }] : []),
      ...(trivial(policy.withCheck) ? [{ policy, clause: 'WITH CHECK' as const, expr: policy.withCheck }] : []),
    ]);
}

export const pgRls: Check<PgSnapshot> = {
  id: 'pg.rls',
  target: 'postgres',
  evaluate(s, spec) {
    const pgSpec = pgSpecOf(spec);
    const tables = pgSpec.rls;
    const role = pgSpec.appRole;
    if (tables.length === 0) return skip('No tables to check: postgres.rls is empty.');
    if (!s.relations.ok) return [couldNotRead('row level security flags from pg_class', s.relations)];
    if (!s.policies.ok) return [couldNotRead('the policies from pg_policy', s.policies)];
    if (!s.rlsBypass.ok) return [couldNotRead('the roles with BYPASSRLS from pg_roles', s.rlsBypass)];
    const relations = s.relations.value;
    const policies = s.policies.value;
    const bypass = s.rlsBypass.value;
    const trusted = new Set(pgSpec.rlsBypassRoles);
    const expected = `RLS enabled${pgSpec.rlsOwnerTrusted ? '' : ' and forced'}, policies for "${role}" that check the row or session, no role bypassing it`;
    return tables.flatMap((name): Finding[] => {
      const q = parseQualified(name);
      const resource = keyOf(q);
      const label = `Table ${showName(q)} must enforce row level security on role "${role}"`;
      const fail = (found: string): Finding => ({ status: 'fail', message: `${label} (${found}).`, expected, actual: found.replace(/^found /, ''), resource });
      const hit = lookupTable(relations, q);
      if ('missing' in hit) return [fail(hit.missing)];
      const t = hit.found;
      if (!t.rls) return [fail(`found RLS disabled, ${t.policies === 0 ? 'no policies' : plural(t.policies, 'policy', 'policies')}`)];
      const onTable = policies.filter((p) => p.schema === t.schema && p.table === t.name);
      const forApp = onTable.filter((p) => p.appliesToApp && p.permissive);
      const problems: string[] = [];
      if (forApp.length === 0) problems.push(`found RLS enabled but no permissive policy for "${role}" (${onTable.length === 0 ? 'no policies at all' : `only ${showList(onTable.map((p) => p.name))}`})`);
      if (!t.forceRls && !pgSpec.rlsOwnerTrusted) {
        problems.push(`found FORCE ROW LEVEL SECURITY off, so the owner "${t.owner}" bypasses every policy: ALTER TABLE ... FORCE ROW LEVEL SECURITY, or set postgres.rlsOwnerTrusted`);
      }
      for (const { policy, clause, expr } of trivialPolicies(onTable)) {
        const whom = policy.roles.includes('PUBLIC') ? 'every role' : `role ${showList(policy.roles)}`;
        problems.push(`found policy "${policy.name}" for ${policy.command} to ${whom} with ${clause} (${expr.text}), which checks neither the row nor the session, so it admits every row`);
      }
      for (const b of bypass.filter((x) => x.schema === t.schema && x.table === t.name && !trusted.has(x.role))) {
        const become = b.appCanBecome ? ` and "${role}" can SET ROLE to it` : '';
        problems.push(`found role "${b.role}" with BYPASSRLS and privileges on the table${become}; list it in postgres.rlsBypassRoles if that is intended`);
      }
      if (problems.length > 0) return problems.map(fail);
      const found = `found RLS enabled${t.forceRls ? ' and forced' : ', owner trusted'}, ${plural(forApp.length, 'policy', 'policies')} for "${role}" checking the row or session, no role bypassing it`;
      return [{ status: 'pass', message: `${label} (${found}).`, expected, actual: found.replace(/^found /, ''), resource }];
    });
  },
};
