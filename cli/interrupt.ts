import { killChildren } from '../verify/children.js';

/** Exit code of a run stopped by SIGINT or SIGTERM (128 + SIGINT, the shell's code for Ctrl-C). */
export const EXIT_INTERRUPTED = 130;
/** Cleanups get this long before the process exits anyway: a hung server must not make Ctrl-C hang too. */
const CLEANUP_BUDGET_MS = 15_000;

const cleanups = new Set<() => Promise<void>>();
const lastResorts = new Set<() => void>();
let interrupted: Promise<NodeJS.Signals> | undefined;
let received: NodeJS.Signals | undefined;
let onInterrupted: ((signal: NodeJS.Signals) => void) | undefined;

/**
 * Runs `cleanup` if the process is interrupted before the returned disposer is called, and `lastResort`
 * (synchronous: remove the files) should the cleanup not finish within its budget.
 */
export function atInterrupt(cleanup: () => Promise<void>, lastResort?: () => void): () => void {
  cleanups.add(cleanup);
  if (lastResort) lastResorts.add(lastResort);
  return () => {
    cleanups.delete(cleanup);
    if (lastResort) lastResorts.delete(lastResort);
  };
}

/** The signal that interrupted this process, if one did: its exit code is then 130 whatever the command returns. */
export function interruptedBy(): NodeJS.Signals | undefined {
  return received;
}

/** Resolves when SIGINT or SIGTERM arrives (for `sandbox --keep`, which runs until then). */
export function whenInterrupted(): Promise<NodeJS.Signals> {
  interrupted ??= new Promise((resolve) => (onInterrupted = resolve));
  return interrupted;
}

/**
 * On SIGINT or SIGTERM: kill every child process, run every registered cleanup (stop servers, remove temp
 * files) within a budget, then exit 130. A second signal exits at once, after killing the children.
 */
export function installInterruptHandlers(write: (text: string) => void, exit: (code: number) => never | void): void {
  let stopping = false;
  const handle = (signal: NodeJS.Signals) => {
    killChildren();
    if (stopping) return void exit(EXIT_INTERRUPTED);
    stopping = true;
    received = signal;
    write(`\nprodcheck: ${signal} received: stopping, cleaning up…\n`);
    void whenInterrupted();
    onInterrupted?.(signal);
    const budget = new Promise<void>((resolve) => setTimeout(resolve, CLEANUP_BUDGET_MS).unref());
    void Promise.race([Promise.allSettled([...cleanups].map((c) => c())), budget]).then(() => {
      for (const f of lastResorts) {
        try {
          f();
        } catch {
          // Nothing more can be done on the way out.
        }
      }
      killChildren();
      exit(EXIT_INTERRUPTED);
    });
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
  process.on('exit', () => killChildren());
}
