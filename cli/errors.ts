import { ConfigError, UsageError } from '../spec/errors.js';
import type { Io } from './io.js';
import { EXIT } from './io.js';

/** The one place where an error becomes a message and an exit code: never a stack trace for bad input. */
export function reportError(e: unknown, command: string, io: Io, redact: (s: string) => string = (s) => s): number {
  if (e instanceof ConfigError) {
    io.stderr(redact(`prodcheck ${command}: invalid input, nothing was run.\n${e.message}\n`));
    return EXIT.usage;
  }
  if (e instanceof UsageError) {
    io.stderr(redact(`prodcheck ${command}: ${e.message}\n`));
    return EXIT.usage;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  const detail = io.env.PRODCHECK_DEBUG ? `\n${err.stack ?? ''}` : ' (set PRODCHECK_DEBUG=1 for the stack trace)';
  io.stderr(redact(`prodcheck ${command}: could not finish: ${err.message}${detail}\n`));
  return EXIT.couldNotCheck;
}
