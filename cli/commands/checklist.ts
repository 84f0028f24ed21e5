import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { explainChecklist, renderExplanation } from '../../checklist/explain.js';
import { countsLine, fillChecklist } from '../../checklist/fill.js';
import { readResultsReport } from '../../checklist/fill-report.js';
import { ConfigError, UsageError } from '../../spec/index.js';
import { INPUT_LIMITS, readInputFile } from '../../spec/input.js';
import { Redactor } from '../../report/redact.js';
import { mdText } from '../../report/formats/md.js';
import type { Values } from '../types.js';
import type { Io } from '../io.js';
import { EXIT } from '../io.js';
import { oneOf } from '../options.js';
import { checkWritableFile } from '../output-paths.js';

const USAGE = 'prodcheck checklist fill CHECKLIST.md --results results.json [--out FILE] | prodcheck checklist explain CHECKLIST.md [--format text|json]';
const EXPLAIN_FORMATS = ['text', 'json'] as const;

function explain(file: string, shown: string, format: string, io: Io): number {
  oneOf(format, '--format', EXPLAIN_FORMATS);
  const items = explainChecklist(read(file, 'checklist', 'pass the path of a Markdown checklist'));
  io.stdout(format === 'json' ? `${JSON.stringify({ checklist: shown, items }, null, 2)}\n` : renderExplanation(shown, items));
  return EXIT.ok;
}

function read(file: string, what: string, how: string): string {
  return readInputFile(file, what, how, what.includes('checklist') ? INPUT_LIMITS.checklist : INPUT_LIMITS.report);
}

export async function run(values: Values, positionals: string[], io: Io): Promise<number> {
  const [sub, checklist] = positionals;
  if (sub !== 'fill' && sub !== 'explain') throw new UsageError(sub === undefined ? `what to do? ${USAGE}` : `unknown subcommand "${sub}": ${USAGE}`);
  if (checklist === undefined) throw new UsageError(`which checklist? ${USAGE}`);
  if (sub === 'explain') return explain(resolve(io.cwd, checklist), checklist, String(values.format), io);
  const resultsArg = values.results as string | undefined;
  if (!resultsArg) throw new UsageError(`no results: pass --results FILE, the JSON report of \`prodcheck verify --format json --out results.json\``);
  const checklistFile = resolve(io.cwd, checklist);
  const resultsFile = resolve(io.cwd, resultsArg);
  if (values.out) checkWritableFile(resolve(io.cwd, String(values.out)), `--out ${String(values.out)}`, { example: 'checklist.md' });
  const markdown = read(checklistFile, 'checklist', 'pass the path of a Markdown checklist');
  const report = readResultsReport(read(resultsFile, 'results', 'write them with `prodcheck verify --format json --out results.json`'));
  if (!report.ok) throw new ConfigError(resultsFile, report.problems);
  // The report is redacted when written; patterns still catch a secret in a report edited or made elsewhere.
  const redactor = new Redactor();
  const filled = fillChecklist(markdown, report.results, { sanitize: (s) => mdText(redactor.redact(s)) });
  const counts = `${countsLine(filled.items)}\n`;
  if (values.out) {
    writeFileSync(resolve(io.cwd, String(values.out)), filled.text);
    io.stdout(counts);
  } else {
    // The document owns stdout, so it can be redirected to a file unchanged.
    io.stdout(filled.text);
    io.stderr(counts);
  }
  return filled.items.some((i) => i.outcome === 'failed') ? EXIT.failed : EXIT.ok;
}
