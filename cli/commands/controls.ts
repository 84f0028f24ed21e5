import { UsageError } from '../../spec/errors.js';
import type { Values } from '../types.js';
import type { Io } from '../io.js';
import { EXIT } from '../io.js';
import { precomputedControls, registeredImplementations } from '../implementations.js';
import type { ControlsFormat } from './controls-render.js';

const FORMATS: readonly ControlsFormat[] = ['table', 'json', 'md'];

export async function run(values: Values, _positionals: string[], io: Io): Promise<number> {
  const format = String(values.format);
  if (!FORMATS.includes(format as ControlsFormat)) {
    throw new UsageError(`--format must be one of ${FORMATS.join(', ')} (found "${format}")`);
  }
  // `npm run build` renders the pages once from the compiled stages; run from the sources they are computed here.
  const pages = precomputedControls() ?? (await computeControls());
  io.stdout(pages.pages[format as ControlsFormat]);
  if (pages.problems.length > 0) {
    io.stderr(`Registered implementations that do not fit the catalogue:\n${pages.problems.map((p) => `  - ${p}`).join('\n')}\n`);
    return EXIT.failed;
  }
  return EXIT.ok;
}

async function computeControls(): Promise<{ pages: Readonly<Record<ControlsFormat, string>>; problems: readonly string[] }> {
  const [{ CONTROLS }, { computeCoverage }, { renderControls }] = await Promise.all([import('../../checklist/index.js'), import('../../checklist/coverage.js'), import('./controls-render.js')]);
  const coverage = computeCoverage(CONTROLS, await registeredImplementations());
  return { pages: renderControls(coverage), problems: coverage.problems };
}
