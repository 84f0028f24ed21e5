// `npm run build`, after tsc: the coverage registry of the compiled stages, shipped as dist/cli/implementations.json.
// Like make, it is rewritten only when tsc wrote anything since (tsc -b touches its build info only then).
import { statSync } from 'node:fs';
import { MANIFEST, writeImplementationsManifest } from './implementations.js';

const mtime = (url: URL): number => statSync(url, { throwIfNoEntry: false })?.mtimeMs ?? 0;

if (mtime(MANIFEST) <= mtime(new URL('../.tsbuildinfo', import.meta.url))) await writeImplementationsManifest();
