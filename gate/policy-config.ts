import { Ajv } from 'ajv';
import type * as pb from '@pulumi/pulumi/proto/analyzer_pb.js';
import { POLICIES } from '../policies/registry.js';
import type { StackSpec } from '../spec/index.js';
import { ConfigError } from '../spec/index.js';
import { analyzerPb, structPb } from './engine/proto.js';

export type EnforcementLevel = 'advisory' | 'mandatory' | 'remediate' | 'disabled';
export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ['advisory', 'mandatory', 'remediate', 'disabled'];

/** The JSON of `pulumi preview --policy-pack-config FILE`: `all` and policy names to a level or `{enforcementLevel?, ...properties}`. */
export type PolicyPackConfig = Record<string, EnforcementLevel | Record<string, unknown>>;

/** Every policy with its config for the stack: what `prodcheck gate --print-policy-config` prints. */
export function policyPackConfigFor(spec: StackSpec): PolicyPackConfig {
  return Object.fromEntries(POLICIES.map((p) => [p.id, p.configFor(spec)]));
}

/** One policy's config after reconciling, as Configure sends it. */
export interface ResolvedPolicyConfig {
  readonly enforcementLevel: EnforcementLevel;
  readonly properties: Record<string, unknown>;
}

const LEVEL_OF: Readonly<Record<number, EnforcementLevel>> = {
  [analyzerPb.EnforcementLevel.ADVISORY]: 'advisory',
  [analyzerPb.EnforcementLevel.MANDATORY]: 'mandatory',
  [analyzerPb.EnforcementLevel.REMEDIATE]: 'remediate',
  [analyzerPb.EnforcementLevel.DISABLED]: 'disabled',
};

export function levelName(level: number): EnforcementLevel {
  return LEVEL_OF[level] ?? 'advisory';
}

function levelNumber(level: EnforcementLevel): pb.EnforcementLevel {
  return { advisory: analyzerPb.EnforcementLevel.ADVISORY, mandatory: analyzerPb.EnforcementLevel.MANDATORY, remediate: analyzerPb.EnforcementLevel.REMEDIATE, disabled: analyzerPb.EnforcementLevel.DISABLED }[level];
}

function isLevel(v: unknown): v is EnforcementLevel {
  return typeof v === 'string' && (ENFORCEMENT_LEVELS as readonly string[]).includes(v);
}

/**
 * What the engine does before Configure: each policy starts from its own enforcement level and its
 * schema's defaults, then the pack's initial config, then `all` (a level for every policy), then the
 * policy's own entry; the properties are validated against the schema. Problems are bad input (exit 2).
 */
export function reconcilePolicyConfig(info: pb.AnalyzerInfo, config: PolicyPackConfig, source: string): Map<string, ResolvedPolicyConfig> {
  const problems: { path: string; message: string }[] = [];
  const policies = info.getPoliciesList();
  const names = new Set(policies.map((p) => p.getName()));
  for (const key of Object.keys(config)) {
    if (key !== 'all' && !names.has(key)) problems.push({ path: key, message: `is not a policy of pack ${info.getName()}` });
  }
  const all = config.all;
  const allLevel = isLevel(all) ? all : typeof all === 'object' && isLevel(all.enforcementLevel) ? all.enforcementLevel : undefined;
  if (all !== undefined && allLevel === undefined) problems.push({ path: 'all', message: `must be an enforcement level (${ENFORCEMENT_LEVELS.join(', ')})` });
  const initial = info.getInitialconfigMap();
  const ajv = new Ajv({ allErrors: true, strict: false });
  const resolved = new Map<string, ResolvedPolicyConfig>();
  for (const policy of policies) {
    const name = policy.getName();
    const schema = (policy.getConfigschema()?.getProperties()?.toJavaScript() ?? {}) as Record<string, { default?: unknown }>;
    let level = levelName(policy.getEnforcementlevel());
    const properties: Record<string, unknown> = Object.fromEntries(Object.entries(schema).filter(([, s]) => s.default !== undefined).map(([k, s]) => [k, s.default]));
    const init = initial.get(name);
    // A pack's initial config carries properties; its enforcement field cannot tell "unset" from advisory (0).
    if (init) Object.assign(properties, init.getProperties()?.toJavaScript() ?? {});
    if (allLevel !== undefined) level = allLevel;
    const own = config[name];
    if (isLevel(own)) {
      level = own;
    } else if (typeof own === 'object') {
      const { enforcementLevel, ...props } = own;
      if (enforcementLevel !== undefined && !isLevel(enforcementLevel)) problems.push({ path: `${name}.enforcementLevel`, message: `must be one of ${ENFORCEMENT_LEVELS.join(', ')}` });
      else if (enforcementLevel !== undefined) level = enforcementLevel;
      Object.assign(properties, props);
    } else if (own !== undefined) {
      problems.push({ path: name, message: `must be an enforcement level or an object of properties` });
    }
    const validate = ajv.compile({ type: 'object', properties: schema, required: policy.getConfigschema()?.getRequiredList() ?? [] });
    if (!validate(properties)) {
      for (const err of validate.errors ?? []) problems.push({ path: `${name}${err.instancePath.replace(/\//g, '.')}`, message: err.message ?? 'is invalid' });
    }
    resolved.set(name, { enforcementLevel: level, properties });
  }
  if (problems.length > 0) throw new ConfigError(source, problems);
  return resolved;
}

export function configureRequest(config: ReadonlyMap<string, ResolvedPolicyConfig>): pb.ConfigureAnalyzerRequest {
  const req = new analyzerPb.ConfigureAnalyzerRequest();
  const map = req.getPolicyconfigMap();
  for (const [name, c] of config) {
    map.set(name, new analyzerPb.PolicyConfig().setEnforcementlevel(levelNumber(c.enforcementLevel)).setProperties(structPb.Struct.fromJavaScript(c.properties as Parameters<typeof structPb.Struct.fromJavaScript>[0])));
  }
  return req;
}

/** Overrides (a `--policy-config` file) go over the config derived from the stack, policy by policy. */
export function mergePolicyConfig(base: PolicyPackConfig, override: PolicyPackConfig): PolicyPackConfig {
  const out: PolicyPackConfig = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const prior = out[key];
    out[key] = typeof value === 'object' && typeof prior === 'object' ? { ...prior, ...value } : isLevel(value) && typeof prior === 'object' ? { ...prior, enforcementLevel: value } : value;
  }
  return out;
}
