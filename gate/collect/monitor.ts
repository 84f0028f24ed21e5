import { createRequire } from 'node:module';
import { getProject, getStack } from '@pulumi/pulumi';
import type { Mocks } from '@pulumi/pulumi/runtime/mocks.js';
import { MockMonitor } from '@pulumi/pulumi/runtime/mocks.js';
import { setMockOptions } from '@pulumi/pulumi/runtime/settings.js';

/** Exported by the SDK at run time but marked internal, so absent from its type declarations. */
const { awaitFeatureSupport } = createRequire(import.meta.url)('@pulumi/pulumi/runtime/settings.js') as { awaitFeatureSupport(): Promise<void> };
import type { CollectedResource } from './types.js';

/** The subset of the generated RegisterResourceRequest the recorder reads. */
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { forEach(fn: (deps: { getUrnsList(): string[] }, key: string) => void): void };
  getProvider(): string;
  getVersion(): string;
  getProtect(): boolean;
  getIgnorechangesList(): string[];
  getAdditionalsecretoutputsList(): string[];
  getAliasurnsList(): string[];
  getDeletebeforereplace(): boolean;
  getDeletebeforereplacedefined(): boolean;
  getCustomtimeouts(): { getCreate(): string; getUpdate(): string; getDelete(): string } | undefined;
}

/** "5m", "1h30m", "90s" (Go durations, as custom timeouts travel) to seconds. */
function seconds(duration: string): number {
  let total = 0;
  for (const [, n, unit] of duration.matchAll(/(\d+(?:\.\d+)?)(h|m|s)/g)) total += Number(n) * (unit === 'h' ? 3600 : unit === 'm' ? 60 : 1);
  return total;
}

/**
 * The mock monitor of `pulumi.runtime.setMocks`, recording each RegisterResource request as it arrives:
 * the request still carries what `mocks.newResource` no longer sees (secrets wrapped, unknowns,
 * dependencies per property, the provider reference).
 */
export class RecordingMonitor extends MockMonitor {
  readonly recorded: CollectedResource[] = [];

  constructor(mocks: Mocks) {
    super(mocks);
    // The mock monitor's URNs put the root stack's type before its children's and keep only the last
    // type of a nested parent; waivers name resources by the engine's URNs, so build those instead.
    Object.assign(this, { newUrn: engineUrn });
  }

  /**
   * The features `setMocks` switches on (everything but output values and transforms, which need the
   * engine's callback service), answered as a monitor does when the SDK asks.
   */
  override supportsFeature(req: { getId(): string }, callback: (err: unknown, res: { getHassupport(): boolean }) => void): void {
    const id = req.getId();
    callback(null, { getHassupport: () => !['outputValues', 'transforms', 'invokeTransforms'].includes(id) });
  }

  override async registerResource(req: RegisterRequest, callback: (err: unknown, res: { getUrn(): string } | undefined) => void): Promise<void> {
    await super.registerResource(req, (err: unknown, res: { getUrn(): string } | undefined) => {
      if (!err && res) this.recorded.push(record(req, res.getUrn()));
      callback(err, res);
    });
  }
}

/** The engine's URN: the parent's full qualified type before the type, except for the root stack's children. */
export function engineUrn(parent: string, type: string, name: string): string {
  const parentType = parent === '' ? '' : (parent.split('::')[2] ?? '');
  const qualified = parentType === '' || parentType.split('$').pop() === 'pulumi:pulumi:Stack' ? type : `${parentType}$${type}`;
  return `urn:pulumi:${getStack()}::${getProject()}::${qualified}::${name}`;
}

function record(req: RegisterRequest, urn: string): CollectedResource {
  const propertyDependencies: Record<string, string[]> = {};
  req.getPropertydependenciesMap().forEach((deps, key) => {
    const urns = deps.getUrnsList();
    if (urns.length > 0) propertyDependencies[key] = urns;
  });
  const timeouts = req.getCustomtimeouts();
  return {
    urn,
    type: req.getType(),
    name: req.getName(),
    custom: req.getCustom(),
    ...(req.getParent() !== '' && { parent: req.getParent() }),
    inputs: req.getObject()?.toJavaScript() ?? {},
    dependencies: req.getDependenciesList(),
    propertyDependencies,
    ...(req.getProvider() !== '' && { provider: req.getProvider() }),
    ...(req.getVersion() !== '' && { version: req.getVersion() }),
    options: {
      protect: req.getProtect(),
      ignoreChanges: req.getIgnorechangesList(),
      additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
      aliases: req.getAliasurnsList(),
      ...(req.getDeletebeforereplacedefined() && { deleteBeforeReplace: req.getDeletebeforereplace() }),
      ...(timeouts && { customTimeouts: { create: seconds(timeouts.getCreate()), update: seconds(timeouts.getUpdate()), delete: seconds(timeouts.getDelete()) } }),
    },
  };
}

/**
 * Puts a recording monitor in place of the engine for a preview of `project`/`stack`. The SDK asks the
 * monitor which features it has (secrets kept wrapped, resource references...) as it asks the engine.
 */
export async function installRecordingMonitor(mocks: Mocks, project: string, stack: string): Promise<RecordingMonitor> {
  const monitor = new RecordingMonitor(mocks);
  setMockOptions(monitor, project, stack, true);
  await awaitFeatureSupport();
  return monitor;
}
