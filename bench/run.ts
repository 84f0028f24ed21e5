// npm run bench: the speed and memory figures of bench/README.md, medians over several runs,
// written to bench/results.json. Targets are reported, never asserted (tests assert behaviour only).
import { writeFileSync } from 'node:fs';
import { SANDBOX_FAMILIES } from '../sandbox/families.js';
import { startSandbox } from '../sandbox/run.js';
import { Redactor } from '../report/redact.js';
import { benchChecklist } from './checklist.js';
import { benchFlood } from './flood.js';
import { coldStart, coldStartAsync, nodeBaseline } from './cli.js';
import { round } from './stats.js';
import { benchGate } from './gate.js';
import { benchMemory } from './memory.js';
import { benchRedisLatency } from './redis-latency.js';
import { benchVerify } from './verify.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const log = (line: string) => process.stderr.write(`${line}\n`);

const sandbox = await startSandbox({ breaks: [], families: SANDBOX_FAMILIES, redactor: new Redactor(), log: () => undefined });
let results: Record<string, unknown>;
try {
  log('0/6 checklist mapping on the corpus of public checklists…');
  const checklist = benchChecklist();
  const flood = await benchFlood();
  log(`1/6 verify on the full sandbox (${RUNS} runs each)…`);
  const verify = await benchVerify(sandbox, RUNS);
  // The whole command as a user runs it, process start-up included, beside its slowest target (exit 1/3: a
  // loaded machine may miss a latency budget; the wall time is what is measured here).
  const verifyWall = await coldStartAsync(['verify', '--config', sandbox.configFile, '--targets', sandbox.targetsFile, '--format', 'json', '--out', '/dev/null'], RUNS, [0, 1, 3]);
  log('2/6 CLI cold start beside node -e 0…');
  const baseline = nodeBaseline(Math.max(RUNS, 7));
  const cli = [coldStart(['--help'], Math.max(RUNS, 7)), coldStart(['controls'], Math.max(RUNS, 7)), coldStart(['verify', '--help'], Math.max(RUNS, 7))];
  log('3/6 prodcheck gate --stack prod…');
  const gateWall = coldStart(['gate', '--stack', 'prod', '--format', 'json', '--out', '/dev/null'], Math.min(RUNS, 3));
  log('4/6 peak memory of verify…');
  const memory = await benchMemory(sandbox, RUNS);
  log('5/6 gate Analyze throughput over gRPC…');
  const gate = await benchGate([100, 1_000, 10_000], RUNS);
  log('6/6 redis.latency in full runs beside a redis-cli-style measurement…');
  const redisLatency = await benchRedisLatency(sandbox, RUNS);
  results = {
    date: new Date().toISOString(),
    machine: { node: process.version, cpus: (await import('node:os')).cpus().length, loadavg: (await import('node:os')).loadavg().map((l) => round(l)) },
    baseline,
    cliColdStart: cli.map((c) => ({ ...c, ratioToBaseline: round(c.medianMs / baseline.medianMs), target: '<= 1.5 x node -e 0, no @pulumi module', met: c.medianMs <= 1.5 * baseline.medianMs && c.pulumiModules.length === 0 })),
    gateStackProd: { ...gateWall, target: '< 4000 ms', met: gateWall.medianMs < 4000 },
    verify: { ...verify, target: 'ratioToSlowest <= 1.5', met: verify.ratioToSlowest <= 1.5 },
    verifyWall: { ...verifyWall, slowestTargetMs: verify.slowestTargetMs, overSlowestMs: round(verifyWall.medianMs - verify.slowestTargetMs), target: 'wall <= slowest target + 500 ms', met: verifyWall.medianMs - verify.slowestTargetMs <= 500 },
    verifyPeakMemory: memory,
    gate: gate.map((g) => ({ ...g, target: '>= 2000 resources/s', met: g.resourcesPerSecond >= 2000 })),
    checklistMapping: { ...checklist, target: 'corpus precision >= 95 %, recall >= 85 %', met: checklist.corpus.precision >= 95 && checklist.corpus.recall >= 85 },
    redisLatency: { ...redisLatency, target: 'p95 within 2 ms of the reference', met: redisLatency.differenceMs <= 2 },
    apiFlood: { ...flood, target: 'RSS growth < 100 MB for a 300 MB answer', met: Object.values(flood.rssGrowthMb).every((mb) => mb < 100) },
  };
} finally {
  await sandbox.stop();
}
writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
