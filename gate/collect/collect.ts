import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ConfigError } from '../../spec/index.js';
import type { ConfigProblem } from '../../spec/index.js';
import { ProgramRunError } from '../errors.js';
import { compiledCounterpart } from '../compiled.js';
import { childEnv, stopChild, tail, waitForExit } from '../process.js';
import type { CollectRequest, CollectResult } from './types.js';

// child.ts from the sources (under tsx), child.js from dist/; tsx loads a TypeScript program it imports.
const CHILD = fileURLToPath(new URL(`./child${extname(fileURLToPath(import.meta.url))}`, import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** Runs the program under mocks in a child process and returns what it registered. */
export async function collectResources(request: CollectRequest, timeoutMs = 120_000): Promise<CollectResult> {
  const dir = mkdtempSync(join(tmpdir(), 'prodcheck-gate-'));
  try {
    const requestFile = join(dir, 'request.json');
    const outFile = join(dir, 'resources.json');
    // This package's own program and child, built: plain Node runs them (compiled.ts); TypeScript goes through tsx.
    const program = compiledCounterpart(request.program);
    const childFile = CHILD.endsWith('.js') ? CHILD : compiledCounterpart(CHILD);
    const compiled = program !== undefined && childFile !== undefined;
    writeFileSync(requestFile, JSON.stringify(compiled ? { ...request, program } : request), { mode: 0o600 });
    const loader = compiled ? [] : ['--import', TSX];
    const child = spawn(process.execPath, [...loader, compiled ? childFile : CHILD, requestFile, outFile], { stdio: ['ignore', 'ignore', 'pipe'], env: childEnv() });
    const stderr = tail(child.stderr);
    const exited = await waitForExit(child, timeoutMs);
    if (!exited) {
      await stopChild(child);
      throw new ProgramRunError(`the program ${request.program} did not finish under mocks within ${timeoutMs / 1000} s`, request.program, stderr());
    }
    // Written before the child exits, whatever the runtime's exit hooks then make of the exit code.
    const result = existsSync(outFile) ? (JSON.parse(readFileSync(outFile, 'utf8')) as CollectResult) : undefined;
    if (result?.runError !== undefined) throw programRejection(result.runError, request.program);
    if (child.exitCode !== 0 || result === undefined) {
      throw new ProgramRunError(`the program ${request.program} failed under mocks (exit ${child.exitCode ?? child.signalCode})`, request.program, stderr());
    }
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A program's RunError as the gate reports it. The program rejects a bad stack config with the CLI's own
 * ConfigError text (`FILE: N problems:` then `  - key: message` lines): that is bad input (exit 2), keyed
 * as the program keyed it. Any other RunError is the program's message, without a trace (exit 3).
 */
export function programRejection(message: string, program: string): Error {
  const [head, ...lines] = message.split('\n');
  const file = /^(.+): \d+ problems?:$/.exec(head ?? '')?.[1];
  const problems = lines.map((l) => /^ {2}- (?:([^\s:]+(?::[^\s:]+)*): )?(.*)$/.exec(l));
  if (file === undefined || lines.length === 0 || problems.some((p) => p === null)) {
    return new ProgramRunError(`the program ${program} stopped: ${message}`, program, '');
  }
  const parsed = problems.map((p): ConfigProblem => ({ path: p?.[1] ?? '', message: p?.[2] ?? '' }));
  const error = new ConfigError(file, parsed);
  // Rebuilt from the text; keep the program's exact words should the parse have split a line differently.
  return error.message === message ? error : new ProgramRunError(`the program ${program} stopped: ${message}`, program, '');
}
