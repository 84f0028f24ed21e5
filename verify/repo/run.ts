import { spawn } from 'node:child_process';
import { trackChild } from '../children.js';

export interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Raised when a command outlives its budget or its output bound; the process is killed first. */
export class CommandLimitError extends Error {
  override readonly name = 'CommandLimitError';
}

/**
 * Runs a command without a shell and collects its output, bounded in time and size. A non-zero exit is
 * not an error here: git check-ignore and npm audit report through their exit codes.
 */
export function runCommand(cmd: string, args: readonly string[], opts: { cwd: string; timeoutMs: number; maxBytes?: number; signal?: AbortSignal; env?: NodeJS.ProcessEnv }): Promise<Ran> {
  const maxBytes = opts.maxBytes ?? 16 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const child = trackChild(spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] }));
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let bytes = 0;
    let failure: Error | undefined;
    const stop = (e: Error) => {
      failure ??= e;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => stop(new CommandLimitError(`${cmd} ${args[0] ?? ''} did not finish within ${opts.timeoutMs} ms`)), opts.timeoutMs);
    const onAbort = () => stop(new CommandLimitError(`${cmd} ${args[0] ?? ''} was aborted`));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > maxBytes) stop(new CommandLimitError(`${cmd} ${args[0] ?? ''} printed more than ${maxBytes} bytes`));
      else out.push(chunk);
    });
    let errBytes = 0;
    // stderr is only ever quoted in one line: its first 64 KiB are plenty, and a flood must not grow memory.
    child.stderr.on('data', (chunk: Buffer) => {
      if (errBytes < 64 * 1024) err.push(chunk);
      errBytes += chunk.length;
    });
    child.on('error', (e) => stop(e));
    child.on('close', (code) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (failure) reject(failure);
      else resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}
