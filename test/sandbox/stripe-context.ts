import { afterAll, beforeAll } from 'vitest';
import { createTlsFiles, type TlsFiles } from '../../sandbox/services/tls.js';
import type { SandboxContext } from '../../sandbox/types.js';

/** A real sandbox context (temp dir and CA) for the file's tests; removed after them. */
export function useSandboxContext(): () => SandboxContext {
  let tls: TlsFiles | undefined;
  beforeAll(async () => {
    tls = await createTlsFiles();
  });
  afterAll(async () => {
    await tls?.remove();
  });
  return () => {
    if (!tls) throw new Error('useSandboxContext(): call the getter inside a test or hook');
    return { tmpDir: tls.dir, tls, outputs: {}, log: () => undefined };
  };
}
