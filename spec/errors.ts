/** One problem in a config file, at a path such as `prodcheck:stripe.products[1].price`. */
export interface ConfigProblem {
  readonly path: string;
  readonly message: string;
}

/** Bad input: the CLI prints every problem once and exits 2 without running anything. */
export class ConfigError extends Error {
  readonly file: string;
  readonly problems: readonly ConfigProblem[];

  constructor(file: string, problems: readonly ConfigProblem[]) {
    const n = problems.length;
    const lines = problems.map((p) => `  - ${p.path ? `${p.path}: ` : ''}${p.message}`);
    super(`${file}: ${n} problem${n === 1 ? '' : 's'}:\n${lines.join('\n')}`);
    this.name = 'ConfigError';
    this.file = file;
    this.problems = problems;
  }
}

/** Wrong command-line use: unknown flag, missing argument. Exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Formats a zod-style path: ['stripe', 'products', 1, 'price'] -> `stripe.products[1].price`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}
