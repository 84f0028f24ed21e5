/**
 * Finishes starting a family on a service already running: a failure while setting it up (a fault that
 * cannot be planted, a seed that fails) stops the service before it propagates, so nothing is left listening.
 */
export async function stopOnError<T>(service: { stop(): Promise<void> }, setUp: () => Promise<T>): Promise<T> {
  try {
    return await setUp();
  } catch (e) {
    await service.stop();
    throw e;
  }
}
