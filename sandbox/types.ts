import type { StackSpec, Targets } from '../spec/index.js';
import type { TlsFiles } from './services/tls.js';

/** What every sandbox family gets: its own temp dir, the sandbox CA, and the outputs of earlier phases. */
export interface SandboxContext {
  readonly tmpDir: string;
  /** A throwaway CA and a server certificate for 127.0.0.1 / localhost (and the app's domain names). */
  readonly tls: TlsFiles;
  /**
   * Outputs of the phase-1 families, the way `pulumi stack output` would hold them:
   * `postgres.url`, `redis.url`, `stripe.webhookSecret`, `stripe.price.<key>`, `stripe.secretKey`...
   */
  readonly outputs: Readonly<Record<string, string>>;
  readonly log: (line: string) => void;
}

/** A running piece of the local stack. */
export interface SandboxRunning {
  /** The targets-file sections that point verify at it. */
  readonly targets: Partial<Targets>;
  /** Every password, token and key it made: registered with the redactor. */
  readonly secrets: readonly string[];
  /** Outputs for later phases (see SandboxContext.outputs). */
  readonly outputs?: Readonly<Record<string, string>>;
  /** Controls this machine cannot stand in for (e.g. no pgbouncer binary), each with the reason it is skipped. */
  readonly skipped?: Readonly<Record<string, string>>;
  /** Where a person can reach it with --keep, one line each. */
  readonly describe: readonly string[];
  /**
   * Called when the sandbox is kept running (--keep): starts what a live stack keeps doing over time (the
   * Datadog Agent submitting measurements), so that the verify command printed for it still passes an hour later.
   */
  keep?(): void;
  stop(): Promise<void>;
}

/**
 * One family of the sandbox (postgres, redis, stripe, http app, vercel fake...). It starts its local
 * services, applies the stack's desired state, and plants the faults of `breaks` (control ids from
 * `breakable`) so that exactly those controls fail.
 */
export interface SandboxFamily {
  readonly name: string;
  /** Phase 1 starts first (databases, APIs); phase 2 gets their outputs (the app, the Vercel fake); phase 3 gets phase 2's (what measures the running app). */
  readonly phase: 1 | 2 | 3;
  /** Whether the stack has anything for this family to run (e.g. no prodcheck:stripe section: no). */
  applies(spec: StackSpec): boolean;
  readonly breakable: readonly string[];
  start(spec: StackSpec, ctx: SandboxContext, breaks: ReadonlySet<string>): Promise<SandboxRunning>;
}
