import type { Implementation } from '../checklist/index.js';

/**
 * Every stage's registry of implementations. Each stage lists what it registers (checks, policies,
 * provisioning steps), each carrying a control id; coverage is computed from these, never typed by hand.
 */
const SOURCES: ReadonlyArray<() => Promise<readonly Implementation[]>> = [];

export async function loadImplementations(): Promise<Implementation[]> {
  const lists = await Promise.all(SOURCES.map((load) => load()));
  return lists.flat();
}
