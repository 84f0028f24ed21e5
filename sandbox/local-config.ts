import { readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseDocument } from 'yaml';
import type { LoadedStack, StackSpec } from '../spec/index.js';

/** The stack settings the sandbox changes for a local run (see localSpec), as [section, key] of the config. */
const LOCAL_KEYS = [
  ['postgres', 'queryLatencyMs'],
  ['redis', 'latencyP95Ms'],
] as const;

/**
 * Writes a copy of the stack file into `dir` carrying the budgets the sandbox raised, so the
 * "verify it yourself" command judges the running sandbox by the same spec the sandbox run used.
 */
export async function writeLocalConfig(loaded: LoadedStack, local: StackSpec, dir: string): Promise<string> {
  const doc = parseDocument(await readFile(loaded.file, 'utf8'));
  for (const [section, key] of LOCAL_KEYS) {
    const value = (local[section] as Record<string, unknown> | undefined)?.[key];
    if (value === undefined || value === (loaded.spec[section] as Record<string, unknown> | undefined)?.[key]) continue;
    // The section is `prodcheck:<section>`, or `<project>:<section>`-less `<section>` in the project's namespace.
    const name = doc.hasIn(['config', `prodcheck:${section}`]) ? `prodcheck:${section}` : section;
    doc.setIn(['config', name, key], value);
  }
  const file = join(dir, basename(loaded.file));
  await writeFile(file, doc.toString());
  return file;
}
