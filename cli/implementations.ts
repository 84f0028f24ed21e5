import { readFileSync, writeFileSync } from 'node:fs';
import type { Implementation, Stage } from '../checklist/index.js';
import type { ControlsFormat } from './commands/controls-render.js';

/**
 * Every stage's registry of implementations. Each stage lists what it registers (checks, policies,
 * provisioning steps), each carrying a control id; coverage is computed from these, never typed by hand.
 */
const SOURCES: ReadonlyArray<() => Promise<readonly Implementation[]>> = [
  async () => {
    const [{ FAMILIES }, { getControl }] = await Promise.all([import('../verify/registry.js'), import('../checklist/index.js')]);
    return FAMILIES.flatMap((f) =>
      f.checks.map((c) => {
        // An acting check implements the control's A stage where the catalogue has one.
        const stage: Stage = c.stage ?? (c.active && getControl(c.id).stages.includes('A') ? 'A' : 'V');
        return { control: c.id, stage, source: `verify/${f.collector.target}` };
      }),
    );
  },
  async () => {
    const [{ FAMILIES }, { driftImplementations }] = await Promise.all([import('../verify/registry.js'), import('../drift/select.js')]);
    return driftImplementations(FAMILIES);
  },
  // The Pulumi program's components declare what they provision; importing them declares no resource.
  async () => (await import('../infra/coverage.js')).provisionImplementations(),
  // The policy pack's registered policies, one per control; the area modules load no Pulumi runtime.
  async () => {
    const { AREAS } = await import('../policies/registry.js');
    return AREAS.flatMap((a) => a.policies.map((p) => ({ control: p.id, stage: 'G' as const, source: a.source })));
  },
];

/** Computes the registry by importing every stage (the Pulumi SDK included: seconds). */
export async function loadImplementations(): Promise<Implementation[]> {
  const lists = await Promise.all(SOURCES.map((load) => load()));
  return lists.flat();
}

/**
 * The registry as `npm run build` computed it from the compiled stages (dist/cli/implementations.json),
 * so `prodcheck controls` starts without the Pulumi SDK. Run from the sources, there is no manifest
 * next to this file and the registry is computed.
 */
export const MANIFEST = new URL('./implementations.json', import.meta.url);

interface Manifest {
  readonly implementations: Implementation[];
  /** The pages of `prodcheck controls`, rendered at build from the same registry. */
  readonly controls?: { readonly pages: Readonly<Record<ControlsFormat, string>>; readonly problems: readonly string[] };
}

/** The manifest, or undefined when there is none (run from the sources). Read synchronously: the first
 * asynchronous file read starts libuv's thread pool, which costs `prodcheck controls` a few milliseconds. */
function readManifest(manifest: URL): Manifest | undefined {
  let text: string;
  try {
    text = readFileSync(manifest, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  return JSON.parse(text) as Manifest;
}

export async function registeredImplementations(manifest: URL = MANIFEST): Promise<Implementation[]> {
  return readManifest(manifest)?.implementations ?? loadImplementations();
}

/** `prodcheck controls` as the build rendered it, or undefined without a manifest. */
export function precomputedControls(manifest: URL = MANIFEST): Manifest['controls'] {
  return readManifest(manifest)?.controls;
}

export async function writeImplementationsManifest(manifest: URL = MANIFEST): Promise<void> {
  const implementations = await loadImplementations();
  const [{ CONTROLS }, { computeCoverage }, { renderControls }] = await Promise.all([import('../checklist/index.js'), import('../checklist/coverage.js'), import('./commands/controls-render.js')]);
  const coverage = computeCoverage(CONTROLS, implementations);
  const content: Manifest = { implementations, controls: { pages: renderControls(coverage), problems: coverage.problems } };
  writeFileSync(manifest, `${JSON.stringify({ version: 1, ...content })}\n`);
}
