import { join } from 'node:path';
import type * as pb from '@pulumi/pulumi/proto/analyzer_pb.js';
import type { LoadedStack } from '../spec/index.js';
import type { Report } from '../report/types.js';
import { collectResources } from './collect/collect.js';
import type { CollectedResource } from './collect/types.js';
import { Analyzer } from './engine/analyzer.js';
import type { EngineLog } from './engine/engine-service.js';
import { startEngineService } from './engine/engine-service.js';
import type { AnalyzedStack } from './engine/marshal.js';
import { analyzeRequest, analyzeStackRequest, withDefaultProviders } from './engine/marshal.js';
import { startPack } from './engine/pack-process.js';
import { analyzerPb } from './engine/proto.js';
import type { PolicyPackConfig } from './policy-config.js';
import { configureRequest, levelName, reconcilePolicyConfig } from './policy-config.js';
import type { Diagnostic, PolicyOutcome } from './report.js';
import { gateReport, gateResults } from './report.js';
import { readConfigWithCli } from './pulumi-cli.js';
import { flatStackConfig, readProject } from './stack-config.js';
import type { Redactor } from '../report/redact.js';

export interface GateOptions {
  readonly stack: LoadedStack;
  /** Where Pulumi.yaml is; its `main` is the program. */
  readonly projectDir: string;
  /** The policy pack; default `<projectDir>/policies`. */
  readonly packDir?: string;
  /**
   * The user's config (the format of `--policy-pack-config`), over the pack's initial config, which the
   * pack derives from the stack's config as it does under `pulumi preview`.
   */
  readonly policyConfig?: PolicyPackConfig;
  readonly policyConfigSource?: string;
  /** The Pulumi CLI to read the stack's real config with; default `pulumi` on PATH. `false`: judge offline. */
  readonly pulumi?: string | false;
  /** Learns every secret config value the gate reads (e.g. from `pulumi config --show-secrets`), before anything can print one. */
  readonly redactor?: Redactor;
}

/** Where the config the program and the pack saw came from, and what of it the gate could not see. */
export interface ConfigSource {
  readonly from: 'pulumi' | 'file';
  /** Why the Pulumi CLI's config was not used. */
  readonly reason?: string;
  /** Config keys that were unknown to the program (undecryptable or unset). */
  readonly unseen: readonly string[];
}

export interface GateRun {
  readonly report: Report;
  /** The Analyzer RPCs in the order they were made. */
  readonly calls: readonly string[];
  readonly engineCalls: readonly string[];
  readonly engineLogs: readonly EngineLog[];
  readonly resources: number;
  readonly configSource: ConfigSource;
  /** Names in the user's policy config that are no policy of the pack (ignored, as the engine ignores them). */
  readonly unknownPolicyNames: readonly string[];
}

/** Analyze calls in flight at once; the pack serves them concurrently, the order of results is kept. */
const CONCURRENCY = 8;

/** `prodcheck gate`: the program under mocks, then the real pack over the Analyzer protocol (DESIGN.md). */
export async function runGate(opts: GateOptions): Promise<GateRun> {
  const startedAt = new Date();
  const project = readProject(opts.projectDir);
  const cli = opts.pulumi === false ? ({ ok: false, reason: 'the Pulumi CLI was not asked' } as const) : readConfigWithCli(opts.pulumi ?? 'pulumi', opts.projectDir, opts.stack.stack);
  const { config, secretKeys, unseen } = flatStackConfig(opts.stack.file, project.name, opts.stack.spec, cli.ok ? cli.value : undefined);
  opts.redactor?.add(...secretKeys.map((k) => config[k]));
  const configSource: ConfigSource = cli.ok ? { from: 'pulumi', unseen } : { from: 'file', reason: cli.reason, unseen };
  // The program and the pack need only the config: both processes start at once. The program's failure
  // is reported first, as when the pack started after it; a session opened meanwhile is closed.
  const [collected, opened] = await Promise.allSettled([
    collectResources({ program: project.program, project: project.name, stack: opts.stack.stack, config, secretKeys }),
    openSession(opts.packDir ?? join(opts.projectDir, 'policies'), { project: project.name, stack: opts.stack.stack, config, secretKeys, description: project.description }),
  ]);
  if (collected.status === 'rejected') {
    if (opened.status === 'fulfilled') await opened.value.close();
    throw collected.reason;
  }
  if (opened.status === 'rejected') throw opened.reason;
  const session = opened.value;
  try {
    const analyzed = withDefaultProviders(collected.value.resources, { project: project.name, stack: opts.stack.stack, config, secretKeys });
    const resolved = await session.configure(opts.policyConfig ?? {}, opts.policyConfigSource ?? opts.stack.file);
    const outcomes = await session.analyzeAll(analyzed);
    const report = gateReport(opts.stack.stack, startedAt, gateResults(outcomes, resolved));
    return { report, calls: session.analyzer.calls, engineCalls: session.engine.calls, engineLogs: session.engine.logs, resources: analyzed.resources.length, configSource, unknownPolicyNames: resolved.unknownNames };
  } finally {
    await session.close();
  }
}

export interface SessionStack {
  readonly project: string;
  readonly stack: string;
  readonly config: Readonly<Record<string, string>>;
  readonly secretKeys: readonly string[];
  readonly description?: string;
}

