import type { Waiver } from '../spec/index.js';
import type { Result } from './types.js';

/**
 * A live waiver turns a matching failure into `waived`, still listed with reason, owner and expiry.
 * An expired waiver no longer applies: the failure stays a failure and says the waiver expired.
 */
export function applyWaivers(results: readonly Result[], waivers: readonly Waiver[], today: string): Result[] {
  return results.map((r) => {
    if (r.status !== 'fail') return r;
    const waiver = waivers.find((w) => w.control === r.control && (w.resource === undefined || w.resource === r.resource));
    if (!waiver) return r;
    const note = { reason: waiver.reason, owner: waiver.owner, expires: waiver.expires, expired: waiver.expires < today };
    if (note.expired) return { ...r, waiver: note, message: `${r.message} (waiver by ${waiver.owner} expired on ${waiver.expires})` };
    return { ...r, status: 'waived', waiver: note, message: `${r.message} (waived by ${waiver.owner} until ${waiver.expires}: ${waiver.reason})` };
  });
}
