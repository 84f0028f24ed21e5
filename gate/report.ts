import { getControl } from '../checklist/index.js';
import { findWaiver, isLive, today } from '../policies/lib/waivers.js';
import type { PolicyWaiver } from '../policies/lib/config.js';
import { summarize } from '../report/summary.js';
import type { Report, Result } from '../report/types.js';
import type { EnforcementLevel, ResolvedPolicyConfig } from './policy-config.js';

/** One diagnostic as the pack returned it, attributed to a resource. */
export interface Diagnostic {
  readonly policy: string;
  /** The SDK's message: the policy's description, a newline, then what the policy reported. */
  readonly message: string;
  readonly level: EnforcementLevel;
  readonly urn: string;
  readonly name: string;
}

export interface PolicyOutcome {
  readonly name: string;
  readonly description: string;
  readonly kind: 'resource' | 'stack';
  readonly diagnostics: readonly Diagnostic[];
  /** Resources the policy judged (resource policies), or whether it applied to the stack. */
  readonly applicable: number;
  readonly notApplicable: readonly string[];
  readonly durationMs: number;
}

/** How an advisory violation's result message starts (a pass: the gate lets it through). */
export const ADVISORY = 'advisory, not enforced: ';

/** The policy SDK's own advisory when a policy read a value not known at preview. */
export const PREVIEW_UNKNOWN = /^can't run policy '.*' from policy pack '.*' during preview: /;

/**
 * Diagnostics as report results, so every verify reporter renders the gate:
 * - a mandatory violation is `fail` (it would stop `pulumi preview`);
 * - an advisory violation is `pass` marked `advisory` whose message starts "advisory, not enforced:" —
 *   the gate lets it through, as the engine does, and the exit code stays 0, but every format shows it;
 * - a violation covered by a live waiver (reported advisory by the pack) is `waived` with the waiver;
 *   past its expiry the violation keeps its level and the result notes the expired waiver;
 * - a policy with no violation is one `pass` per control; one that applied to nothing, or is disabled
 *   by the config, or could not run because a value is unknown at preview, is `skip`.
 */
export function gateResults(outcomes: readonly PolicyOutcome[], config: ReadonlyMap<string, ResolvedPolicyConfig>, on = today()): Result[] {
  const results: Result[] = [];
  for (const o of outcomes) {
    const control = getControl(o.name);
    const base = { control: o.name, title: control.title, severity: control.severity };
    const level = config.get(o.name)?.enforcementLevel ?? 'advisory';
    if (level === 'disabled') {
      results.push({ ...base, status: 'skip', message: 'disabled by the policy config', durationMs: 0 });
      continue;
    }
    const waivers = (config.get(o.name)?.properties.waivers ?? []) as readonly PolicyWaiver[];
    for (const d of o.diagnostics) {
      const text = d.message.startsWith(`${o.description}\n`) ? d.message.slice(o.description.length + 1) : d.message;
      const resource = d.name === '' ? {} : { resource: d.name };
      if (PREVIEW_UNKNOWN.test(text)) {
        results.push({ ...base, ...resource, status: 'skip', message: text, durationMs: o.durationMs });
        continue;
      }
      const waiver = findWaiver(waivers, d.urn, d.name);
      const note = waiver && { reason: waiver.reason, owner: waiver.owner, expires: waiver.expires, expired: !isLive(waiver, on) };
      if (d.level === 'mandatory') {
        results.push({ ...base, ...resource, status: 'fail', message: text, ...(note && { waiver: note }), durationMs: o.durationMs });
      } else if (note && !note.expired) {
        results.push({ ...base, ...resource, status: 'waived', message: text, waiver: note, durationMs: o.durationMs });
      } else {
        results.push({ ...base, ...resource, status: 'pass', message: `${ADVISORY}${text}`, advisory: true, durationMs: o.durationMs });
      }
    }
    if (o.diagnostics.length > 0) continue;
    if (o.applicable === 0) {
      const reason = mostSpecific(o.notApplicable) ?? 'no resource of the stack';
      results.push({ ...base, status: 'skip', message: `not applicable: ${reason}`, durationMs: o.durationMs });
    } else {
      const what = o.kind === 'stack' ? 'the stack complies' : `${o.applicable} ${o.applicable === 1 ? 'resource complies' : 'resources comply'}`;
      results.push({ ...base, status: 'pass', message: what, durationMs: o.durationMs });
    }
  }
  return results;
}

/**
 * The rarest of the reasons resources gave: "applies to env vars NODE_ENV" from the few resources of
 * the right type says more than "applies to vercel:…" from every other resource.
 */
function mostSpecific(reasons: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].sort((a, b) => a[1] - b[1])[0]?.[0];
}

export function gateReport(stack: string, startedAt: Date, results: readonly Result[]): Report {
  return { version: 1, stack, startedAt: startedAt.toISOString(), durationMs: Date.now() - startedAt.getTime(), summary: summarize(results), results };
}
