import { UsageError } from '../spec/errors.js';
import { FORMAT_LIST, OUTCOME_USAGE, REPORT_USAGE, outcomeFlags, reportFlags } from './report-flags.js';
import type { Command, Options } from './types.js';

const stackOptions: Options = { stack: { type: 'string', short: 's' }, config: { type: 'string' } };
const reports = `[--format ${FORMAT_LIST}] [--out FILE] [--report FORMAT=FILE]..`;
const stackHelp = `  -s, --stack NAME  the Pulumi stack: NAME, ORG/NAME or ORG/PROJECT/NAME reads ./Pulumi.NAME.yaml
  --config FILE     instead: any Pulumi.<stack>.yaml-shaped file`;

export const COMMANDS: readonly Command[] = [
  {
    name: 'controls',
    summary: 'the control catalogue with its per-stage coverage matrix',
    usage: `prodcheck controls [--format table|json|md]

Lists the catalogue's controls (id, family, severity, stages) and, per stage
(P provision, G gate, V verify, D drift, A active), whether something registered implements it.`,
    options: { format: { type: 'string', default: 'table' } },
    load: () => import('./commands/controls.js'),
  },
  {
    name: 'verify',
    summary: 'check the live production state against the stack config',
    usage: `prodcheck verify (-s|--stack) NAME | --config FILE --targets FILE [--outputs FILE]
                 [--only GLOB,..] [--skip GLOB,..] [--active] [--fail-on SEVERITY] [--quiet]
                 ${reports}

${stackHelp}
  --targets FILE   required: where the live systems are (YAML; \${env:NAME} and \${output:NAME} references)
  --outputs FILE   JSON of \`pulumi stack output --json --show-secrets\`
  --only, --skip   control globs, e.g. pg.*,redis.tls
  --active         also run checks that act (rate-limit burst, signed webhook event); once per run,
                   however many reports
${REPORT_USAGE}
${OUTCOME_USAGE}`,
    options: {
      ...stackOptions,
      targets: { type: 'string' },
      outputs: { type: 'string' },
      only: { type: 'string' },
      skip: { type: 'string' },
      active: { type: 'boolean', default: false },
      ...reportFlags('console'),
      ...outcomeFlags,
    },
    load: () => import('./commands/verify.js'),
  },
  {
    name: 'gate',
    summary: 'run the CrossGuard policy pack offline against the stack config',
    usage: `prodcheck gate (-s|--stack) NAME | --config FILE [--policy-config FILE] [--print-policy-config]
              [--fail-on SEVERITY] [--quiet] ${reports}

Runs the Pulumi program (Pulumi.yaml main) under mocks with the stack's config, as a preview would,
then starts the real policy pack (policies/) the way the engine does and has it analyze every
resource and the whole stack over the Analyzer protocol. Values a preview cannot know (generated
passwords, endpoints, secure config offline) are never violations. Exit 1 on a mandatory violation,
0 when only advisories (passes marked advisory, shown as warnings in every format), 3 when the pack
or the program cannot run, 2 for bad input.

${stackHelp}
  --policy-config FILE    policy config JSON in the --policy-pack-config format (e.g. {"all": "mandatory"}),
                          laid over the config derived from the stack
  --print-policy-config   print that derived config for \`pulumi preview --policy-pack policies
                          --policy-pack-config FILE\` and exit
${REPORT_USAGE}
${OUTCOME_USAGE}`,
    options: {
      ...stackOptions,
      ...reportFlags('console'),
      ...outcomeFlags,
      'policy-config': { type: 'string' },
      'print-policy-config': { type: 'boolean', default: false },
    },
    load: () => import('./commands/gate.js'),
  },
  {
    name: 'drift',
    summary: 'compare the live state with an accepted baseline (scheduled drift check)',
    usage: `prodcheck drift (-s|--stack) NAME | --config FILE --targets FILE --baseline FILE [--update-baseline]
                [--outputs FILE] [--refresh] [--fail-on SEVERITY] [--quiet] ${reports}

Re-runs every read-only check whose control has stage D and compares each result, and a redacted
fingerprint of what it found, with the baseline. Prints a Markdown summary (fit for a GitHub step
summary or issue body): new failures, changed values, could not check, resolved, still failing,
new and removed results. Exit 1 on drift (a new failure or a changed value), 3 when something could
not be checked and nothing drifted, 0 otherwise, 2 for bad input (missing or corrupt baseline).

${stackHelp}
  --targets FILE      required: where the live systems are, as for prodcheck verify
  --baseline FILE     required: the accepted state (JSON, no secrets); commit it
  --update-baseline   accept the current state: (re)write FILE and exit 0
  --outputs FILE      as for prodcheck verify
  --refresh           also run \`pulumi refresh --preview-only --expect-no-changes\` (skipped when
                      pulumi is not on PATH; its exit 7 counts as drift)
  --out FILE          write the underlying results report to FILE   --format  its format (default json)
  --report FORMAT=FILE  also write the results in FORMAT to FILE; repeatable (e.g. junit=drift.xml)
  --fail-on SEVERITY  only drift in controls of SEVERITY or above (critical, high, medium, low) sets
                      exit 1; the rest is still listed, and the headline says how much was let through
  --quiet             the summary without the sections that are not drift (resolved, still failing,
                      new and removed results)`,
    options: {
      ...stackOptions,
      baseline: { type: 'string' },
      'update-baseline': { type: 'boolean', default: false },
      targets: { type: 'string' },
      outputs: { type: 'string' },
      refresh: { type: 'boolean', default: false },
      ...reportFlags(undefined),
      ...outcomeFlags,
    },
    load: () => import('./commands/drift.js'),
  },
  {
    name: 'sandbox',
    summary: 'start a local stack (Postgres, Redis...) and verify it end to end (npm start)',
    usage: `prodcheck sandbox [--profile NAME] [--break CONTROL,..] [--keep] [--fail-on SEVERITY] [--quiet] ${reports}

Starts a local stack (real Postgres, redis-server, local Stripe API, sample app...) for a profile,
applies its desired state, verifies it with every check (active ones too) and prints the report
and the filled checklist.

  --profile NAME     default (Pulumi.prod.yaml) or an example stack: examples/Pulumi.NAME.yaml
  --break IDS        plant the fault of each control first; exit 0 when exactly those fail
  --keep             keep everything running after the report, until Ctrl-C
${REPORT_USAGE}
  --fail-on SEVERITY  only unexpected failures of SEVERITY or above (critical, high, medium, low) set
                   exit 1; a planted fault that did not fail always does
  --quiet          print only the failures and the totals (no start-up log, no filled checklist)`,
    options: { profile: { type: 'string' }, break: { type: 'string' }, keep: { type: 'boolean', default: false }, ...reportFlags('console'), ...outcomeFlags },
    load: () => import('./commands/sandbox.js').catch(notInPackage),
  },
  {
    name: 'checklist',
    summary: 'tick a Markdown checklist from a verify JSON report, or explain how its items map',
    usage: `prodcheck checklist fill CHECKLIST.md --results results.json [--out FILE]
prodcheck checklist explain CHECKLIST.md [--format text|json]

fill maps each \`- [ ]\` item of any Markdown checklist to catalogue controls (rules in checklist/rules.ts,
by the item's words and its headings), then writes the same document with [x] (marked <!-- prodcheck -->)
where every claim of the item was judged by a passing result, " — ❌ prodcheck: <message>" where one
failed (⚠️ could not be checked, ⏸️ waived), and " _(manual…)_" where a person must judge it. A person's
ticks stay as written; prodcheck's own ticks are judged again on every fill, so a regression unticks them.

explain shows, per item, the controls it maps to and the rule that mapped it, the names, routes and
thresholds a result must have judged before it is ticked, or why the item is left to a person.

  --results FILE   the JSON report of prodcheck verify (--format json)
  --out FILE       write the document to FILE (default stdout)
  --format         explain's output: text (default) or json

fill prints "N / M items checked (K automated)": N ticked items of M, K of the N backed by passing
results; to stdout with --out, else to stderr. Exit 1 when a mapped control failed, 0 otherwise, 2 for bad input.`,
    options: { results: { type: 'string' }, out: { type: 'string' }, format: { type: 'string', default: 'text' } },
    positionals: 2,
    load: () => import('./commands/checklist.js'),
  },
];

/** The installed package leaves the sandbox out: its local fakes and servers are development dependencies. */
function notInPackage(e: unknown): never {
  if ((e as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw e;
  throw new UsageError(
    'the sandbox is not part of the installed package (its local servers and fakes are development dependencies): run it from a clone of the prodcheck repository with `npm ci && npm start`',
  );
}

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}
