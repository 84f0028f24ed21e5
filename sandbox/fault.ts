import { UsageError } from '../spec/index.js';

/** The stack leaves nothing for a control's fault to break (no RLS tables, no metered price...). */
export class FaultNotPlantableError extends Error {
  override readonly name = 'FaultNotPlantableError';
  constructor(
    readonly control: string,
    reason: string,
  ) {
    super(`${control}: cannot plant a fault: ${reason}`);
  }
}

/**
 * Plants one `--break` fault. A fault the stack cannot carry is bad input, not a failed run: it becomes
 * the usage error (exit 2) that names the control, whichever family refused it.
 */
export async function plantFault<T>(control: string, plant: () => T | Promise<T>): Promise<T> {
  try {
    return await plant();
  } catch (e) {
    if (e instanceof FaultNotPlantableError) throw new UsageError(`--break ${control}: ${e.message}`);
    throw e;
  }
}
