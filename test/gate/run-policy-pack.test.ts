import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { collectResources } from '../../gate/collect/collect.js';
import { Analyzer } from '../../gate/engine/analyzer.js';
import { startEngineService } from '../../gate/engine/engine-service.js';
import { analyzeRequest, analyzeStackRequest, withDefaultProviders } from '../../gate/engine/marshal.js';
import { startPack } from '../../gate/engine/pack-process.js';
import { analyzerPb } from '../../gate/engine/proto.js';
import { configureRequest, levelName, reconcilePolicyConfig } from '../../gate/policy-config.js';
import { PREVIEW_UNKNOWN } from '../../gate/report.js';
import { runGate } from '../../gate/run.js';
import { flatStackConfig, readProject } from '../../gate/stack-config.js';
import { loadStackFile } from '../../spec/index.js';
import { startPackAsEngine } from '../helpers/engine/policy-pack.js';

// The pack loaded as `pulumi preview --policy-pack policies` loads it (the nodejs language host's
// RunPlugin: run-policy-pack with the engine address and the pack's absolute path, config in
// PULUMI_CONFIG, Handshake answered by the host's proxy), driven in the engine's order over gRPC,
// must find exactly what `prodcheck gate` finds on the same planted-fault stack.

const root = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');
const tmp = mkdtempSync(join(tmpdir(), 'prodcheck-run-policy-pack-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const PLANTED: readonly [string, string][] = [
  ['      retentionDays: 30\n', '      retentionDays: 7\n'],
  ['      publiclyAccessible: false\n', '      publiclyAccessible: true\n'],
  ['    evictionPolicy: allkeys-lru\n', '    evictionPolicy: noeviction\n'],
  ['      NODE_ENV:\n        from: value\n        value: production\n', '      NODE_ENV:\n        from: value\n        value: development\n'],
];

function plantedStack(): string {
  let text = readFileSync(join(root, 'Pulumi.prod.yaml'), 'utf8');
  for (const [from, to] of PLANTED) {
    expect(text).toContain(from);
    text = text.replace(from, to);
  }
  const file = join(tmp, 'Pulumi.planted.yaml');
  writeFileSync(file, text);
  return file;
}

type Finding = [policy: string, resource: string, level: string, message: string];
const sorted = (f: Finding[]): Finding[] => [...f].sort((a, b) => a.join('\u0000').localeCompare(b.join('\u0000')));

/** The engine's side of one preview with a policy pack, against the pack started as the engine starts it. */
async function previewWithPack(file: string): Promise<{ findings: Finding[]; descriptions: ReadonlyMap<string, string>; policies: string[]; calls: readonly string[]; stderr: string }> {
  const stack = loadStackFile(file);
  const project = readProject(root);
  const { config, secretKeys } = flatStackConfig(stack.file, project.name, stack.spec);
  const { resources } = await collectResources({ program: project.program, project: project.name, stack: stack.stack, config, secretKeys });
  const analyzed = withDefaultProviders(resources, { project: project.name, stack: stack.stack, config, secretKeys });
  const names = new Map(analyzed.resources.map((r) => [r.urn, r.name]));
  const engine = await startEngineService();
  const pack = await startPackAsEngine(join(root, 'policies'), engine.address, { project: project.name, stack: stack.stack, config });
  const analyzer = new Analyzer(pack.address);
  try {
    // What the language host's proxy forwards once the pack is up (the same request the engine sent it).
    const configureStack = new analyzerPb.AnalyzerStackConfigureRequest().setStack(stack.stack).setProject(project.name).setOrganization('').setDryRun(true).setConfigSecretKeysList([...secretKeys]);
    for (const [k, v] of Object.entries(config)) configureStack.getConfigMap().set(k, v);
    configureStack.getTagsMap().set('pulumi:project', project.name).set('pulumi:runtime', 'nodejs');
    await analyzer.configureStack(configureStack);
    const info = await analyzer.getAnalyzerInfo();
    // No --policy-pack-config: the engine configures each policy from the pack's own initial config.
    await analyzer.configure(configureRequest(reconcilePolicyConfig(info, {}, file)));
    const responses: [urn: string, res: Awaited<ReturnType<Analyzer['analyze']>>][] = [];
    for (const r of analyzed.resources) responses.push([r.urn, await analyzer.analyze(analyzeRequest(r, analyzed))]);
    responses.push(['', await analyzer.analyzeStack(analyzeStackRequest(analyzed))]);
    // A resource's diagnostics leave the URN empty: the engine attributes them to the analyzed resource.
    const findings = responses.flatMap(([urn, res]) =>
      res.getDiagnosticsList().map((d): Finding => [d.getPolicyname(), names.get(d.getUrn() || urn) ?? '', levelName(d.getEnforcementlevel()), d.getMessage()]),
    );
    const descriptions = new Map(info.getPoliciesList().map((p) => [p.getName(), p.getDescription()]));
    return { findings, descriptions, policies: info.getPoliciesList().map((p) => p.getName()), calls: analyzer.calls, stderr: pack.stderr() };
  } finally {
    analyzer.close();
    await pack.stop();
    await engine.stop();
  }
}

describe('the policy pack as `pulumi preview --policy-pack policies` runs it', () => {
  test('finds what `prodcheck gate` finds on a planted-fault stack, policy by policy', async () => {
    const file = plantedStack();
    const [engine, gate] = await Promise.all([previewWithPack(file), runGate({ stack: loadStackFile(file), projectDir: root, pulumi: false })]);
    expect(engine.stderr).toBe('');
    expect(engine.calls).toEqual(['ConfigureStack', 'GetAnalyzerInfo', 'Configure', ...Array<string>(gate.resources).fill('Analyze'), 'AnalyzeStack']);
    // The same pack: the same policies, each judged by the gate.
    expect([...engine.policies].sort()).toEqual([...new Set(gate.report.results.map((r) => r.control))].sort());
    // The engine prints the SDK's message (the policy's description, a newline, the violation); the gate reports the violation.
    const violation = ([policy, resource, level, message]: Finding): Finding => {
      const description = engine.descriptions.get(policy) ?? '';
      return [policy, resource, level, message.startsWith(`${description}\n`) ? message.slice(description.length + 1) : message];
    };
    // A policy that cannot run on a value unknown at preview is an advisory warning in the engine and a skip in the gate (never a pass).
    const unknownAtPreview = (f: Finding) => PREVIEW_UNKNOWN.test(f[3]);
    const gateResult = (status: string) => gate.report.results.filter((r) => r.status === status);
    expect(sorted(engine.findings.filter(unknownAtPreview).map((f) => [f[0], f[1], 'skip', f[3]]))).toEqual(
      sorted(gateResult('skip').filter((r) => PREVIEW_UNKNOWN.test(r.message)).map((r): Finding => [r.control, r.resource ?? '', 'skip', r.message])),
    );
    const gateFindings = gate.report.results
      .filter((r) => r.status === 'fail' || r.message.startsWith('advisory'))
      .map((r): Finding => [r.control, r.resource ?? '', r.status === 'fail' ? 'mandatory' : 'advisory', r.message.replace(/^advisory: /, '')]);
    const violations = engine.findings.filter((f) => !unknownAtPreview(f)).map(violation);
    expect(sorted(violations)).toEqual(sorted(gateFindings));
    expect(violations.map((f) => f[0]).sort()).toEqual(['env.production-mode', 'pg.backups.retention', 'pg.network-access', 'redis.eviction-policy']);
  });

  test('a stack config over 128 KiB: the engine\'s PULUMI_CONFIG cannot start the pack (E2BIG), the gate\'s config file can', async () => {
    const stack = loadStackFile(join(root, 'Pulumi.prod.yaml'));
    // The prod stack's config and, in another namespace the pack does not read, 150 KB more.
    const config = { ...flatStackConfig(stack.file, readProject(root).name, stack.spec).config, 'padding:big': 'x'.repeat(150 * 1024) };
    const engine = await startEngineService();
    try {
      await expect(startPackAsEngine(join(root, 'policies'), engine.address, { project: 'prodcheck', stack: 'prod', config })).rejects.toThrow('spawn E2BIG');
      const pack = await startPack(join(root, 'policies'), engine.address, { project: 'prodcheck', stack: 'prod', organization: '', config, secretKeys: [] });
      await pack.stop();
      expect(pack.address).toMatch(/^127\.0\.0\.1:\d+$/);
    } finally {
      await engine.stop();
    }
  });
});
