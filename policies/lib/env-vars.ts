import type { PlainResource } from './resources.js';
import { TYPES } from './resources.js';
import type { Unknown } from './values.js';
import { asBoolean, asString, asStringList, isUnknown } from './values.js';

/** A Vercel project env var as the env policies read it. */
export interface EnvVar {
  readonly key: string;
  /** The value: a secret arrives unwrapped, so only prefix classes and lengths may be shown. */
  readonly value: string | Unknown | undefined;
  readonly targets: readonly string[] | Unknown;
  readonly sensitive: boolean | Unknown | undefined;
  /** The resource keeps `value` a Pulumi secret (the Vercel SDK marks it so; a hand-made resource might not). */
  readonly valueIsSecret: boolean;
  readonly resource: PlainResource;
}

export function envVarOf(r: PlainResource): EnvVar | undefined {
  if (r.type !== TYPES.vercelEnv) return undefined;
  const key = asString(r.props.key);
  if (key === undefined || isUnknown(key)) return undefined;
  return {
    key,
    value: asString(r.props.value),
    targets: asStringList(r.props.targets) ?? [],
    sensitive: asBoolean(r.props.sensitive),
    valueIsSecret: r.additionalSecretOutputs.includes('value'),
    resource: r,
  };
}

export function envVars(resources: readonly PlainResource[]): EnvVar[] {
  return resources.map(envVarOf).filter((v): v is EnvVar => v !== undefined);
}

/** Whether the var reaches production deployments; unknown while its targets are not known. */
export function inProduction(v: EnvVar): boolean | Unknown {
  return isUnknown(v.targets) ? v.targets : v.targets.includes('production');
}

/** Keys are matched by exact name from a list or by a pattern, both from policy config. */
export function keyMatcher(keys: readonly string[], pattern = ''): (key: string) => boolean {
  const re = pattern === '' ? undefined : new RegExp(pattern);
  return (key) => keys.includes(key) || (re?.test(key) ?? false);
}

/** outOfScope for env-var rules: env vars whose name `inScope` rejects are not the rule's business. */
export function envScope<C>(inScope: (key: string, config: C) => boolean, label: (config: C) => string): (r: PlainResource, config: C) => string | undefined {
  return (r, config) => {
    if (r.type !== TYPES.vercelEnv) return undefined;
    const v = envVarOf(r);
    return v && inScope(v.key, config) ? undefined : `applies to env vars ${label(config)}`;
  };
}