/** A started pack with the engine end it talks to, driven in the engine's order. */
export interface Session {
  readonly analyzer: Analyzer;
  readonly engine: Awaited<ReturnType<typeof startEngineService>>;
  readonly info: pb.AnalyzerInfo;
  configure(config: PolicyPackConfig, source: string): Promise<ReturnType<typeof reconcilePolicyConfig>>;
  analyzeAll(stack: AnalyzedStack): Promise<PolicyOutcome[]>;
  close(): Promise<void>;
}

/** Starts the pack and runs what the engine does before any resource: Handshake, ConfigureStack, GetAnalyzerInfo. */
export async function openSession(packDir: string, stack: SessionStack): Promise<Session> {
  const engine = await startEngineService();
  let pack: Awaited<ReturnType<typeof startPack>> | undefined;
  let analyzer: Analyzer | undefined;
  const close = async () => {
    analyzer?.close();
    await pack?.stop();
    await engine.stop();
  };
  try {
    pack = await startPack(packDir, engine.address, { project: stack.project, stack: stack.stack, organization: '', config: stack.config, secretKeys: stack.secretKeys });
    analyzer = new Analyzer(pack.address);
    await analyzer.handshake(new analyzerPb.AnalyzerHandshakeRequest().setEngineAddress(engine.address).setRootDirectory(packDir).setProgramDirectory(packDir));
    const configureStack = new analyzerPb.AnalyzerStackConfigureRequest().setStack(stack.stack).setProject(stack.project).setOrganization('').setDryRun(true).setConfigSecretKeysList([...stack.secretKeys]);
    for (const [k, v] of Object.entries(stack.config)) configureStack.getConfigMap().set(k, v);
    const tags = configureStack.getTagsMap();
    tags.set('pulumi:project', stack.project).set('pulumi:runtime', 'nodejs');
    if (stack.description) tags.set('pulumi:description', stack.description);
    await analyzer.configureStack(configureStack);
    const info = await analyzer.getAnalyzerInfo();
    const a = analyzer;
    return {
      analyzer: a,
      engine,
      info,
      async configure(config, source) {
        const resolved = reconcilePolicyConfig(info, config, source);
        await a.configure(configureRequest(resolved));
        return resolved;
      },
      analyzeAll: (s) => analyzeAll(a, info, s),
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

function diagnosticsOf(res: pb.AnalyzeResponse, fallback: CollectedResource | undefined, names: ReadonlyMap<string, string>): Diagnostic[] {
  return res.getDiagnosticsList().map((d) => {
    const urn = d.getUrn() || fallback?.urn || '';
    return { policy: d.getPolicyname(), message: d.getMessage(), level: levelName(d.getEnforcementlevel()), urn, name: names.get(urn) ?? '' };
  });
}

async function analyzeAll(analyzer: Analyzer, info: pb.AnalyzerInfo, stack: AnalyzedStack): Promise<PolicyOutcome[]> {
  const names = new Map(stack.resources.map((r) => [r.urn, r.name]));
  const perResource: { diagnostics: Diagnostic[]; notApplicable: Map<string, string>; ms: number }[] = new Array(stack.resources.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < stack.resources.length) {
      const i = next++;
      const r = stack.resources[i] as CollectedResource;
      const t0 = performance.now();
      const res = await analyzer.analyze(analyzeRequest(r, stack)).catch((e: unknown) => {
        // One failed call fails the run: the other workers stop instead of calling a pack about to be stopped.
        failed = true;
        throw e;
      });
      perResource[i] = {
        diagnostics: diagnosticsOf(res, r, names),
        notApplicable: new Map(res.getNotApplicableList().map((n) => [n.getPolicyName(), n.getReason()])),
        ms: performance.now() - t0,
      };
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const t0 = performance.now();
  const stackRes = await analyzer.analyzeStack(analyzeStackRequest(stack));
  const stackMs = performance.now() - t0;
  const stackDiagnostics = diagnosticsOf(stackRes, undefined, names);
  const stackNotApplicable = new Map(stackRes.getNotApplicableList().map((n) => [n.getPolicyName(), n.getReason()]));
  const analyzeMs = perResource.reduce((sum, r) => sum + r.ms, 0);
  return info.getPoliciesList().map((p): PolicyOutcome => {
    const name = p.getName();
    const isStack = p.getPolicyType() === analyzerPb.PolicyType.POLICY_TYPE_STACK;
    if (isStack) {
      const reason = stackNotApplicable.get(name);
      return { name, description: p.getDescription(), kind: 'stack', diagnostics: stackDiagnostics.filter((d) => d.policy === name), applicable: reason === undefined ? 1 : 0, notApplicable: reason === undefined ? [] : [reason], durationMs: Math.round(stackMs) };
    }
    const notApplicable = perResource.map((r) => r.notApplicable.get(name)).filter((x): x is string => x !== undefined);
    return {
      name,
      description: p.getDescription(),
      kind: 'resource',
      diagnostics: perResource.flatMap((r) => r.diagnostics.filter((d) => d.policy === name)),
      applicable: perResource.length - notApplicable.length,
      notApplicable,
      durationMs: Math.round(analyzeMs),
    };
  });
}
