import { describe, expect, it } from 'vitest';
import type { ResolvedPolicyConfig } from '../../gate/policy-config.js';
import type { Diagnostic, PolicyOutcome } from '../../gate/report.js';
import { gateResults } from '../../gate/report.js';

const DESCRIPTION = 'Backup retention >= 30 days';
const URN = 'urn:pulumi:prod::prodcheck::aws:rds/instance:Instance::chat-db-instance';
const diag = (message: string, level: Diagnostic['level']): Diagnostic => ({ policy: 'pg.backups.retention', message: `${DESCRIPTION}\n${message}`, level, urn: URN, name: 'chat-db-instance' });
const outcome = (diagnostics: Diagnostic[], more: Partial<PolicyOutcome> = {}): PolicyOutcome => ({
  name: 'pg.backups.retention',
  description: DESCRIPTION,
  kind: 'resource',
  diagnostics,
  applicable: 1,
  notApplicable: [],
  durationMs: 5,
  ...more,
});
const config = (level: ResolvedPolicyConfig['enforcementLevel'], waivers: unknown[] = []) =>
  new Map<string, ResolvedPolicyConfig>([['pg.backups.retention', { enforcementLevel: level, properties: { minRetentionDays: 30, waivers } }]]);
const base = { control: 'pg.backups.retention', title: DESCRIPTION, severity: 'high' };

describe('gate results', () => {
  it('a mandatory violation fails, with the resource and without the description prefix', () => {
    expect(gateResults([outcome([diag('backupRetentionPeriod must be at least 30 days (found 7)', 'mandatory')])], config('mandatory'))).toEqual([
      { ...base, resource: 'chat-db-instance', status: 'fail', message: 'backupRetentionPeriod must be at least 30 days (found 7)', durationMs: 5 },
    ]);
  });

  it('an advisory violation passes the gate, marked advisory', () => {
    expect(gateResults([outcome([diag('x (found 7)', 'advisory')])], config('advisory'))).toEqual([
      { ...base, resource: 'chat-db-instance', status: 'pass', message: 'advisory, not enforced: x (found 7)', advisory: true, durationMs: 5 },
    ]);
  });

  it('a waived violation is waived while the waiver lives; past it the mandatory violation fails and says so', () => {
    const waiver = { resource: 'chat-db-instance', owner: 'ops', reason: 'migration', expires: '2027-01-31' };
    const live = gateResults([outcome([diag('x (waived by ops until 2027-01-31: migration)', 'advisory')])], config('mandatory', [waiver]), '2026-11-21');
    expect(live[0]).toMatchObject({ status: 'waived', waiver: { owner: 'ops', expires: '2027-01-31', reason: 'migration', expired: false } });
    const expired = gateResults([outcome([diag('x (waiver by ops expired on 2027-01-31)', 'mandatory')])], config('mandatory', [waiver]), '2027-02-01');
    expect(expired[0]).toMatchObject({ status: 'fail', waiver: { expired: true } });
  });

  it('a policy without violations passes once per control; one that applied to nothing, or is disabled, is skipped', () => {
    expect(gateResults([outcome([], { applicable: 3 })], config('mandatory'))).toEqual([{ ...base, status: 'pass', message: '3 resources comply', durationMs: 5 }]);
    expect(gateResults([outcome([], { applicable: 0, notApplicable: ['applies to aws:rds/instance:Instance', 'applies to aws:rds/instance:Instance', 'applies to env vars X'] })], config('mandatory'))).toEqual([
      { ...base, status: 'skip', message: 'not applicable: applies to env vars X', durationMs: 5 },
    ]);
    expect(gateResults([outcome([diag('x', 'mandatory')])], config('disabled'))).toEqual([{ ...base, status: 'skip', message: 'disabled by the policy config', durationMs: 0 }]);
  });

  it("the SDK's advisory for a value unknown at preview is a skip, not a pass", () => {
    const text = "can't run policy 'pg.backups.retention' from policy pack 'prodcheck@v0.1.0' during preview: number value at .backupRetentionPeriod can't be known during preview";
    expect(gateResults([outcome([diag(text, 'advisory')])], config('mandatory'))[0]).toMatchObject({ status: 'skip', message: text });
  });
});
