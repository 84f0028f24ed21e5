// npm run bench: the speed and memory figures of bench/README.md, medians over several runs,
// written to bench/results.json. Targets are reported, never asserted (tests assert behaviour only).
import { writeFileSync } from 'node:fs';
import { cpus, loadavg as loadavgOf } from 'node:os';
import { SANDBOX_FAMILIES } from '../sandbox/families.js';
import { startSandbox } from '../sandbox/run.js';
import { Redactor } from '../report/redact.js';
import { benchChecklist } from './checklist.js';
import { benchFlood } from './flood.js';
import { coldStart, coldStartAsync, coldStartsInterleaved } from './cli.js';
import { FAMILIES } from '../verify/registry.js';
import { round } from './stats.js';
import { benchGate } from './gate.js';
import { benchMemory } from './memory.js';
import { benchRedisLatency } from './redis-latency.js';
import { speedSummary, type SpeedFigures } from './summary.js';
import { benchVerify } from './verify.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
/** BENCH_ONLY=cli,verifyWall,… runs only those parts (to measure one again when a figure looks disturbed); results.json is then left alone. */
const PARTS = ['checklist', 'flood', 'verify', 'verifyWall', 'cli', 'gateWall', 'memory', 'gate', 'redis'] as const;
const only = process.env.BENCH_ONLY?.split(',').map((p) => p.trim()).filter(Boolean);
const unknown = only?.filter((p) => !(PARTS as readonly string[]).includes(p)) ?? [];
if (unknown.length) throw new Error(`BENCH_ONLY: unknown part ${unknown.join(', ')} (parts: ${PARTS.join(', ')})`);
const runs = (part: (typeof PARTS)[number]) => !only || only.includes(part);
const log = (line: string) => process.stderr.write(`${line}\n`);
const loadavg = () => loadavgOf().map((l) => round(l));

const loadAtStart = loadavg();
const needsSandbox = ['verify', 'verifyWall', 'memory', 'redis'].some((p) => runs(p as (typeof PARTS)[number]));
const sandbox = needsSandbox ? await startSandbox({ breaks: [], families: SANDBOX_FAMILIES, redactor: new Redactor(), log: () => undefined }) : undefined;
let results: Record<string, unknown>;
let speed: SpeedFigures;
try {
  log('0/6 checklist mapping on the corpus of public checklists…');
  const checklist = runs('checklist') ? benchChecklist() : undefined;
  const flood = runs('flood') ? await benchFlood() : undefined;
  log(`1/6 verify on the full sandbox (${RUNS} runs each)…`);
  const verify = sandbox && runs('verify') ? await benchVerify(sandbox, RUNS) : undefined;
  // The whole command as a user runs it, process start-up included, beside its slowest target and beside all
  // targets run in-process (exit 1/3: a loaded machine may miss a latency budget; the wall time is what is measured here).
  const verifyArgs = sandbox ? ['verify', '--config', sandbox.configFile, '--targets', sandbox.targetsFile, '--format', 'json', '--out', '/dev/null'] : [];
  const verifyWall = sandbox && runs('verifyWall') ? await coldStartAsync(verifyArgs, RUNS, [0, 1, 3]) : undefined;
  // The slowest target alone as a CLI process too (--only its controls): cold beside cold, where the in-process
  // figure is a warm second run (its modules loaded, Lighthouse's code compiled by V8).
  const slowest = verify && FAMILIES.find((f) => f.collector.target === verify.slowestTarget);
  const slowestWall = slowest && runs('verifyWall') ? await coldStartAsync([...verifyArgs, '--only', slowest.checks.map((c) => c.id).join(',')], RUNS, [0, 1, 3]) : undefined;
  log('2/6 CLI cold start beside node -e 0…');
  const cold = runs('cli') ? coldStartsInterleaved([['--help'], ['controls'], ['verify', '--help']], Math.max(RUNS, 11)) : undefined;
  const baseline = cold?.baseline;
  const cli = cold?.commands ?? [];
  log('3/6 prodcheck gate --stack prod…');
  const gateWall = runs('gateWall') ? coldStart(['gate', '--stack', 'prod', '--format', 'json', '--out', '/dev/null'], Math.min(RUNS, 3)) : undefined;
  log('4/6 peak memory of verify…');
  const memory = sandbox && runs('memory') ? await benchMemory(sandbox, RUNS) : undefined;
  log('5/6 gate Analyze throughput over gRPC…');
  const gate = runs('gate') ? await benchGate([100, 1_000, 10_000], RUNS) : undefined;
  log('6/6 redis.latency in full runs beside a redis-cli-style measurement…');
  const redisLatency = sandbox && runs('redis') ? await benchRedisLatency(sandbox, RUNS) : undefined;
  const loadAtEnd = loadavg();
  const cliColdStart = baseline
    ? cli.map((c) => ({ ...c, ratioToBaseline: round(c.medianMs / baseline.medianMs), target: '<= 1.5 x node -e 0, no @pulumi module', met: c.medianMs <= 1.5 * baseline.medianMs && c.pulumiModules.length === 0 }))
    : undefined;
  const gateStackProd = gateWall && { ...gateWall, target: '< 4000 ms', met: gateWall.medianMs < 4000 };
  const verifyFigures = verify && { ...verify, target: 'ratioToSlowest <= 1.5', met: verify.ratioToSlowest <= 1.5 };
  const wall = verifyWall && {
    ...verifyWall,
    ...(verify && {
      slowestTargetMs: verify.slowestTargetMs,
      overSlowestMs: round(verifyWall.medianMs - verify.slowestTargetMs),
      concurrentMs: verify.concurrentMs,
      overConcurrentMs: round(verifyWall.medianMs - verify.concurrentMs),
      ...(slowestWall && { slowestTargetWall: { ...slowestWall, pulumiModules: undefined }, overSlowestWallMs: round(verifyWall.medianMs - slowestWall.medianMs) }),
      target: 'wall <= slowest target + 500 ms',
      met: verifyWall.medianMs - verify.slowestTargetMs <= 500,
    }),
  };
  speed = { loadavg: { start: loadAtStart, end: loadAtEnd }, baseline, cliColdStart, gateStackProd, verify: verifyFigures, verifyWall: wall };
  results = {
    date: new Date().toISOString(),
    machine: { node: process.version, cpus: cpus().length, loadavg: loadAtEnd, loadavgAtStart: loadAtStart },
    baseline,
    cliColdStart,
    gateStackProd,
    verify: verifyFigures,
    verifyWall: wall,
    verifyPeakMemory: memory,
    gate: gate?.map((g) => ({ ...g, target: '>= 2000 resources/s', met: g.resourcesPerSecond >= 2000 })),
    checklistMapping: checklist && { ...checklist, target: 'corpus precision >= 95 %, recall >= 85 %', met: checklist.corpus.precision >= 95 && checklist.corpus.recall >= 85 },
    redisLatency: redisLatency && { ...redisLatency, target: 'p95 within 2 ms of the reference', met: redisLatency.differenceMs <= 2 },
    apiFlood: flood && { ...flood, target: 'RSS growth < 100 MB for a 300 MB answer', met: Object.values(flood.rssGrowthMb).every((mb) => mb < 100) },
  };
} finally {
  await sandbox?.stop();
}
if (!only) writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
log(`\n${speedSummary(speed)}`);
