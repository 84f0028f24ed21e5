import type { Control, Implementation, Stage } from './types.js';
import { STAGES } from './types.js';

export interface CoverageRow {
  readonly control: Control;
  /** Stages the catalogue asks for, each with whether something registered implements it. */
  readonly stages: Readonly<Partial<Record<Stage, boolean>>>;
}

export interface StageTotals {
  readonly stage: Stage;
  readonly required: number;
  readonly implemented: number;
}

export interface Coverage {
  readonly rows: readonly CoverageRow[];
  readonly totals: readonly StageTotals[];
  /** Registered implementations that do not fit the catalogue: unknown ids, or a stage the control does not have. */
  readonly problems: readonly string[];
}

/** Coverage is computed from what is registered, never typed by hand. */
export function computeCoverage(catalogue: readonly Control[], implementations: readonly Implementation[]): Coverage {
  const known = new Map(catalogue.map((c) => [c.id, c]));
  const implemented = new Set<string>();
  const problems: string[] = [];
  for (const impl of implementations) {
    const control = known.get(impl.control);
    if (!control) {
      problems.push(`${impl.source}: "${impl.control}" is not a control id of the catalogue.`);
    } else if (!control.stages.includes(impl.stage)) {
      problems.push(`${impl.source}: ${impl.control} has no stage ${impl.stage} in the catalogue (it has ${control.stages.join(' ')}).`);
    } else {
      implemented.add(`${impl.stage}:${impl.control}`);
    }
  }
  const rows = catalogue.map((control) => ({
    control,
    stages: Object.fromEntries(control.stages.map((s) => [s, implemented.has(`${s}:${control.id}`)])),
  }));
  const totals = STAGES.map((stage) => ({
    stage,
    required: catalogue.filter((c) => c.stages.includes(stage)).length,
    implemented: catalogue.filter((c) => implemented.has(`${stage}:${c.id}`)).length,
  }));
  return { rows, totals, problems };
}
