// Verify in its own process, so the sandbox's in-process fakes do not share its event loop or its RSS.
// argv: CONFIG TARGETS MODE RUNS, MODE = all | sequential | <target name>.
// Prints one JSON line: {"runsMs": [...], "maxRssMb": n, "results": n, "redisLatencyP95Ms"?: n}.
import { loadStackFile, loadTargets } from '../spec/index.js';
import { Redactor } from '../report/redact.js';
import { FAMILIES } from '../verify/registry.js';
import { runVerify } from '../verify/runner.js';
import type { TargetFamily } from '../verify/types.js';

const [config, targetsFile, mode = 'all', runsArg = '1'] = process.argv.slice(2);
if (!config || !targetsFile) throw new Error('usage: verify-child.ts CONFIG TARGETS [all|sequential|TARGET] [RUNS]');
const stack = loadStackFile(config);
const targets = loadTargets(targetsFile, process.env, undefined);
const redactor = new Redactor().add(...targets.secrets);
const verify = (families: readonly TargetFamily<unknown>[]) =>
  runVerify({ stack: stack.stack, spec: stack.spec, targets: targets.targets, families, redactor, select: () => true, active: true });

const runsMs: number[] = [];
let results = 0;
let redisLatencyP95Ms: number | undefined;
for (let i = 0; i < Number(runsArg); i++) {
  const t0 = performance.now();
  if (mode === 'sequential') {
    for (const family of FAMILIES) results = (await verify([family])).results.length;
  } else {
    const families = mode === 'all' ? FAMILIES : FAMILIES.filter((f) => f.collector.target === mode);
    if (families.length === 0) throw new Error(`no verify family "${mode}"`);
    const report = await verify(families);
    results = report.results.length;
    const p95 = /^p95 ([\d.]+) ms/.exec(report.results.find((r) => r.control === 'redis.latency')?.actual ?? '')?.[1];
    redisLatencyP95Ms = p95 === undefined ? undefined : Number(p95);
  }
  runsMs.push(performance.now() - t0);
}
process.stdout.write(`${JSON.stringify({ runsMs, maxRssMb: process.resourceUsage().maxRSS / 1024, results, redisLatencyP95Ms })}\n`);
// Keep-alive sockets to the fakes would hold the process open for their idle timeout.
process.exit(0);
