import type { ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Resolves true once the child has exited, false after `ms`. */
export function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** SIGTERM, then SIGKILL after a grace period: the engine's way of closing a plugin. */
export async function stopChild(child: ChildProcess, graceMs = 3_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  if (await waitForExit(child, graceMs)) return;
  child.kill('SIGKILL');
  await waitForExit(child, graceMs);
}

/** Keeps the last `max` characters a stream wrote, for error messages. */
export function tail(stream: NodeJS.ReadableStream | null, max = 4_000): () => string {
  let text = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    text = (text + chunk).slice(-max);
  });
  return () => text;
}

/**
 * The environment of the gate's Node.js children (the program, the pack): the parent's, with V8's
 * compile cache on (NODE_COMPILE_CACHE, Node ≥ 22.1), so the Pulumi SDK and the providers' thousands of
 * modules are compiled once per machine, not at every run. The directory is Node's own default, or the one the user chose;
 * NODE_DISABLE_COMPILE_CACHE still turns it off.
 */
export function childEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const cache = process.env.NODE_COMPILE_CACHE ?? join(tmpdir(), 'node-compile-cache');
  return { ...process.env, NODE_COMPILE_CACHE: cache, ...extra };
}
