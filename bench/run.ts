// npm run bench: the speed and memory figures of bench/README.md, medians over several runs,
// written to bench/results.json. Targets are reported, never asserted (tests assert behaviour only).
import { writeFileSync } from 'node:fs';
import { SANDBOX_FAMILIES } from '../sandbox/families.js';
import { startSandbox } from '../sandbox/run.js';
import { Redactor } from '../report/redact.js';
import { benchChecklist } from './checklist.js';
import { coldStart } from './cli.js';
import { benchGate } from './gate.js';
import { benchMemory } from './memory.js';
import { benchRedisLatency } from './redis-latency.js';
import { benchVerify } from './verify.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const log = (line: string) => process.stderr.write(`${line}\n`);

const sandbox = await startSandbox({ breaks: [], families: SANDBOX_FAMILIES, redactor: new Redactor(), log: () => undefined });
let results: Record<string, unknown>;
try {
  log('0/5 checklist mapping on the corpus of public checklists…');
  const checklist = benchChecklist();
  log(`1/5 verify on the full sandbox (${RUNS} runs each)…`);
  const verify = await benchVerify(sandbox, RUNS);
  log('2/5 CLI cold start…');
  const cli = [coldStart(['--help'], Math.max(RUNS, 7)), coldStart(['verify', '--help'], Math.max(RUNS, 7))];
  log('3/5 peak memory of verify…');
  const memory = await benchMemory(sandbox, RUNS);
  log('4/5 gate Analyze throughput over gRPC…');
  const gate = await benchGate([100, 1_000, 10_000], RUNS);
  log('5/5 redis.latency in full runs beside a redis-cli-style measurement…');
  const redisLatency = await benchRedisLatency(sandbox, RUNS);
  results = {
    date: new Date().toISOString(),
    machine: { node: process.version, cpus: (await import('node:os')).cpus().length },
    verify: { ...verify, target: 'ratioToSlowest <= 1.5', met: verify.ratioToSlowest <= 1.5 },
    cliColdStart: cli.map((c) => ({ ...c, target: 'median <= 300 ms, no @pulumi module', met: c.medianMs <= 300 && c.pulumiModules.length === 0 })),
    verifyPeakMemory: memory,
    gate: gate.map((g) => ({ ...g, target: '>= 2000 resources/s', met: g.resourcesPerSecond >= 2000 })),
    checklistMapping: { ...checklist, target: 'corpus precision >= 95 %, recall >= 85 %', met: checklist.corpus.precision >= 95 && checklist.corpus.recall >= 85 },
    redisLatency: { ...redisLatency, target: 'p95 within 2 ms of the reference', met: redisLatency.differenceMs <= 2 },
  };
} finally {
  await sandbox.stop();
}
writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
