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
  const shown = precomputedControls(format as ControlsFormat) ?? (await computeControls(format as ControlsFormat));
  io.stdout(shown.page);
  if (shown.problems.length > 0) {
    io.stderr(`Registered implementations that do not fit the catalogue:\n${shown.problems.map((p) => `  - ${p}`).join('\n')}\n`);
    return EXIT.failed;
  }
  return EXIT.ok;
}

async function computeControls(format: ControlsFormat): Promise<{ page: string; problems: readonly string[] }> {
  const [{ CONTROLS }, { computeCoverage }, { renderControls }] = await Promise.all([import('../../checklist/index.js'), import('../../checklist/coverage.js'), import('./controls-render.js')]);
  const coverage = computeCoverage(CONTROLS, await registeredImplementations());
  return { page: renderControls(coverage)[format], problems: coverage.problems };
}
