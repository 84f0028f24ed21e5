/** The policy pack process did not start or did not answer: nothing was judged (exit 3). */
export class PackStartError extends Error {
  readonly packDir: string;
  /** The last lines the pack wrote to stderr: a load error of the pack's code ends up there. */
  readonly stderr: string;

  constructor(message: string, packDir: string, stderr: string) {
    super(stderr.trim() === '' ? message : `${message}\n${stderr.trim()}`);
    this.name = 'PackStartError';
    this.packDir = packDir;
    this.stderr = stderr;
  }
}

/** The Pulumi program failed under mocks (a throw in the program, a missing config key): exit 3. */
export class ProgramRunError extends Error {
  readonly program: string;
  readonly stderr: string;

  constructor(message: string, program: string, stderr: string) {
    super(stderr.trim() === '' ? message : `${message}\n${stderr.trim()}`);
    this.name = 'ProgramRunError';
    this.program = program;
    this.stderr = stderr;
  }
}

/** An Analyzer RPC failed: the pack threw inside a policy, or the call timed out. */
export class AnalyzerCallError extends Error {
  readonly method: string;
  readonly code: number | undefined;

  constructor(method: string, code: number | undefined, detail: string) {
    super(`${method} failed${code === undefined ? '' : ` (gRPC status ${code})`}: ${detail}`);
    this.name = 'AnalyzerCallError';
    this.method = method;
    this.code = code;
  }
}
