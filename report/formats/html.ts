import type { Severity } from '../../checklist/index.js';
import { remediationOf } from '../remediation.js';
import { SEVERITIES } from '../summary.js';
import type { Report, Result, Status } from '../../report/types.js';
import { DEFAULT_TITLE, STATUS_LABEL, countStatuses, exitMeaning, groupByFamily, isAdvisory, skipReason, subject, totalsLine, waiverNote, type RenderOptions } from './results.js';

/** Text and attribute values alike: the five characters HTML gives a meaning. */
export function htmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const STATUSES: readonly Status[] = ['fail', 'error', 'waived', 'pass', 'skip'];

/** Inline, so the file is one self-contained page that opens from a CI artifact with nothing to fetch. */
const STYLE = `
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
main{max-width:1100px;margin:0 auto;padding:24px;overflow-wrap:anywhere}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:28px 0 10px}
.meta{color:#59636e}.verdict{font-weight:600;font-size:17px;margin:12px 0}
.verdict.bad{color:#b42318}.verdict.warn{color:#9a6700}.verdict.good{color:#1a7f37}
table{border-collapse:collapse;background:#fff;width:100%;margin-bottom:8px}
th,td{border:1px solid #d1d9e0;padding:5px 9px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#eef1f4}td.n{text-align:right;font-variant-numeric:tabular-nums}
.card{background:#fff;border:1px solid #d1d9e0;border-left:6px solid #b42318;border-radius:6px;padding:12px 16px;margin:10px 0}
.card.error{border-left-color:#8250df}.card.advisory{border-left-color:#bf8700}
.card h3{font-size:16px;margin:0 0 6px}.card p{margin:6px 0}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600;color:#fff;vertical-align:middle}
.critical{background:#b42318}.high{background:#c4320a}.medium{background:#9a6700}.low{background:#57606a}
.s-fail{color:#b42318;font-weight:600}.s-error{color:#8250df;font-weight:600}.s-pass{color:#1a7f37}.s-waived{color:#0969da}.s-skip{color:#59636e}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:6px 0}dt{font-weight:600}dd{margin:0}
code{font:13px ui-monospace,SFMono-Regular,Menlo,monospace;background:#eef1f4;padding:1px 4px;border-radius:4px;word-break:break-all}
.fix{background:#f0f6ff;border-radius:4px;padding:6px 10px}
`;

/**
 * One HTML page a person would rather look at than read: the verdict, the counts by family and by
 * severity, every failure first with its message, expected/actual and how to fix it, then errors,
 * advisories, and the full list. No script, no external resource.
 */
export function renderHtml(report: Report, opts: RenderOptions): string {
  const title = opts.title ?? DEFAULT_TITLE;
  const failures = report.results.filter((r) => r.status === 'fail');
  const errors = report.results.filter((r) => r.status === 'error');
  const advisories = report.results.filter(isAdvisory);
  const meaning = exitMeaning(report, opts.failOn);
  const tone = meaning.startsWith('exit 1') ? 'bad' : meaning.startsWith('exit 3') ? 'warn' : 'good';
  const body = [
    `<h1>${htmlText(title)}: ${htmlText(report.stack)}</h1>`,
    `<div class="meta">Started ${htmlText(report.startedAt)}, took ${(report.durationMs / 1000).toFixed(1)} s${opts.source ? `, configured in <code>${htmlText(opts.source.uri)}</code>` : ''}</div>`,
    `<p class="verdict ${tone}" id="verdict">${htmlText(totalsLine(report.summary))} — ${htmlText(meaning)}</p>`,
    section('failures', `Failures (${failures.length})`, failures.length === 0 ? '<p>Nothing failed.</p>' : failures.map((r) => card(r, 'fail', opts)).join('\n')),
    errors.length > 0 ? section('errors', `Could not check (${errors.length})`, errors.map((r) => card(r, 'error', opts)).join('\n')) : '',
    advisories.length > 0 ? section('advisories', `Advisories, not enforced (${advisories.length})`, advisories.map((r) => card(r, 'advisory', opts)).join('\n')) : '',
    section('by-family', 'By family', familyTable(report.results)),
    section('by-severity', 'By severity', severityTable(report.results)),
    section('all', `All results (${report.results.length})`, allTable(report.results)),
  ];
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${htmlText(`${title}: ${report.stack}`)}</title>
<style>${STYLE}</style>
</head>
<body><main>
${body.filter(Boolean).join('\n')}
</main></body>
</html>
`;
}

function section(id: string, heading: string, content: string): string {
  return `<section id="${id}"><h2>${htmlText(heading)}</h2>\n${content}\n</section>`;
}

function badge(severity: Severity): string {
  return `<span class="badge ${severity}">${severity}</span>`;
}

function card(r: Result, kind: 'fail' | 'error' | 'advisory', opts: RenderOptions): string {
  const evidence = [r.expected !== undefined && `<dt>Expected</dt><dd><code>${htmlText(r.expected)}</code></dd>`, r.actual !== undefined && `<dt>Actual</dt><dd><code>${htmlText(r.actual)}</code></dd>`].filter(Boolean);
  const fix = kind === 'error' ? undefined : remediationOf(r.control);
  const where = opts.source ? `<dt>Configured at</dt><dd><code>${htmlText(`${opts.source.uri}:${opts.source.lineOf(r)}`)}</code></dd>` : '';
  const note = waiverNote(r);
  return `<div class="card ${kind}">
<h3><code>${htmlText(subject(r))}</code> ${badge(r.severity)} ${htmlText(r.title)}</h3>
<p class="message">${htmlText(r.message)}</p>
${evidence.length > 0 || where ? `<dl>${evidence.join('')}${where}</dl>` : ''}
${note === undefined ? '' : `<p>${htmlText(note)}</p>`}
${fix === undefined ? '' : `<p class="fix"><strong>How to fix:</strong> ${htmlText(fix)}</p>`}
</div>`;
}

function countCells(results: readonly Result[]): string {
  const s = countStatuses(results);
  return STATUSES.map((st) => `<td class="n${s[st] > 0 ? ` s-${st}` : ''}">${s[st]}</td>`).join('');
}

const HEAD = `<tr><th></th>${STATUSES.map((s) => `<th>${STATUS_LABEL[s].toLowerCase()}</th>`).join('')}</tr>`;

function familyTable(results: readonly Result[]): string {
  const rows = groupByFamily(results).map(({ family, results: list }) => `<tr><th>${htmlText(family)}</th>${countCells(list)}</tr>`);
  return `<table>${HEAD}${rows.join('')}</table>`;
}

function severityTable(results: readonly Result[]): string {
  const rows = SEVERITIES.map((sev) => `<tr><th>${badge(sev)}</th>${countCells(results.filter((r) => r.severity === sev))}</tr>`);
  return `<table>${HEAD}${rows.join('')}</table>`;
}

function allTable(results: readonly Result[]): string {
  const order = (r: Result) => STATUSES.indexOf(r.status);
  const rows = [...results]
    .sort((a, b) => order(a) - order(b))
    .map((r) => {
      const text = r.status === 'skip' ? skipReason(r) : r.message;
      const label = isAdvisory(r) ? 'ADVISORY' : STATUS_LABEL[r.status];
      return `<tr><td class="s-${r.status}">${label}</td><td><code>${htmlText(subject(r))}</code></td><td>${badge(r.severity)}</td><td>${htmlText(text)}</td></tr>`;
    });
  return `<table><tr><th>status</th><th>control</th><th>severity</th><th>message</th></tr>${rows.join('')}</table>`;
}
