import { describeError } from './net.js';
import type { Probe } from './types.js';

/** Runs one part of a collect: its value, or the one-line reason it could not be gathered (never a throw). */
export async function probe<T>(run: () => Promise<T>): Promise<Probe<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (e) {
    return { ok: false, error: describeError(e) };
  }
}
