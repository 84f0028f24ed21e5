import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import type { LoadedStack, StackSpec, Targets } from '../spec/index.js';
import { UsageError, loadStackFile } from '../spec/index.js';
import type { Redactor } from '../report/redact.js';
import { runVerify } from '../verify/runner.js';
import type { TargetFamily } from '../verify/types.js';
import type { Report, Result } from '../report/types.js';
import { writeLocalConfig } from './local-config.js';
import { createTlsFiles } from './services/tls.js';
import type { SandboxFamily, SandboxRunning } from './types.js';

/** The project root (Pulumi.prod.yaml, examples/): above this file, whether it runs from the sources or from dist/. */
const ROOT = projectRoot(fileURLToPath(new URL('.', import.meta.url)));

function projectRoot(dir: string): string {
  return existsSync(join(dir, 'package.json')) || dirname(dir) === dir ? dir : projectRoot(dirname(dir));
}

/** `default` is the production example Pulumi.prod.yaml; any other name is examples/Pulumi.<name>.yaml. */
export function profileFile(profile: string | undefined): string {
  if (!profile || profile === 'default' || profile === 'prod') return join(ROOT, 'Pulumi.prod.yaml');
  const file = join(ROOT, 'examples', `Pulumi.${profile}.yaml`);
  if (!existsSync(file)) throw new UsageError(`unknown profile "${profile}": choose one of ${listProfiles().join(', ')}`);
  return file;
}

/** The hand-ticked checklist a profile was drawn from (examples/checklists/NAME.md), if shipped. */
export function profileChecklist(profile: string | undefined): string | undefined {
  const name = !profile || profile === 'prod' ? 'default' : profile;
  const file = join(ROOT, 'examples', 'checklists', `${name}.md`);
  return existsSync(file) ? file : undefined;
}

export function listProfiles(): string[] {
  const examples = readdirSync(join(ROOT, 'examples'))
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((n): n is string => n !== undefined);
  return ['default', ...examples.sort()];
}

export interface SandboxOptions {
  readonly profile?: string;
  readonly breaks: readonly string[];
  readonly families: readonly SandboxFamily[];
  readonly verifyFamilies: readonly TargetFamily<unknown>[];
  readonly redactor: Redactor;
  readonly log: (line: string) => void;
  readonly onResults?: (results: readonly Result[]) => void;
  /**
   * Registers the sandbox's stop as soon as there is anything to stop, for a signal arriving mid-start;
   * returns the way to unregister it once stopped.
   */
  readonly registerCleanup?: (cleanup: () => Promise<void>, lastResort: () => void) => () => void;
}

export interface SandboxRun extends StartedSandbox {
  readonly report: Report;
  /** Controls whose fault was planted. */
  readonly planted: readonly string[];
  /** Planted faults that did not make their control fail: the sandbox (or the check) is wrong. */
  readonly missed: readonly string[];
  /** Failures nobody planted. */
  readonly unexpected: readonly Result[];
}

/** A started local stack: its stack config, the targets pointing at it, and how to stop it. */
export interface StartedSandbox {
  readonly stack: LoadedStack;
  readonly targets: Targets;
  readonly breaks: ReadonlySet<string>;
  readonly describe: readonly string[];
  /** Every secret the sandbox made (all registered with the redactor). */
  readonly secrets: readonly string[];
  /** Where the targets file was written (for a manual `prodcheck verify`). */
  readonly targetsFile: string;
  /** The stack file with the budgets the sandbox raised (for a manual `prodcheck verify`). */
  readonly configFile: string;
  /** Controls skipped because this machine lacks what they need, each with the reason. */
  readonly skipped: ReadonlyMap<string, string>;
  /** Kept running (--keep): what a live stack keeps doing starts now (SandboxRunning.keep). */
  keep(): void;
  stop(): Promise<void>;
}

