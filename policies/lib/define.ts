import type { EnforcementLevel, ResourceValidationPolicy, StackValidationPolicy } from '@pulumi/policy';
import { createRequire } from 'node:module';
import type { Severity } from '../../checklist/index.js';
import { getControl } from '../../checklist/index.js';
import type { StackSpec } from '../../spec/index.js';
import type { ConfigOf, Fields, PolicyWaiver } from './config.js';
import { defaultsOf, toSchema, withDefaults } from './config.js';
import { docsUrl } from './docs.js';
import type { PlainResource } from './resources.js';
import { fromResourceArgs, fromStackResources } from './resources.js';
import type { UnknownValue } from './values.js';
import { withUnknownReads } from './values.js';
import { reportWithWaivers, today } from './waivers.js';

/**
 * A verdict with no violation that rests on a value not known yet is not a pass: it is handed to the
 * SDK as its own unknown-value error, which the SDK reports as the advisory "can't run policy … during
 * preview" exactly as for a policy that read the unknown through its proxy. Loaded when needed, from
 * the same @pulumi/policy the pack's server runs (it checks with instanceof), so that reading the
 * catalogue does not load the Pulumi runtime.
 */
function unknownAtPreview(unknown: UnknownValue): Error {
  const { UnknownValueError } = createRequire(import.meta.url)('@pulumi/policy') as { UnknownValueError: new (sentinel: string, props: string[]) => Error };
  return new UnknownValueError(unknown.sentinel, [unknown.path]);
}

export interface Violation {
  readonly message: string;
  /** The resource at fault; absent when the stack as a whole lacks something. */
  readonly resource?: PlainResource;
}

export interface NotApplicable {
  readonly notApplicable: string;
}

interface RuleBase<F extends Fields> {
  /** The catalogue id: the policy's name. */
  readonly id: string;
  readonly remediation: string;
  readonly config: F;
  /**
   * Config from the stack's desired state: facts (domain, events, tables, waivers come separately) and
   * thresholds only where the stack asks for more than the control's floor, so a mistake in the stack
   * file cannot lower the bar the pack judges it by.
   */
  readonly fromSpec?: (spec: StackSpec, defaults: ConfigOf<F>) => Partial<ConfigOf<F>>;
}

export interface ResourceRule<F extends Fields> extends RuleBase<F> {
  readonly types: readonly string[];
  /** Why a resource of those types is outside the rule (an env var of another name), or undefined when it is in. */
  readonly outOfScope?: (resource: PlainResource, config: ConfigOf<F>) => string | undefined;
  /** Pure: the violations of one resource, each one sentence with the rule and the offending value. */
  check(resource: PlainResource, config: ConfigOf<F>): readonly string[];
}

export interface StackRule<F extends Fields> extends RuleBase<F> {
  /** Pure: the violations across the stack, or why the policy does not apply to it. */
  check(resources: readonly PlainResource[], config: ConfigOf<F>): readonly Violation[] | NotApplicable;
}

/** One control's CrossGuard policy with what the CLI needs around it. */
export interface PackPolicy {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly enforcementLevel: EnforcementLevel;
  readonly kind: 'resource' | 'stack';
  readonly policy: ResourceValidationPolicy | StackValidationPolicy;
  /** The complete config of this policy for a stack: schema defaults, then what the stack file says. */
  configFor(spec: StackSpec): Record<string, unknown>;
}

/** Critical and high controls block; medium and low ones are reported. Config overrides either way. */
function defaultLevel(severity: Severity): EnforcementLevel {
  return severity === 'critical' || severity === 'high' ? 'mandatory' : 'advisory';
}

function metadata<F extends Fields>(rule: RuleBase<F>) {
  const control = getControl(rule.id);
  if (!control.stages.includes('G')) throw new Error(`${rule.id} has no stage G in the catalogue: a policy cannot implement it`);
  const enforcementLevel = defaultLevel(control.severity);
  const info = {
    name: rule.id,
    description: control.title,
    displayName: control.title,
    severity: control.severity,
    enforcementLevel,
    remediationSteps: rule.remediation,
    url: docsUrl(rule.id),
    configSchema: toSchema(rule.config),
    tags: [control.family],
  };
  const configFor = (spec: StackSpec): Record<string, unknown> => {
    const defaults = defaultsOf(rule.config);
    const waivers: PolicyWaiver[] = spec.waivers
      .filter((w) => w.control === rule.id)
      .map((w) => ({ ...(w.resource !== undefined && { resource: w.resource }), owner: w.owner, expires: w.expires, reason: w.reason }));
    return { ...defaults, ...rule.fromSpec?.(spec, defaults), waivers };
  };
  return { control, enforcementLevel, info, configFor };
}

export function resourcePolicy<F extends Fields>(rule: ResourceRule<F>): PackPolicy {
  const { control, enforcementLevel, info, configFor } = metadata(rule);
  const policy: ResourceValidationPolicy = {
    ...info,
    validateResource: (args, report) => {
      if (!rule.types.includes(args.type)) args.notApplicable(`applies to ${rule.types.join(', ')}`);
      const config = withDefaults(rule.config, args.getConfig<Record<string, unknown>>());
      const resource = fromResourceArgs(args);
      const outside = rule.outOfScope?.(resource, config);
      if (outside !== undefined) args.notApplicable(outside);
      const on = today();
      const { result: messages, unknowns } = withUnknownReads(() => rule.check(resource, config));
      if (messages.length === 0 && unknowns[0] !== undefined) throw unknownAtPreview(unknowns[0]);
      for (const message of messages) {
        reportWithWaivers(report, info.description, message, { urn: args.urn, name: args.name, reportUrn: false }, config.waivers, on);
      }
    },
  };
  return { id: rule.id, title: control.title, severity: control.severity, enforcementLevel, kind: 'resource', policy, configFor };
}

export function stackPolicy<F extends Fields>(rule: StackRule<F>): PackPolicy {
  const { control, enforcementLevel, info, configFor } = metadata(rule);
  const policy: StackValidationPolicy = {
    ...info,
    validateStack: (args, report) => {
      const config = withDefaults(rule.config, args.getConfig<Record<string, unknown>>());
      const { result: outcome, unknowns } = withUnknownReads(() => rule.check(fromStackResources(args.resources), config));
      if ('notApplicable' in outcome) args.notApplicable(outcome.notApplicable);
      const violations = outcome as readonly Violation[];
      if (violations.length === 0 && unknowns[0] !== undefined) throw unknownAtPreview(unknowns[0]);
      const on = today();
      for (const v of violations) {
        const target = v.resource ? { urn: v.resource.urn, name: v.resource.name, reportUrn: true } : { urn: '', name: '', reportUrn: false };
        reportWithWaivers(report, info.description, v.message, target, config.waivers, on);
      }
    },
  };
  return { id: rule.id, title: control.title, severity: control.severity, enforcementLevel, kind: 'stack', policy, configFor };
}

export function ofType(resources: readonly PlainResource[], ...types: readonly string[]): PlainResource[] {
  return resources.filter((r) => types.includes(r.type));
}
