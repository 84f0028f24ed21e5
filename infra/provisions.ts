import type { Implementation } from '../checklist/index.js';

/**
 * The controls a component module provisions (stage P), declared next to the code that provisions
 * them so that `prodcheck controls` can list them without running the program. Each component also
 * records, per stack, the ones it actually provisioned (`claim`); a test runs every example stack and
 * holds the declaration to the union of the claims, so neither can drift from the code.
 */
export interface Provisions<Id extends string = string> {
  readonly source: string;
  readonly controls: readonly Id[];
}

export function provisions<const Id extends string>(source: string, controls: readonly Id[]): Provisions<Id> {
  return { source, controls };
}

/** The controls one component provisioned for this stack. Only the module's declared ids type-check. */
export class ProvisionLog<Id extends string> {
  private readonly claimed = new Set<Id>();

  constructor(readonly declared: Provisions<Id>) {}

  claim(...ids: Id[]): void {
    for (const id of ids) this.claimed.add(id);
  }

  get controls(): Id[] {
    return this.declared.controls.filter((id) => this.claimed.has(id));
  }
}

export function implementationsOf(list: readonly Provisions[]): Implementation[] {
  return list.flatMap((p) => p.controls.map((control) => ({ control, stage: 'P' as const, source: p.source })));
}