/** Starts the local stack for a profile, applies its desired state and plants the requested faults. */
export async function startSandbox(opts: Omit<SandboxOptions, 'verifyFamilies' | 'onResults'>): Promise<StartedSandbox> {
  const loaded = loadStackFile(profileFile(opts.profile));
  const stack = { ...loaded, spec: localSpec(loaded.spec, opts.log) };
  const families = opts.families.filter((f) => f.applies(stack.spec));
  const breakable = new Map(families.flatMap((f) => f.breakable.map((id) => [id, f.name] as const)));
  const unknown = opts.breaks.filter((id) => !breakable.has(id));
  if (unknown.length > 0) {
    const all = [...breakable.keys()].sort().join(', ');
    throw new UsageError(`--break ${unknown.join(',')}: the ${opts.profile ?? 'default'} sandbox cannot plant that fault. Breakable controls: ${all}`);
  }
  const breaks = new Set(opts.breaks);
  const tmpDir = await mkdtemp(join(tmpdir(), 'prodcheck-sandbox-'));
  // Servers that drop root (Postgres, pgbouncer) must be able to pass through to their own subdirs.
  await chmod(tmpDir, 0o711);
  const running: SandboxRunning[] = [];
  const starting: Promise<unknown>[] = [];
  let stopping: Promise<void> | undefined;
  // Once: the command, a failed start and an interrupt may all ask. Services still starting are waited
  // for (each stops itself on seeing `stopping`), so that nothing writes into the dir as it is removed.
  const stop = () =>
    (stopping ??= (async () => {
      await Promise.allSettled(starting);
      await Promise.allSettled(running.map((r) => r.stop()));
      await rm(tmpDir, { recursive: true, force: true, maxRetries: 5 });
      unregister();
    })());
  // Should the stop not finish in time, the files (secrets, TLS key) go anyway; the servers' reapers stop them.
  const unregister = opts.registerCleanup?.(stop, () => rmSync(tmpDir, { recursive: true, force: true, maxRetries: 3 })) ?? (() => undefined);
  try {
    const tls = await createTlsFiles({ tmpRoot: tmpDir, names: appNames(stack.spec.app.domain), validDays: 90 });
    const outputs: Record<string, string> = {};
    for (const phase of [1, 2, 3] as const) {
      const phaseStarts = families
        .filter((f) => f.phase === phase)
        .map(async (f) => {
          opts.log(`starting ${f.name}…`);
          const r = await f.start(stack.spec, { tmpDir, tls, outputs: { ...outputs }, log: opts.log }, new Set([...breaks].filter((id) => breakable.get(id) === f.name)));
          if (stopping) {
            await r.stop();
            throw new Error('the sandbox was stopped while it started');
          }
          running.push(r);
          return r;
        });
      starting.push(...phaseStarts);
      const started = await Promise.allSettled(phaseStarts);
      const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (failed) throw failed.reason;
      for (const s of started) if (s.status === 'fulfilled') Object.assign(outputs, s.value.outputs ?? {});
    }
    const secrets = running.flatMap((r) => r.secrets);
    opts.redactor.add(...secrets);
    const targets = Object.assign({}, ...running.map((r) => r.targets)) as Targets;
    const targetsFile = join(tmpDir, 'targets.yaml');
    await writeFile(targetsFile, stringify(targets), { mode: 0o600 });
    const configFile = await writeLocalConfig(loaded, stack.spec, tmpDir);
    const skipped = new Map(running.flatMap((r) => Object.entries(r.skipped ?? {})));
    const keep = () => {
      for (const r of running) r.keep?.();
    };
    return { stack, targets, breaks, describe: running.flatMap((r) => r.describe), secrets, targetsFile, configFile, skipped, keep, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Starts the local stack and verifies it with every check (active ones included: everything is local). */
export async function runSandbox(opts: SandboxOptions): Promise<SandboxRun> {
  const sandbox = await startSandbox(opts);
  try {
    const report = await runVerify({
      stack: sandbox.stack.stack,
      spec: sandbox.stack.spec,
      targets: sandbox.targets,
      families: opts.verifyFamilies,
      redactor: opts.redactor,
      select: () => true,
      skipped: sandbox.skipped,
      active: true,
      onResults: opts.onResults,
    });
    const failing = new Set(report.results.filter((r) => r.status === 'fail').map((r) => r.control));
    return {
      ...sandbox,
      report,
      planted: [...sandbox.breaks],
      missed: [...sandbox.breaks].filter((id) => !failing.has(id)),
      unexpected: report.results.filter((r) => r.status === 'fail' && !sandbox.breaks.has(r.control)),
    };
  } catch (e) {
    await sandbox.stop();
    throw e;
  }
}

/** A local machine under test load is no production network: latency budgets below this are raised. */
export const LOCAL_LATENCY_FLOOR_MS = 100;
/**
 * Upstash REST pings in the sandbox are HTTPS round trips to the adapter, which answers from the same
 * busy process as every other fake; their budget gets a higher floor.
 */
export const LOCAL_REST_LATENCY_FLOOR_MS = 500;

/** The profile's spec with the few budgets a laptop cannot honestly be held to, saying what changed. */
export function localSpec(spec: StackSpec, log: (line: string) => void): StackSpec {
  const raised: string[] = [];
  const floor = (what: string, ms: number, min: number) => {
    if (ms >= min) return ms;
    raised.push(`${what} ${ms} → ${min} ms`);
    return min;
  };
  const redisFloor = spec.redis?.provider === 'upstash' ? LOCAL_REST_LATENCY_FLOOR_MS : LOCAL_LATENCY_FLOOR_MS;
  const out: StackSpec = {
    ...spec,
    postgres: spec.postgres && { ...spec.postgres, queryLatencyMs: floor('postgres.queryLatencyMs', spec.postgres.queryLatencyMs, LOCAL_LATENCY_FLOOR_MS) },
    redis: spec.redis && { ...spec.redis, latencyP95Ms: floor('redis.latencyP95Ms', spec.redis.latencyP95Ms, redisFloor) },
  };
  if (raised.length > 0) log(`sandbox: latency budgets raised for a local run (${raised.join(', ')})`);
  return out;
}

function appNames(domain: string): string[] {
  return [domain, `www.${domain}`];
}

/** 0 when exactly the planted faults fail; 1 when anything else fails or a planted fault went unseen; 3 on errors. */
export function sandboxExitCode(run: Pick<SandboxRun, 'missed' | 'unexpected' | 'report'>): 0 | 1 | 3 {
  if (run.missed.length > 0 || run.unexpected.length > 0) return 1;
  return run.report.summary.error > 0 ? 3 : 0;
}
