import { runCommand } from './run.js';

const AUDIT_SEVERITIES = ['critical', 'high', 'moderate', 'low', 'info'] as const;
export type AuditSeverity = (typeof AUDIT_SEVERITIES)[number];

export interface AuditResult {
  readonly counts: Readonly<Record<AuditSeverity, number>>;
  /** Vulnerable packages at high or critical, as "name (severity)", worst first. */
  readonly serious: readonly string[];
  /** Production dependencies npm resolved, when it reports them. */
  readonly dependencies: number | undefined;
}

/** npm audit said why it could not audit (no registry, no lockfile...). */
export class AuditError extends Error {
  override readonly name = 'AuditError';
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null ? (v as Json) : {});
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

/**
 * Reads `npm audit --json` output: auditReportVersion 2 (npm 7+, `vulnerabilities` by package) or
 * the npm 6 shape (`advisories` by id); both carry `metadata.vulnerabilities` counts. An `error`
 * object (offline, no lockfile) is an AuditError: a run that audited nothing must not pass.
 */
export function parseAudit(stdout: string): AuditResult {
  let report: Json;
  try {
    report = obj(JSON.parse(stdout));
  } catch {
    throw new AuditError(`npm audit did not print JSON (${stdout.trim().split('\n')[0]?.slice(0, 120) || 'no output'})`);
  }
  if (report.error !== undefined || (report.metadata === undefined && typeof report.message === 'string')) {
    const e = obj(report.error);
    // Offline, npm leaves error.summary empty and says what failed in the top-level message.
    const text = [e.summary, report.message, e.detail].find((t): t is string => typeof t === 'string' && t.trim() !== '') ?? 'no reason given';
    const summary = text.split('\n')[0];
    throw new AuditError(`npm audit failed: ${typeof e.code === 'string' ? `${e.code}: ` : ''}${summary}`);
  }
  const meta = obj(obj(report.metadata).vulnerabilities);
  if (Object.keys(meta).length === 0) throw new AuditError('npm audit printed JSON without metadata.vulnerabilities');
  const counts = Object.fromEntries(AUDIT_SEVERITIES.map((s) => [s, num(meta[s])])) as Record<AuditSeverity, number>;
  const rank = (s: string) => AUDIT_SEVERITIES.indexOf(s as AuditSeverity);
  const named: [string, string][] =
    report.vulnerabilities !== undefined
      ? Object.entries(obj(report.vulnerabilities)).map(([name, v]) => [name, String(obj(v).severity)])
      : Object.values(obj(report.advisories)).map((a) => [String(obj(a).module_name), String(obj(a).severity)]);
  const serious = [...new Map(named.filter(([, s]) => s === 'critical' || s === 'high')).entries()]
    .sort(([an, as], [bn, bs]) => rank(as) - rank(bs) || an.localeCompare(bn))
    .map(([n, s]) => `${n} (${s})`);
  const deps = obj(obj(report.metadata).dependencies);
  const dependencies = typeof obj(report.metadata).dependencies === 'number' ? num(obj(report.metadata).dependencies) : typeof deps.prod === 'number' ? deps.prod : undefined;
  return { counts, serious, dependencies };
}

/** Runs npm audit for production dependencies; a registry that cannot be reached is an AuditError. */
export async function runAudit(repo: string, opts: { registry?: string; timeoutMs: number; signal: AbortSignal }): Promise<AuditResult> {
  const args = ['audit', '--omit=dev', '--json', '--fetch-retries=1', '--fetch-retry-mintimeout=1000', '--fetch-retry-maxtimeout=2000', ...(opts.registry ? [`--registry=${opts.registry}`] : [])];
  const ran = await runCommand('npm', args, { cwd: repo, timeoutMs: opts.timeoutMs, signal: opts.signal, env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false' } });
  if (!ran.stdout.trim()) throw new AuditError(`npm audit exited ${ran.code} without a report (${ran.stderr.trim().split('\n').pop() ?? 'no output'})`);
  return parseAudit(ran.stdout);
}
