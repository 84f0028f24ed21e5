import * as pulumi from '@pulumi/pulumi';
import { diffAccess } from './postgres/drift.js';
import { accessId, createAccess, deleteAccess, refreshAccess, updateAccess } from './postgres/ops.js';
import type { AccessArgs, AccessState, RoleState, TableState } from './postgres/types.js';
import { UNKNOWN } from './unknown.js';


const IDENT = /^[A-Za-z_][A-Za-z0-9_$]*$/;

function checkArgs(a: AccessArgs): pulumi.dynamic.CheckFailure[] {
  const failures: pulumi.dynamic.CheckFailure[] = [];
  const known = (v: unknown): boolean => v !== UNKNOWN && v !== undefined;
  for (const property of ['appRole', 'verifierRole', 'adminUser'] as const) {
    if (known(a[property]) && !IDENT.test(String(a[property]))) failures.push({ property, reason: 'must be a SQL identifier (letters, digits, _)' });
  }
  if (known(a.appRole) && a.appRole === a.verifierRole) failures.push({ property: 'verifierRole', reason: 'must differ from appRole: the verifier is read-only' });
  if (known(a.sslmode) && !['disable', 'require', 'verify-full'].includes(a.sslmode)) failures.push({ property: 'sslmode', reason: 'must be disable, require or verify-full' });
  if (known(a.verifierPassword) && String(a.verifierPassword).length < 32) failures.push({ property: 'verifierPassword', reason: 'must be at least 32 characters' });
  if (known(a.appPassword) && String(a.appPassword).length < 32) failures.push({ property: 'appPassword', reason: 'must be at least 32 characters' });
  return failures;
}

/**
 * Roles, grants, RLS and append-only revokes as a Pulumi dynamic provider over `pg`. The admin login
 * travels in the inputs and the state (kept secret by the resource), so read and delete reach the
 * database after a restart; `pg` is loaded inside each call, so the serialized provider holds neither.
 */
export const postgresAccessProvider: pulumi.dynamic.ResourceProvider<AccessArgs, AccessState> = {
  async check(_olds, news) {
    return { inputs: news, failures: checkArgs(news) };
  },
  async create(inputs) {
    return { id: accessId(inputs), outs: await createAccess(inputs) };
  },
  async read(id, props) {
    if (!props) throw new Error(`cannot read Postgres access ${id} without its state (pulumi import is not supported: create it with the program)`);
    return { id, props: await refreshAccess(props) };
  },
  async diff(_id, olds, news) {
    return diffAccess(olds, news);
  },
  async update(_id, olds, news) {
    return { outs: await updateAccess(olds, news) };
  },
  async delete(_id, props) {
    await deleteAccess(props);
  },
};

export type PostgresAccessArgs = { readonly [K in keyof AccessArgs]: pulumi.Input<AccessArgs[K]> };

/** Output properties must be named in the props (as undefined) for a dynamic resource to expose them. */
const OUTPUTS = ['claim', 'app', 'verifier', 'tableStates', 'schemas', 'defaultGrants', 'createdRoles', 'drift'] as const;
const SECRETS = ['adminPassword', 'appPassword', 'verifierPassword'] as const;

/** The app role, the read-only verifier role, RLS and append-only tables of one database. */
export class PostgresAccess extends pulumi.dynamic.Resource {
  declare readonly appRole: pulumi.Output<string>;
  declare readonly verifierRole: pulumi.Output<string>;
  declare readonly app: pulumi.Output<RoleState>;
  declare readonly verifier: pulumi.Output<RoleState>;
  declare readonly tableStates: pulumi.Output<TableState[]>;
  declare readonly createdRoles: pulumi.Output<string[]>;
  /** Where the database departs from the rules; empty once converged. */
  declare readonly drift: pulumi.Output<string[]>;

  constructor(name: string, args: PostgresAccessArgs, opts?: pulumi.CustomResourceOptions) {
    const secrets = Object.fromEntries(SECRETS.filter((k) => args[k] !== undefined).map((k) => [k, pulumi.secret(args[k])]));
    super(
      postgresAccessProvider,
      name,
      { ...Object.fromEntries(OUTPUTS.map((k) => [k, undefined])), ...args, ...secrets },
      { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...SECRETS] },
      'postgres',
      'Access',
    );
  }
}
