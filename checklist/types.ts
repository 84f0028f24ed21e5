/** P provision, G gate, V verify, D drift, A active verify (acts on the system, only with --active). */
export type Stage = 'P' | 'G' | 'V' | 'D' | 'A';
export const STAGES: readonly Stage[] = ['P', 'G', 'V', 'D', 'A'];

export type Severity = 'critical' | 'high' | 'medium' | 'low';

export interface Control {
  readonly id: string;
  readonly family: string;
  readonly title: string;
  readonly severity: Severity;
  readonly stages: readonly Stage[];
  /** How the catalogue says each stage checks it. */
  readonly check: string;
}

/** Something a stage registers: a provisioning step, a policy or a check, carrying a control id. */
export interface Implementation {
  readonly control: string;
  readonly stage: Stage;
  /** Where it is registered, e.g. `verify/pg/checks.ts`. */
  readonly source: string;
}
