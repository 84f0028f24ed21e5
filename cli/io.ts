/** What a command may touch of the outside world; tests pass their own. */
export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly isTTY: boolean;
  /** The terminal's width when stdout is one; the console report wraps to it. */
  readonly columns?: number;
}

export function processIo(): Io & { flush(): Promise<void> } {
  // `prodcheck verify | head`: once the reader is gone, output has nowhere to go; that is no crash.
  let stdoutClosed = false;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    stdoutClosed = true;
  });
  return {
    stdout: (t) => void (stdoutClosed || process.stdout.write(t)),
    stderr: (t) => void process.stderr.write(t),
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stdout.isTTY),
    ...(process.stdout.columns && { columns: process.stdout.columns }),
    flush: () => Promise.all([stdoutClosed ? undefined : drain(process.stdout), drain(process.stderr)]).then(() => undefined),
  };
}

function drain(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => (stream.writableNeedDrain ? stream.once('drain', resolve) : resolve()));
}

/** Exit codes of every command (DESIGN.md): the contract CI scripts rely on. */
export const EXIT = { ok: 0, failed: 1, usage: 2, couldNotCheck: 3 } as const;
