export interface OutputLog {
  write(chunk: Buffer | string): void;
  /** Last lines written, for error messages. */
  tail(lines?: number): string;
  clear(): void;
}

/** Keeps the end of a server's output; echoes it to stderr, prefixed, when PRODCHECK_DEBUG is set. */
export function outputLog(label: () => string): OutputLog {
  const debug = Boolean(process.env.PRODCHECK_DEBUG);
  let kept = '';
  let atLineStart = true;
  return {
    write(chunk) {
      const text = chunk.toString();
      kept = (kept + text).slice(-16_384);
      if (!debug) return;
      const prefix = `[${label()}] `;
      process.stderr.write((atLineStart ? prefix : '') + text.replace(/\n(?=.)/g, `\n${prefix}`));
      atLineStart = text.endsWith('\n');
    },
    tail: (lines = 20) => kept.trimEnd().split('\n').slice(-lines).join('\n'),
    clear() {
      kept = '';
    },
  };
}
