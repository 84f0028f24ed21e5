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

const stackOptions: Options = { stack: { type: 'string' }, config: { type: 'string' } };
const formats = 'console|json|junit|md|sarif|github';

export const COMMANDS: readonly Command[] = [
  {
    name: 'controls',
    summary: 'the control catalogue with its per-stage coverage matrix',
    usage: `prodcheck controls [--format table|json|md]

Lists the 127 controls (id, family, severity, stages) and, per stage
(P provision, G gate, V verify, D drift, A active), whether something registered implements it.`,
    options: { format: { type: 'string', default: 'table' } },
    load: () => import('./commands/controls.js'),
  },
  {
    name: 'verify',
    summary: 'check the live production state against the stack config',
    usage: `prodcheck verify --stack NAME | --config FILE [--targets FILE] [--outputs FILE]
                 [--only GLOB,..] [--skip GLOB,..] [--active] [--format ${formats}] [--out FILE]

  --stack NAME     read ./Pulumi.NAME.yaml            --config FILE   any Pulumi.<stack>.yaml-shaped file
  --targets FILE   where the live systems are (YAML; \${env:NAME} and \${output:NAME} references)
  --outputs FILE   JSON of \`pulumi stack output --json --show-secrets\`
  --only, --skip   control globs, e.g. pg.*,redis.tls
  --active         also run checks that act (rate-limit burst, signed webhook event)
  --format         report format (default console)   --out FILE   write the report to FILE`,
    options: {
      ...stackOptions,
      targets: { type: 'string' },
      outputs: { type: 'string' },
      only: { type: 'string' },
      skip: { type: 'string' },
      active: { type: 'boolean', default: false },
      format: { type: 'string', default: 'console' },
      out: { type: 'string' },
    },
    load: () => import('./commands/verify.js'),
  },
  {
    name: 'gate',
    summary: 'run the CrossGuard policy pack offline against the stack config',
    usage: `prodcheck gate --stack NAME | --config FILE [--format ${formats}] [--out FILE] [--print-policy-config]`,
    options: { ...stackOptions, format: { type: 'string', default: 'console' }, out: { type: 'string' }, 'print-policy-config': { type: 'boolean', default: false } },
    pending: 'issue #8 (policy pack and offline gate)',
  },
  {
    name: 'drift',
    summary: 'compare the live state with a baseline',
    usage: `prodcheck drift --stack NAME | --config FILE --baseline FILE [--update-baseline] [--targets FILE] [--outputs FILE]`,
    options: { ...stackOptions, baseline: { type: 'string' }, 'update-baseline': { type: 'boolean', default: false }, targets: { type: 'string' }, outputs: { type: 'string' }, format: { type: 'string', default: 'console' }, out: { type: 'string' } },
    pending: 'issue #9 (drift)',
  },
  {
    name: 'sandbox',
    summary: 'start a local stack (Postgres, Redis...) and verify it end to end (npm start)',
    usage: `prodcheck sandbox [--profile NAME] [--break CONTROL,..] [--keep] [--format ${formats}] [--out FILE]

Starts a local stack (real Postgres, redis-server, local Stripe API, sample app...) for a profile,
applies its desired state, verifies it with every check (active ones too) and prints the report
and the filled checklist.

  --profile NAME     default (Pulumi.prod.yaml) or an example stack: examples/Pulumi.NAME.yaml
  --break IDS        plant the fault of each control first; exit 0 when exactly those fail
  --keep             keep everything running after the report, until Ctrl-C`,
    options: { profile: { type: 'string' }, break: { type: 'string' }, keep: { type: 'boolean', default: false }, format: { type: 'string', default: 'console' }, out: { type: 'string' } },
    load: () => import('./commands/sandbox.js'),
  },
  {
    name: 'checklist',
    summary: 'tick a Markdown checklist from a verify JSON report',
    usage: `prodcheck checklist fill CHECKLIST.md --results results.json [--out FILE]`,
    options: { results: { type: 'string' }, out: { type: 'string' } },
    positionals: 2,
    pending: 'issue #9 (checklist fill)',
  },
];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}
