import type { Io } from '../../cli/io.js';

/** An Io that records what a command writes. */
export function captureIo(env: NodeJS.ProcessEnv = {}, cwd = process.cwd()): Io & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: (t) => void (out += t), stderr: (t) => void (err += t), env, cwd, isTTY: false, out: () => out, err: () => err };
}
