import type * as Sarif from 'sarif';
import type { Severity } from '../../checklist/index.js';
import type { Report, Result } from '../../report/types.js';
import { DEFAULT_TITLE, familyOf, type RenderOptions } from './results.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

const LEVEL: Readonly<Record<Severity, Sarif.Result.level>> = { critical: 'error', high: 'error', medium: 'warning', low: 'note' };

/**
 * SARIF 2.1.0 for code-scanning tools: one run, a rule per control in the report, and a result only for
 * what needs attention (fail, error, waived). Passes and skips are left out, so a fixed control's alert
 * closes on the next upload.
 */
export function renderSarif(report: Report, opts: RenderOptions): string {
  const rules = rulesOf(report.results);
  const index = new Map(rules.map((rule, i) => [rule.id, i]));
  const endTime = new Date(Date.parse(report.startedAt) + report.durationMs);
  const log: Sarif.Log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'prodcheck', rules } },
        automationDetails: { id: `${opts.title ?? DEFAULT_TITLE}/${report.stack}/` },
        invocations: [
          {
            executionSuccessful: true,
            startTimeUtc: report.startedAt,
            ...(Number.isNaN(endTime.getTime()) ? {} : { endTimeUtc: endTime.toISOString() }),
          },
        ],
        results: report.results.filter((r) => r.status === 'fail' || r.status === 'error' || r.status === 'waived').map((r) => sarifResult(r, index.get(r.control), opts.configFile)),
        properties: { stack: report.stack, summary: { ...report.summary } },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function rulesOf(results: readonly Result[]): Sarif.ReportingDescriptor[] {
  const seen = new Map<string, Sarif.ReportingDescriptor>();
  for (const r of results) {
    if (seen.has(r.control)) continue;
    seen.set(r.control, {
      id: r.control,
      name: pascalCase(r.control),
      shortDescription: { text: r.title },
      defaultConfiguration: { level: LEVEL[r.severity] },
      properties: { severity: r.severity, tags: ['prodcheck', familyOf(r.control)] },
    });
  }
  return [...seen.values()];
}

/** `redis.eviction-policy` → `RedisEvictionPolicy`: SARIF wants a rule name that is an identifier, not the id again. */
function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]?.toUpperCase() + w.slice(1))
    .join('');
}

function sarifResult(r: Result, ruleIndex: number | undefined, configFile: string | undefined): Sarif.Result {
  const logical: Sarif.LogicalLocation =
    r.resource === undefined ? { name: r.control, fullyQualifiedName: r.control } : { name: r.resource, fullyQualifiedName: `${r.control}/${r.resource}`, kind: 'resource' };
  const location: Sarif.Location = { logicalLocations: [logical] };
  // GitHub code scanning only shows results anchored in a file: the stack file is where the expectation lives.
  if (configFile !== undefined) location.physicalLocation = { artifactLocation: { uri: configFile.replace(/\\/g, '/') }, region: { startLine: 1 } };
  return {
    ruleId: r.control,
    ruleIndex,
    level: LEVEL[r.severity],
    message: { text: r.message },
    locations: [location],
    // Results share the stack file's first line; without this, code scanning would fold one control's resources into one alert.
    partialFingerprints: { 'prodcheckResult/v1': `${r.control}|${r.resource ?? ''}` },
    ...(r.status === 'waived' && { suppressions: [{ kind: 'external', status: 'accepted', justification: justification(r) }] }),
    properties: {
      status: r.status,
      severity: r.severity,
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
