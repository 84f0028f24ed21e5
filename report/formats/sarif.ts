import type * as Sarif from 'sarif';
import type { Severity } from '../../checklist/index.js';
import { remediationOf } from '../remediation.js';
import type { SourceMap } from '../source.js';
import type { Report, Result } from '../../report/types.js';
import { DEFAULT_TITLE, familyOf, isAdvisory, type RenderOptions } from './results.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
/** The uriBaseId results are relative to: the workspace (GITHUB_WORKSPACE in Actions, else the working directory). */
export const SRCROOT = '%SRCROOT%';

const LEVEL: Readonly<Record<Severity, Sarif.Result.level>> = { critical: 'error', high: 'error', medium: 'warning', low: 'note' };
/** GitHub code scanning's security-severity scale (critical ≥ 9.0, high ≥ 7.0, medium ≥ 4.0, low below). */
const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0' };

/**
 * SARIF 2.1.0 for code-scanning tools: one run, a rule per control in the report, and a result only for
 * what needs attention (fail, error, waived, and advisory gate violations as warnings). Passes and skips
 * are left out, so a fixed control's alert closes on the next upload.
 */
export function renderSarif(report: Report, opts: RenderOptions): string {
  const rules = rulesOf(report.results, opts.toolUri);
  const index = new Map(rules.map((rule, i) => [rule.id, i]));
  const endTime = new Date(Date.parse(report.startedAt) + report.durationMs);
  const title = opts.title ?? DEFAULT_TITLE;
  const log: Sarif.Log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'prodcheck',
            ...(opts.toolVersion !== undefined && { version: opts.toolVersion, semanticVersion: opts.toolVersion }),
            ...(opts.toolUri !== undefined && { informationUri: opts.toolUri }),
            rules,
          },
        },
        // The category (before the last slash) separates runs GitHub must not close each other's alerts across: command, stack and control selection.
        automationDetails: { id: `${title.replace(/\//g, '-')}/${report.stack.replace(/\//g, '-')}/${(opts.selection ?? 'all controls').replace(/\//g, '-')}/` },
        ...(opts.source?.relative && { originalUriBaseIds: { [SRCROOT]: { description: { text: 'The workspace root the stack file path is relative to.' } } } }),
        invocations: [
          {
            executionSuccessful: true,
            startTimeUtc: report.startedAt,
            ...(Number.isNaN(endTime.getTime()) ? {} : { endTimeUtc: endTime.toISOString() }),
          },
        ],
        results: report.results.filter((r) => r.status === 'fail' || r.status === 'error' || r.status === 'waived' || isAdvisory(r)).map((r) => sarifResult(r, index.get(r.control), opts.source)),
        properties: { stack: report.stack, summary: { ...report.summary } },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/**
 * Each rule's help is the catalogue's remediation (text and Markdown), so a reader needs no page to fix
 * it. helpUri only where the package has a public page (package.json homepage or repository): until it
 * is published there is no URL to point at, and a made-up one would be a dead link in every alert.
 */
function rulesOf(results: readonly Result[], toolUri: string | undefined): Sarif.ReportingDescriptor[] {
  const seen = new Map<string, Sarif.ReportingDescriptor>();
  for (const r of results) {
    if (seen.has(r.control)) continue;
    const remediation = remediationOf(r.control);
    seen.set(r.control, {
      id: r.control,
      name: pascalCase(r.control),
      shortDescription: { text: sentence(r.title) },
      fullDescription: { text: sentence(`${r.title} (${r.severity} severity, prodcheck control ${r.control})`) },
      ...(remediation !== undefined && { help: { text: remediation, markdown: `**How to fix ${r.control}**\n\n${remediation}` } }),
      ...(toolUri !== undefined && { helpUri: toolUri }),
      defaultConfiguration: { level: LEVEL[r.severity] },
      properties: { severity: r.severity, 'security-severity': SECURITY_SEVERITY[r.severity], tags: ['security', 'prodcheck', familyOf(r.control)] },
    });
  }
  return [...seen.values()];
}

/** SARIF's rules ask for plain-text messages that end in a period. */
function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** `redis.eviction-policy` → `RedisEvictionPolicy`: SARIF wants a rule name that is an identifier, not the id again. */
function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]?.toUpperCase() + w.slice(1))
    .join('');
}

function level(r: Result): Sarif.Result.level {
  return isAdvisory(r) ? 'warning' : LEVEL[r.severity];
}

function sarifResult(r: Result, ruleIndex: number | undefined, source: SourceMap | undefined): Sarif.Result {
  const logical: Sarif.LogicalLocation =
    r.resource === undefined ? { name: r.control, fullyQualifiedName: r.control } : { name: r.resource, fullyQualifiedName: `${r.control}/${r.resource}`, kind: 'resource' };
  const location: Sarif.Location = { logicalLocations: [logical] };
  // GitHub code scanning only shows results anchored in a file: the stack file's key is where the expectation lives.
  if (source !== undefined) {
    const artifactLocation: Sarif.ArtifactLocation = source.relative ? { uri: encodeURI(source.uri), uriBaseId: SRCROOT } : { uri: `file://${encodeURI(source.uri)}` };
    location.physicalLocation = { artifactLocation, region: { startLine: source.lineOf(r) } };
  }
  return {
    ruleId: r.control,
    ruleIndex,
    level: level(r),
    ...(isAdvisory(r) && { kind: 'review' }),
    message: { text: sentence(r.message) },
    locations: [location],
    // Results of one control share its key's line; without this, code scanning would fold its resources into one alert.
    partialFingerprints: { 'prodcheckResult/v1': `${r.control}|${r.resource ?? ''}` },
    ...(r.status === 'waived' && { suppressions: [{ kind: 'external', status: 'accepted', justification: justification(r) }] }),
    properties: {
      status: r.status,
      severity: r.severity,
      ...(r.advisory === true && { advisory: true }),
      ...(r.expected !== undefined && { expected: r.expected }),
      ...(r.actual !== undefined && { actual: r.actual }),
      ...(r.resource !== undefined && { resource: r.resource }),
    },
  };
}

function justification(r: Result): string {
  const w = r.waiver;
  return w === undefined ? r.message : `${w.reason} (waived by ${w.owner} until ${w.expires})`;
}
