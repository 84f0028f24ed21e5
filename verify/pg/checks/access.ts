/** pg.grants.least-privilege, pg.grants.append-only. */
import { keyOf, parseQualified } from '../../../spec/index.js';
import type { Check } from '../../types.js';
import type { DefaultWrite, PgSnapshot } from '../snapshot.js';
import { showName, showList, couldNotRead, skip, pgSpecOf } from './common.js';

/** `default privileges of role "migrator" grant UPDATE, DELETE on future tables in schema "audit" to "app"`. */
export function showDefaultWrite(w: DefaultWrite, app: string): string {
  const where = w.schema === null ? 'in every schema' : `in schema "${w.schema}"`;
  const to = w.grantee === 'PUBLIC' ? 'PUBLIC' : w.grantee === app ? `"${app}"` : `role "${w.grantee}", which "${app}" is a member of`;
  return `default privileges of role "${w.grantor}" grant ${w.privileges.join(', ')} on future tables ${where} to ${to}`;
}

export const pgGrantsLeastPrivilege: Check<PgSnapshot> = {
  id: 'pg.grants.least-privilege',
  target: 'postgres',
  evaluate(s, spec) {
    const role = pgSpecOf(spec).appRole;
    const expected = 'no SUPERUSER, CREATEROLE, CREATEDB or BYPASSRLS, owns no tables, no CREATE on schemas';
    const label = `Role "${role}" must have no SUPERUSER, CREATEROLE, CREATEDB or BYPASSRLS, own no tables and not create in schemas`;
    if (!s.appRole.ok) return [couldNotRead(`the attributes of role "${role}" from pg_roles`, s.appRole, role)];
    const r = s.appRole.value;
    if (r === null) return [{ status: 'fail', message: `${label} (found no such role).`, expected, actual: 'no role', resource: role }];
    const problems = [
      ...(r.superuser ? ['SUPERUSER'] : []),
      ...(r.createRole ? ['CREATEROLE'] : []),
      ...(r.createDb ? ['CREATEDB'] : []),
      ...(r.bypassRls ? ['BYPASSRLS'] : []),
      ...(r.privilegedMemberOf.length ? [`member of ${showList(r.privilegedMemberOf)}`] : []),
      ...(r.owns.length ? [`owns ${showList(r.owns.map((o) => o.replace(/^public\./, '')))}`] : []),
      ...(r.createOn.length ? [`CREATE on schema ${showList(r.createOn)}`] : []),
      ...(r.ownerRoles.length ? [`member of table owner ${showList(r.ownerRoles)}`] : []),
      ...(r.defaultWrites ?? []).map((w) => showDefaultWrite(w, role)),
    ];
    const found = problems.length ? problems.join('; ') : 'none of these';
    return [{ status: problems.length ? 'fail' : 'pass', message: `${label} (found ${found}).`, expected, actual: found, resource: role }];
  },
};

export const pgGrantsAppendOnly: Check<PgSnapshot> = {
  id: 'pg.grants.append-only',
  target: 'postgres',
  evaluate(s, spec) {
    const pgSpec = pgSpecOf(spec);
    const role = pgSpec.appRole;
    if (pgSpec.appendOnly.length === 0) return skip('No tables to check: postgres.appendOnly is empty.');
    if (!s.appendOnly.ok) return [couldNotRead(`the privileges of role "${role}"`, s.appendOnly)];
    if (!s.appRole.ok) return [couldNotRead(`the attributes of role "${role}" from pg_roles`, s.appRole)];
    const roleExists = s.appRole.value !== null;
    const privileges = s.appendOnly.value;
    return pgSpec.appendOnly.map((name) => {
      const q = parseQualified(name);
      const resource = keyOf(q);
      const label = `Role "${role}" must not UPDATE, DELETE or TRUNCATE ${showName(q)}`;
      const expected = 'SELECT, INSERT only';
      if (!roleExists) return { status: 'fail', message: `${label} (found no such role).`, expected, actual: 'no role', resource };
      const p = privileges.find((x) => x.schema === q.schema && x.table === q.name);
      if (!p) return { status: 'fail', message: `${label} (found no such table).`, expected, actual: 'no table', resource };
      const granted = [...(p.update ? ['UPDATE'] : []), ...(p.delete ? ['DELETE'] : []), ...(p.truncate ? ['TRUNCATE'] : [])];
      const paths = [
        ...(granted.length ? [granted.join(', ')] : []),
        ...p.viaRoles.map((v) => `${v.owner ? 'every privilege' : v.privileges.join(', ')} through role "${v.role}"${v.owner ? ', the table owner' : ''}`),
        ...p.definers.map((f) => `SECURITY DEFINER function ${f}, which writes it`),
        ...(p.schemaCreate ? [`CREATE on schema "${p.schema}", where it can add objects beside the table`] : []),
        ...(p.defaultWrites ?? []).map((w) => showDefaultWrite(w, role)),
      ];
      const found = paths.length ? paths.join('; ') : 'none of these';
      return { status: paths.length ? 'fail' : 'pass', message: `${label} (found ${found}).`, expected, actual: found, resource };
    });
  },
};
