import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CollectedResource } from './collect/types.js';
import { secret, withDefaultProviders } from './engine/marshal.js';
import { openSession } from './run.js';
import { PREVIEW_UNKNOWN } from './report.js';

export interface SyntheticRun {
  readonly resources: number;
  /** Wall time of all Analyze calls and the one AnalyzeStack, after the pack is up and configured. */
  readonly analyzeMs: number;
  /** Time to start the pack process and configure it. */
  readonly startMs: number;
  readonly violations: number;
}

const PACK_DIR = fileURLToPath(new URL('../policies', import.meta.url));

/** Every other instance keeps 7 days of backups: half the RDS resources violate pg.backups.retention. */
function synthetic(i: number): CollectedResource {
  const rds = i % 2 === 0;
  const urn = `urn:pulumi:bench::prodcheck::${rds ? 'aws:rds/instance:Instance' : 'vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable'}::r${i}`;
  const inputs = rds
    ? { engine: 'postgres', backupRetentionPeriod: i % 4 === 0 ? 30 : 7, storageEncrypted: true, publiclyAccessible: false, deletionProtection: true, password: secret('04da6b54-80e4-46f7-96ec-b56ff0331ba9') }
    : { key: `VAR_${i}`, value: secret(`value-${i}`), targets: ['production'], sensitive: true };
  return {
    urn,
    type: urn.split('::')[2] ?? '',
    name: `r${i}`,
    custom: true,
    inputs,
    dependencies: [],
    propertyDependencies: {},
    version: rds ? '7.48.0' : '5.4.1',
    options: { protect: false, ignoreChanges: [], additionalSecretOutputs: rds ? ['password'] : ['value'], aliases: [] },
  };
}

/**
 * The benchmark's hook: starts the real pack, configures it with the schema defaults, and has it
 * analyze `n` synthetic resources (RDS instances and env vars, half of the instances in violation)
 * one by one and as a stack, over gRPC as the engine does. The pack is stopped before this returns.
 */
export async function analyzeSynthetic(n: number, packDir = PACK_DIR): Promise<SyntheticRun> {
  const t0 = performance.now();
  const stack = { project: 'prodcheck', stack: 'bench', config: {}, secretKeys: [] };
  const session = await openSession(packDir, stack);
  try {
    await session.configure({}, join(packDir, 'bench'));
    const startMs = performance.now() - t0;
    const resources = Array.from({ length: n }, (_, i) => synthetic(i));
    const t1 = performance.now();
    const outcomes = await session.analyzeAll(withDefaultProviders(resources, stack));
    return { resources: n, analyzeMs: performance.now() - t1, startMs, violations: outcomes.reduce((sum, o) => sum + o.diagnostics.filter((d) => !PREVIEW_UNKNOWN.test(d.message)).length, 0) };
  } finally {
    await session.close();
  }
}
