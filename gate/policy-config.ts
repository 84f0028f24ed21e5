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

/** One entry of a config as the engine parses it: an enforcement level (or none) and properties. */
interface Entry {
  readonly level?: EnforcementLevel;
  readonly properties: Record<string, unknown>;
}

/**
 * A `--policy-pack-config` document as the engine parses it: a string must be a level; an object may
 * carry `enforcementLevel` (a level) beside its properties; an entry with neither is dropped.
 */
function parseEntries(config: PolicyPackConfig, problems: { path: string; message: string }[]): Map<string, Entry> {
  const out = new Map<string, Entry>();
  for (const [key, value] of Object.entries(config) as [string, unknown][]) {
    if (typeof value === 'string') {
      if (isLevel(value)) out.set(key, { level: value, properties: {} });
      else problems.push({ path: key, message: `"${value}" is not a valid enforcement level (${ENFORCEMENT_LEVELS.join(', ')})` });
    } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const { enforcementLevel, ...properties } = value as Record<string, unknown>;
      if (enforcementLevel !== undefined && !isLevel(enforcementLevel)) {
        problems.push({ path: `${key}.enforcementLevel`, message: `${JSON.stringify(enforcementLevel)} is not a valid enforcement level (${ENFORCEMENT_LEVELS.join(', ')})` });
      } else if (enforcementLevel !== undefined || Object.keys(properties).length > 0) {
        out.set(key, { ...(enforcementLevel !== undefined && { level: enforcementLevel }), properties });
      }
    } else {
      problems.push({ path: key, message: 'must be an enforcement level or an object of properties' });
    }
  }
  return out;
}

/** The engine's applyConfig: `all` sets every level first, then each entry its own level and properties. */
function apply(result: Map<string, ResolvedPolicyConfig>, entries: ReadonlyMap<string, Entry>): void {
  const all = entries.get('all')?.level;
  if (all !== undefined) for (const [name, c] of result) result.set(name, { ...c, enforcementLevel: all });
  for (const [name, entry] of entries) {
    const prior = result.get(name);
    result.set(name, { enforcementLevel: entry.level ?? prior?.enforcementLevel ?? 'advisory', properties: { ...prior?.properties, ...entry.properties } });
  }
}

/**
 * What the engine does before Configure (ReconcilePolicyPackConfig): each policy starts from its own
 * level and its schema's defaults; then the pack's initial config applies, then the user's config
 * (`--policy-pack-config`), each `all` first. An initial entry always sets its level: the protocol cannot
 * tell an unset level from advisory, and the engine reads it as advisory. A name that is no policy of
 * the pack is passed on and changes nothing, as in the engine; it is returned so the CLI can say so.
 * Properties are validated against each policy's schema; problems are bad input (exit 2).
 */
export function reconcilePolicyConfig(info: pb.AnalyzerInfo, config: PolicyPackConfig, source: string): Map<string, ResolvedPolicyConfig> & { readonly unknownNames: readonly string[] } {
  const problems: { path: string; message: string }[] = [];
  const policies = info.getPoliciesList();
  const resolved = new Map<string, ResolvedPolicyConfig>();
  for (const policy of policies) {
    const schema = (policy.getConfigschema()?.getProperties()?.toJavaScript() ?? {}) as Record<string, { default?: unknown }>;
    const defaults = Object.fromEntries(Object.entries(schema).filter(([, s]) => s.default !== undefined).map(([k, s]) => [k, s.default]));
    resolved.set(policy.getName(), { enforcementLevel: levelName(policy.getEnforcementlevel()), properties: defaults });
  }
  const initial = new Map<string, Entry>();
  info.getInitialconfigMap().forEach((c, name) => initial.set(name, { level: levelName(c.getEnforcementlevel()), properties: (c.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown> }));
  apply(resolved, initial);
  apply(resolved, parseEntries(config, problems));
  const ajv = new Ajv({ allErrors: true, strict: false });
  for (const policy of policies) {
    const name = policy.getName();
    const schema = policy.getConfigschema()?.getProperties()?.toJavaScript() ?? {};
    const validate = ajv.compile({ type: 'object', properties: schema, required: policy.getConfigschema()?.getRequiredList() ?? [] });
    if (!validate(resolved.get(name)?.properties ?? {})) {
      for (const err of validate.errors ?? []) problems.push({ path: `${name}${err.instancePath.replace(/\//g, '.')}`, message: err.message ?? 'is invalid' });
    }
  }
  if (problems.length > 0) throw new ConfigError(source, problems);
  const names = new Set(policies.map((p) => p.getName()));
  return Object.assign(resolved, { unknownNames: [...resolved.keys()].filter((k) => k !== 'all' && !names.has(k)) });
}

export function configureRequest(config: ReadonlyMap<string, ResolvedPolicyConfig>): pb.ConfigureAnalyzerRequest {
  const req = new analyzerPb.ConfigureAnalyzerRequest();
  const map = req.getPolicyconfigMap();
  for (const [name, c] of config) {
    map.set(name, new analyzerPb.PolicyConfig().setEnforcementlevel(levelNumber(c.enforcementLevel)).setProperties(structPb.Struct.fromJavaScript(c.properties as Parameters<typeof structPb.Struct.fromJavaScript>[0])));
  }
  return req;
}
