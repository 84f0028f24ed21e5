/** The types the command table and the commands share; the commands import these, never the table. */
import type { ParseArgsConfig } from 'node:util';
import type { Io } from './io.js';

export type Options = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | string[] | undefined>;

export interface CommandModule {
  run(values: Values, positionals: string[], io: Io): Promise<number>;
}

export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly options: Options;
  readonly positionals?: number;
  /** Imported only when the command runs, so `prodcheck --help` stays fast and loads no @pulumi/*. */
  readonly load?: () => Promise<CommandModule>;
  /** Which issue brings a command that is not built yet. */
  readonly pending?: string;
}
