import type { EnforcementLevel, ReportViolation } from '@pulumi/policy';
import type { PolicyWaiver } from './config.js';

/** The waiver that covers a resource (by URN or name), live or expired; the first match wins. */
export function findWaiver(waivers: readonly PolicyWaiver[], urn: string, name: string): PolicyWaiver | undefined {
  return waivers.find((w) => w.resource === undefined || w.resource === '' || w.resource === urn || w.resource === name);
}

/** A waiver applies through its expiry day (YYYY-MM-DD compare as strings), as verify's waivers do. */
export function isLive(w: PolicyWaiver, today: string): boolean {
  return w.expires >= today;
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** The report function's object form: undocumented in @pulumi/policy's types, but the SDK honours a per-violation level. */
type ReportWithLevel = (violation: { message: string; urn?: string; enforcementLevel: EnforcementLevel }) => void;

/**
 * Reports a violation, honouring waivers: CrossGuard has no per-resource exemption, so a live waiver
 * downgrades that one violation to advisory (still shown, with owner and expiry), and an expired
 * waiver leaves it at the policy's level, saying that it expired.
 */
export function reportWithWaivers(
  report: ReportViolation,
  description: string,
  message: string,
  target: { readonly urn: string; readonly name: string; readonly reportUrn: boolean },
  waivers: readonly PolicyWaiver[],
  on: string,
): void {
  const urn = target.reportUrn ? target.urn : undefined;
  const waiver = findWaiver(waivers, target.urn, target.name);
  if (waiver && isLive(waiver, on)) {
    const text = `${message} (waived by ${waiver.owner} until ${waiver.expires}: ${waiver.reason})`;
    (report as unknown as ReportWithLevel)({ message: `${description}\n${text}`, ...(urn !== undefined && { urn }), enforcementLevel: 'advisory' });
  } else if (waiver) {
    report(`${message} (waiver by ${waiver.owner} expired on ${waiver.expires})`, urn);
  } else {
    report(message, urn);
  }
}
