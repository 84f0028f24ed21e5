import { accessSync, constants, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../spec/index.js';

const code = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? String(e);

/** The nearest existing ancestor of `dir` (the directory `mkdir -p` would start from). */
function nearestExisting(dir: string): string {
  let at = dir;
  while (statSync(at, { throwIfNoEntry: false }) === undefined && dirname(at) !== at) at = dirname(at);
  return at;
}

/**
 * Checks before anything runs (before any acting probe) that `file` can be written: not a directory,
 * its directory there (or, with `createDirs`, creatable), and writable. `what` names the flag, e.g.
 * `--out` or `--report junit=out.xml`; a problem is a usage error (exit 2) saying what and what to do.
 */
export function checkWritableFile(file: string, what: string, opts: { createDirs?: boolean; example?: string } = {}): void {
  const info = statSync(file, { throwIfNoEntry: false });
  if (info?.isDirectory()) throw new UsageError(`${what}: ${file} is a directory: name a file, e.g. ${join(file, opts.example ?? 'report.out')}`);
  if (info) {
    try {
      accessSync(file, constants.W_OK);
    } catch (e) {
      throw new UsageError(`${what}: ${file} cannot be written (${code(e)}): make it writable or pass another path`);
    }
    return;
  }
  const dir = dirname(file);
  const parent = opts.createDirs === true ? nearestExisting(dir) : dir;
  const parentInfo = statSync(parent, { throwIfNoEntry: false });
  if (parentInfo === undefined) throw new UsageError(`${what}: the directory ${dir} does not exist: create it (mkdir -p ${dir}) or pass a path in an existing directory`);
  if (!parentInfo.isDirectory()) throw new UsageError(`${what}: ${parent} is not a directory, so ${file} cannot be created there: pass another path`);
  try {
    accessSync(parent, constants.W_OK | constants.X_OK);
  } catch (e) {
    throw new UsageError(`${what}: cannot create ${file}: the directory ${parent} is not writable (${code(e)}): pass a path in a writable directory`);
  }
}
