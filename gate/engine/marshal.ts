import type * as pb from '@pulumi/pulumi/proto/analyzer_pb.js';
import type { CollectedResource } from '../collect/types.js';
import { analyzerPb, structPb } from './proto.js';

/** Struct.fromJavaScript's argument type. */
type JsObject = Parameters<typeof structPb.Struct.fromJavaScript>[0];

/** The wire form of a secret (`sig` key and value of the resource protocol). */
export const SECRET_SIG = { key: '4dabf18193072939515e22adb298388d', value: '1b47061264138c4ac30d75fd1eb44270' } as const;
/** The wire form of a string not known at preview. */
export const UNKNOWN_STRING = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';

export function secret(value: unknown): Record<string, unknown> {
  return { [SECRET_SIG.key]: SECRET_SIG.value, value };
}

/** The engine sends analyzers the inputs without internal keys (`__provider` of dynamic resources, `__defaults`...). */
function withoutInternalKeys(props: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(props).filter(([k]) => !k.startsWith('__')));
}

function options(r: CollectedResource): pb.AnalyzerResourceOptions {
  const o = new analyzerPb.AnalyzerResourceOptions()
    .setProtect(r.options.protect)
    .setIgnorechangesList([...r.options.ignoreChanges])
    .setAdditionalsecretoutputsList([...r.options.additionalSecretOutputs])
    .setAliasesList([...r.options.aliases])
    .setParent(r.parent ?? '');
  if (r.options.deleteBeforeReplace !== undefined) o.setDeletebeforereplace(r.options.deleteBeforeReplace).setDeletebeforereplacedefined(true);
  const t = r.options.customTimeouts;
  if (t) o.setCustomtimeouts(new analyzerPb.AnalyzerResourceOptions.CustomTimeouts().setCreate(t.create).setUpdate(t.update).setDelete(t.delete));
  return o;
}

function providerMessage(p: CollectedResource): pb.AnalyzerProviderResource {
  return new analyzerPb.AnalyzerProviderResource()
    .setUrn(p.urn)
    .setType(p.type)
    .setName(p.name)
    .setProperties(structPb.Struct.fromJavaScript(withoutInternalKeys(p.inputs) as JsObject));
}

/** The stack's resources and the provider each custom resource is created with. */
export interface AnalyzedStack {
  readonly resources: readonly CollectedResource[];
  providerOf(r: CollectedResource): CollectedResource | undefined;
}

/**
 * Adds the default provider of each package the program used without an explicit one, named as the
 * engine names them (`default_7_48_0`) and configured from the stack's `<package>:*` config, so a
 * policy sees the provider (region...) a preview would hand it.
 */
export function withDefaultProviders(
  resources: readonly CollectedResource[],
  stack: { readonly project: string; readonly stack: string; readonly config: Readonly<Record<string, string>>; readonly secretKeys: readonly string[] },
): AnalyzedStack {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const defaults = new Map<string, CollectedResource>();
  const providerOf = new Map<string, CollectedResource>();
  for (const r of resources) {
    if (!r.custom || r.type.startsWith('pulumi:providers:')) continue;
    if (r.provider !== undefined) {
      const explicit = byUrn.get(r.provider.split('::').slice(0, -1).join('::'));
      if (explicit) providerOf.set(r.urn, explicit);
      continue;
    }
    const pkg = r.type.split(':')[0] ?? '';
    const name = r.version === undefined ? 'default' : `default_${r.version.replace(/[.+-]/g, '_')}`;
    const key = `${pkg}::${name}`;
    let provider = defaults.get(key);
    if (!provider) {
      const inputs: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(stack.config)) {
        if (!k.startsWith(`${pkg}:`)) continue;
        inputs[k.slice(pkg.length + 1)] = stack.secretKeys.includes(k) ? secret(v) : v;
      }
      if (r.version !== undefined) inputs.version = r.version;
      provider = {
        urn: `urn:pulumi:${stack.stack}::${stack.project}::pulumi:providers:${pkg}::${name}`,
        type: `pulumi:providers:${pkg}`,
        name,
        custom: true,
        inputs,
        dependencies: [],
        propertyDependencies: {},
        options: { protect: false, ignoreChanges: [], additionalSecretOutputs: [], aliases: [] },
      };
      defaults.set(key, provider);
    }
    providerOf.set(r.urn, provider);
  }
  return { resources: [...defaults.values(), ...resources], providerOf: (r) => providerOf.get(r.urn) };
}

export function analyzeRequest(r: CollectedResource, stack: AnalyzedStack): pb.AnalyzeRequest {
  const req = new analyzerPb.AnalyzeRequest()
    .setUrn(r.urn)
    .setType(r.type)
    .setName(r.name)
    .setProperties(structPb.Struct.fromJavaScript(withoutInternalKeys(r.inputs) as JsObject))
    .setOptions(options(r));
  const provider = stack.providerOf(r);
  if (provider) req.setProvider(providerMessage(provider));
  return req;
}

export function analyzeStackRequest(stack: AnalyzedStack): pb.AnalyzeStackRequest {
  const resources = stack.resources.map((r) => {
    const res = new analyzerPb.AnalyzerResource()
      .setUrn(r.urn)
      .setType(r.type)
      .setName(r.name)
      .setProperties(structPb.Struct.fromJavaScript(withoutInternalKeys(r.inputs) as JsObject))
      .setOptions(options(r))
      .setParent(r.parent ?? '')
      .setDependenciesList([...r.dependencies]);
    const deps = res.getPropertydependenciesMap();
    for (const [key, urns] of Object.entries(r.propertyDependencies)) deps.set(key, new analyzerPb.AnalyzerPropertyDependencies().setUrnsList([...urns]));
    const provider = stack.providerOf(r);
    if (provider) res.setProvider(providerMessage(provider));
    return res;
  });
  return new analyzerPb.AnalyzeStackRequest().setResourcesList(resources);
}
