import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ProgramRunError } from '../errors.js';
import { stopChild, tail, waitForExit } from '../process.js';
import type { CollectRequest, CollectResult } from './types.js';

// child.ts from the sources, child.js from dist/; either way tsx loads the TypeScript program it imports.
const CHILD = fileURLToPath(new URL(`./child${extname(fileURLToPath(import.meta.url))}`, import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** Runs the program under mocks in a child process and returns what it registered. */
export async function collectResources(request: CollectRequest, timeoutMs = 120_000): Promise<CollectResult> {
  const dir = mkdtempSync(join(tmpdir(), 'prodcheck-gate-'));
  try {
    const requestFile = join(dir, 'request.json');
    const outFile = join(dir, 'resources.json');
    writeFileSync(requestFile, JSON.stringify(request), { mode: 0o600 });
    const child = spawn(process.execPath, ['--import', TSX, CHILD, requestFile, outFile], { stdio: ['ignore', 'ignore', 'pipe'], env: process.env });
    const stderr = tail(child.stderr);
    const exited = await waitForExit(child, timeoutMs);
    if (!exited) {
      await stopChild(child);
      throw new ProgramRunError(`the program ${request.program} did not finish under mocks within ${timeoutMs / 1000} s`, request.program, stderr());
    }
    if (child.exitCode !== 0) {
      throw new ProgramRunError(`the program ${request.program} failed under mocks (exit ${child.exitCode ?? child.signalCode})`, request.program, stderr());
    }
    return JSON.parse(readFileSync(outFile, 'utf8')) as CollectResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
