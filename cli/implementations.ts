import { readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/**
 * The pages of `prodcheck controls`, rendered by `npm run build` from the same registry, one file a format
 * (dist/cli/controls.<format>), so the command reads one small file and parses nothing. A registry that does
 * not fit the catalogue is written beside them (controls.problems), which makes the command exit 1.
 */
const PAGE = (format: ControlsFormat, dir: URL): URL => new URL(`./controls.${format}`, dir);
const PROBLEMS = (dir: URL): URL => new URL('./controls.problems', dir);

function readIfThere(file: URL): string | undefined {
  try {
    // Read synchronously: the first asynchronous file read starts libuv's thread pool, which costs
    // `prodcheck controls` a few milliseconds of its start-up for one small file.
    return readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

export async function registeredImplementations(manifest: URL = MANIFEST): Promise<Implementation[]> {
  const text = readIfThere(manifest);
  return text === undefined ? loadImplementations() : (JSON.parse(text) as { implementations: Implementation[] }).implementations;
}

/** One page of `prodcheck controls` as the build rendered it, or undefined without one (run from the sources). */
export function precomputedControls(format: ControlsFormat, manifest: URL = MANIFEST): { readonly page: string; readonly problems: readonly string[] } | undefined {
  const page = readIfThere(PAGE(format, manifest));
  if (page === undefined) return undefined;
  const problems = readIfThere(PROBLEMS(manifest));
  return { page, problems: problems === undefined ? [] : problems.split('\n').filter(Boolean) };
}

export async function writeImplementationsManifest(manifest: URL = MANIFEST): Promise<void> {
  const implementations = await loadImplementations();
  writeFileSync(manifest, `${JSON.stringify({ version: 1, implementations })}\n`);
  const [{ CONTROLS }, { computeCoverage }, { renderControls, CONTROLS_FORMATS }] = await Promise.all([import('../checklist/index.js'), import('../checklist/coverage.js'), import('./commands/controls-render.js')]);
  const coverage = computeCoverage(CONTROLS, implementations);
  const pages = renderControls(coverage);
  for (const format of CONTROLS_FORMATS) writeFileSync(PAGE(format, manifest), pages[format]);
  rmSync(PROBLEMS(manifest), { force: true });
  if (coverage.problems.length > 0) writeFileSync(PROBLEMS(manifest), `${coverage.problems.join('\n')}\n`);
}
