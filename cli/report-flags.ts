/** The report flags of verify, gate, drift and sandbox, for the command table: no renderer is loaded for --help. */
import { FORMATS, type Format } from '../report/formats/names.js';
import { SEVERITIES } from '../report/summary.js';
import type { Options } from './types.js';

export const reportFlags = (defaultFormat: Format | undefined): Options => ({
  format: { type: 'string', ...(defaultFormat && { default: defaultFormat }) },
  out: { type: 'string' },
  report: { type: 'string', multiple: true },
});

/** What the run prints and what fails it. */
export const outcomeFlags: Options = { 'fail-on': { type: 'string' }, quiet: { type: 'boolean', default: false } };

export const FORMAT_LIST = FORMATS.join('|');

export const REPORT_USAGE = `  --format FORMAT  the report on stdout: ${FORMATS.join(', ')} (html: one self-contained page)
  --out FILE       write that report to FILE instead of stdout
  --report FORMAT=FILE  also write a report in FORMAT to FILE; repeatable, every report from the
                   same run (e.g. --report junit=out.xml --report sarif=out.sarif)`;

export const OUTCOME_USAGE = `  --fail-on SEVERITY  only failures of SEVERITY or above (${SEVERITIES.join(', ')}) set exit 1
  --quiet          print only the failures and the totals`;
