import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../spec/errors.js';
import { INPUT_LIMITS, readInputFile } from '../spec/input.js';
import { zodProblems } from '../spec/zod-problems.js';
import type { Redactor } from '../report/redact.js';
import type { Observation } from './observe.js';
import { fingerprintOf } from './observe.js';
import { TARGET_NAMES } from '../verify/types.js';

export const BASELINE_FORMAT = 'prodcheck-drift-baseline';

/** The accepted state of a stack: every drift result, redacted, sorted by key so a re-take diffs cleanly in git. */
export interface Baseline {
  readonly format: typeof BASELINE_FORMAT;
  readonly version: 1;
  readonly stack: string;
  readonly createdAt: string;
  /**
   * Keys the secret fingerprints in the entries' messages (64 hex digits, random per baseline): without it a
   * fingerprint of a weak secret is reversed by hashing guesses; with it a drift run's fingerprints compare.
   */
  readonly fingerprintKey?: string;
  readonly entries: readonly Observation[];
}

const observationSchema = z.strictObject({
  target: z.enum(TARGET_NAMES),
  key: z.string().min(1),
  control: z.string().min(1),
  resource: z.string().optional(),
  status: z.enum(['pass', 'fail', 'error', 'skip', 'waived']),
  expected: z.string().optional(),
  observed: z.string().optional(),
  fingerprint: z.string().regex(/^[0-9a-f]{16}$/, 'must be 16 hex digits'),
  message: z.string(),
});

const baselineSchema = z.strictObject({
  format: z.literal(BASELINE_FORMAT),
  version: z.literal(1),
  stack: z.string().min(1),
  createdAt: z.string().min(1),
  fingerprintKey: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 hex digits').optional(),
  entries: z.array(observationSchema),
});

export function makeBaseline(stack: string, createdAt: Date, observations: readonly Observation[], fingerprintKey?: string): Baseline {
  const order = (o: Observation) => `${o.target} ${o.key}`;
  const entries = [...observations].sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
  return { format: BASELINE_FORMAT, version: 1, stack, createdAt: createdAt.toISOString(), ...(fingerprintKey && { fingerprintKey }), entries };
}

/** The fingerprint key of the baseline already at `file`, if any: a re-take keeps it so unchanged secrets diff cleanly. */
export function existingFingerprintKey(file: string): string | undefined {
  try {
    const key = (JSON.parse(readFileSync(file, 'utf8')) as { fingerprintKey?: unknown }).fingerprintKey;
    return typeof key === 'string' && /^[0-9a-f]{64}$/.test(key) ? key : undefined;
  } catch {
    return undefined;
  }
}

/** The file text, passed through the redactor once more as a last guard: what is written is what was reviewed. */
export function serializeBaseline(baseline: Baseline, redactor: Redactor): string {
  return redactor.redact(`${JSON.stringify(baseline, null, 2)}\n`);
}

export function writeBaseline(file: string, baseline: Baseline, redactor: Redactor): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, serializeBaseline(baseline, redactor));
}

/**
 * Reads and checks a baseline file. Any problem is bad input (exit 2) and names the file and the command
 * that creates a fresh one (`howToCreate`), since a baseline cannot be repaired by hand.
 */
export function readBaseline(file: string, howToCreate: string): Baseline {
  const fail = (path: string, message: string): never => {
    throw new ConfigError(file, [{ path, message: `${message}. ${howToCreate}` }]);
  };
  if (!existsSync(file)) fail('', 'no baseline file here');
  const text = readInputFile(file, 'baseline', howToCreate, INPUT_LIMITS.report);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    fail('', `is not JSON (${(e as Error).message})`);
  }
  if (typeof raw !== 'object' || raw === null || (raw as { format?: unknown }).format !== BASELINE_FORMAT) {
    fail('format', `is not a prodcheck drift baseline (no "format": "${BASELINE_FORMAT}")`);
  }
  const version = (raw as { version?: unknown }).version;
  if (version !== 1) fail('version', `is ${JSON.stringify(version ?? null)}, and this prodcheck reads baseline version 1`);
  const parsed = baselineSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      file,
      zodProblems(parsed.error, (p) => p).map((p) => ({ ...p, message: `${p.message}. ${howToCreate}` })),
    );
  }
  const ids = new Set<string>();
  parsed.data.entries.forEach((e, i) => {
    const id = `${e.target} ${e.key}`;
    if (ids.has(id)) fail(`entries[${i}].key`, `"${e.key}" of target ${e.target} appears twice`);
    ids.add(id);
    // A hand edit that changes what is compared without its fingerprint would silently hide or invent drift.
    if (fingerprintOf(e.status, e.expected, e.observed) !== e.fingerprint) fail(`entries[${i}]`, `the fingerprint of "${e.key}" does not match its status, expected and observed values (edited by hand?)`);
  });
  return parsed.data;
}
