import type { Implementation, Stage } from '../checklist/index.js';
import { getControl } from '../checklist/index.js';

/**
 * Every stage's registry of implementations. Each stage lists what it registers (checks, policies,
 * provisioning steps), each carrying a control id; coverage is computed from these, never typed by hand.
 */
const SOURCES: ReadonlyArray<() => Promise<readonly Implementation[]>> = [
  async () => {
    const { FAMILIES } = await import('../verify/registry.js');
    return FAMILIES.flatMap((f) =>
      f.checks.map((c) => {
        // An acting check implements the control's A stage where the catalogue has one.
        const stage: Stage = c.active && getControl(c.id).stages.includes('A') ? 'A' : 'V';
        return { control: c.id, stage, source: `verify/${f.collector.target}` };
      }),
    );
  },
];

export async function loadImplementations(): Promise<Implementation[]> {
  const lists = await Promise.all(SOURCES.map((load) => load()));
  return lists.flat();
}
