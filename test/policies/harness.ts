import type { PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from '@pulumi/policy';
import { createRequire } from 'node:module';
import { TYPES } from '../../policies/lib/resources.js';
import type { PackPolicy } from '../../policies/registry.js';

/** The SDK wraps props in this proxy before a policy sees them (internal to @pulumi/policy, so untyped). */
const { unknownCheckingProxy, UnknownValueError } = createRequire(import.meta.url)('@pulumi/policy/proxy.js') as {
  unknownCheckingProxy<T extends object>(props: T): T;
  UnknownValueError: new (...args: never[]) => Error;
};

/** The engine's sentinel for a string not known at preview. */
export const UNKNOWN = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';

export interface TestResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly props: Record<string, unknown>;
  readonly secretOutputs: readonly string[];
  /** Property name to the resources it was computed from. */
  readonly deps: Record<string, readonly TestResource[]>;
}

export function res(type: string, name: string, props: Record<string, unknown>, more: { secretOutputs?: readonly string[]; deps?: Record<string, readonly TestResource[]> } = {}): TestResource {
  return { type, name, urn: `urn:pulumi:prod::prodcheck::${type}::${name}`, props, secretOutputs: more.secretOutputs ?? [], deps: more.deps ?? {} };
}

/** A Vercel env var as @pulumiverse/vercel registers it (value always a secret output). */
export function envVar(key: string, value: unknown, more: Record<string, unknown> = {}, opts: { secretOutputs?: readonly string[]; deps?: Record<string, readonly TestResource[]> } = {}): TestResource {
  return res(TYPES.vercelEnv, `chat-app-env-${key}`, { projectId: UNKNOWN, key, value, targets: ['production'], sensitive: false, ...more }, { secretOutputs: opts.secretOutputs ?? ['value', 'valueWo'], ...(opts.deps && { deps: opts.deps }) });
}

export interface Outcome {
  /** Violations at the policy's level, as the policy reported them (without the SDK's description prefix). */
  readonly violations: string[];
  /** Violations the policy downgraded to advisory itself (waived). */
  readonly downgraded: string[];
  /** The URN each violation named (stack policies), in order. */
  readonly urns: (string | undefined)[];
  readonly notApplicable?: string;
  /** The SDK's unknown-value error the policy raised (the engine reports "can't run … during preview: <this>"). */
  readonly unknown?: string;
}

class NotApplicable extends Error {}

function opts(r: TestResource) {
  return { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [...r.secretOutputs] };
}

function collector() {
  const out = { violations: [] as string[], downgraded: [] as string[], urns: [] as (string | undefined)[] };
  // The SDK's report function accepts a string or, undocumented, an object carrying its own level.
  const report = (message: string | { message: string; urn?: string; enforcementLevel: string }, urn?: string) => {
    if (typeof message === 'string') {
      out.violations.push(message);
      out.urns.push(urn);
    } else {
      out.downgraded.push(message.message.split('\n').slice(1).join('\n'));
      out.urns.push(message.urn);
    }
  };
  return { out, report };
}

async function settle(out: ReturnType<typeof collector>['out'], run: () => void | Promise<void>): Promise<Outcome> {
  try {
    await run();
    return out;
  } catch (e) {
    if (e instanceof NotApplicable) return { ...out, notApplicable: e.message };
    if (e instanceof UnknownValueError) return { ...out, unknown: e.message };
    throw e;
  }
}

/** Calls the policy's validateResource the way the SDK's Analyze handler does, props behind the SDK's unknown-checking proxy. */
export function runResource(p: PackPolicy, r: TestResource, config: Record<string, unknown> = {}): Promise<Outcome> {
  const policy = p.policy as ResourceValidationPolicy;
  const { out, report } = collector();
  const args = {
    type: r.type,
    props: unknownCheckingProxy(r.props),
    urn: r.urn,
    name: r.name,
    opts: opts(r),
    stackTags: new Map<string, string>(),
    isType: () => false,
    asType: () => undefined,
    getConfig: () => config,
    notApplicable: (reason?: string): never => {
      throw new NotApplicable(reason);
    },
  } as unknown as ResourceValidationArgs;
  const validate = policy.validateResource;
  if (typeof validate !== 'function') throw new Error(`${p.id} is not a resource policy`);
  return settle(out, () => validate(args, report as never));
}

export function runStack(p: PackPolicy, resources: readonly TestResource[], config: Record<string, unknown> = {}): Promise<Outcome> {
  const policy = p.policy as StackValidationPolicy;
  const { out, report } = collector();
  const byUrn = new Map<string, PolicyResource>();
  for (const r of resources) {
    if (byUrn.has(r.urn)) throw new Error(`two test resources share ${r.urn}: give them different names`);
    byUrn.set(r.urn, { type: r.type, props: unknownCheckingProxy(r.props), urn: r.urn, name: r.name, opts: opts(r), dependencies: [], propertyDependencies: {}, isType: () => false, asType: () => undefined } as unknown as PolicyResource);
  }
  for (const r of resources) {
    const target = byUrn.get(r.urn) as PolicyResource;
    for (const [key, deps] of Object.entries(r.deps)) {
      target.propertyDependencies[key] = deps.map((d) => {
        const dep = byUrn.get(d.urn);
        if (!dep) throw new Error(`${d.urn} is a dependency but not in the stack`);
        return dep;
      });
    }
  }
  const args = {
    resources: [...byUrn.values()],
    stackTags: new Map<string, string>(),
    getConfig: () => config,
    notApplicable: (reason?: string): never => {
      throw new NotApplicable(reason);
    },
  } as unknown as StackValidationArgs;
  return settle(out, () => policy.validateStack(args, report as never));
}
