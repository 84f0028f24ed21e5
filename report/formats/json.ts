import type { Report, Result } from '../../report/types.js';

/**
 * The JSON report of DESIGN.md, built key by key: other tools (checklist fill, drift, CI scripts) parse
 * it, so the keys, their order and the absence of undefined optionals are part of the contract.
 */
export function renderJson(report: Report): string {
  const s = report.summary;
  const doc = {
    version: 1,
    stack: report.stack,
    startedAt: report.startedAt,
    durationMs: report.durationMs,
    summary: { pass: s.pass, fail: s.fail, error: s.error, skip: s.skip, waived: s.waived },
    results: report.results.map(resultJson),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

function resultJson(r: Result): Record<string, unknown> {
  return {
    control: r.control,
    title: r.title,
    severity: r.severity,
    status: r.status,
    message: r.message,
    ...(r.expected !== undefined && { expected: r.expected }),
    ...(r.actual !== undefined && { actual: r.actual }),
    ...(r.resource !== undefined && { resource: r.resource }),
    ...(r.advisory === true && { advisory: true }),
    ...(r.waiver !== undefined && { waiver: { reason: r.waiver.reason, owner: r.waiver.owner, expires: r.waiver.expires, expired: r.waiver.expired } }),
    durationMs: r.durationMs,
  };
}
