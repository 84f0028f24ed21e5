// A redis-cli --latency-style reference, in a process of its own: one connection, AUTH, then a PING every
// 10 ms, each round trip timed from write to reply. argv: TARGETS SAMPLES. Prints {"samplesMs": [...]}.
import { readFileSync } from 'node:fs';
import { connect as tcpConnect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect as tlsConnect } from 'node:tls';
import { loadTargets } from '../spec/index.js';

const [targetsFile, samplesArg = '200'] = process.argv.slice(2);
if (!targetsFile) throw new Error('usage: redis-ping.ts TARGETS [SAMPLES]');
const redis = loadTargets(targetsFile, process.env, undefined).targets.redis;
if (!redis?.url) throw new Error(`${targetsFile} has no redis.url: the reference speaks RESP over TCP only`);
const u = new URL(redis.url);
const port = Number(u.port || 6379);
const socket: Socket =
  u.protocol === 'rediss:'
    ? tlsConnect({ host: u.hostname, port, ca: redis.caFile ? readFileSync(redis.caFile) : undefined, servername: u.hostname === '127.0.0.1' ? undefined : u.hostname })
    : tcpConnect({ host: u.hostname, port });
await new Promise<void>((resolve, reject) => {
  socket.once(u.protocol === 'rediss:' ? 'secureConnect' : 'connect', () => resolve());
  socket.once('error', reject);
});

let waiting: ((line: string) => void) | undefined;
let buffered = '';
socket.on('data', (chunk: Buffer) => {
  buffered += chunk.toString('latin1');
  const end = buffered.indexOf('\r\n');
  if (end < 0 || !waiting) return;
  const line = buffered.slice(0, end);
  buffered = buffered.slice(end + 2);
  const w = waiting;
  waiting = undefined;
  w(line);
});
const send = (command: readonly string[]) =>
  new Promise<string>((resolve) => {
    waiting = resolve;
    socket.write(`*${command.length}\r\n${command.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
  });

if (u.password) {
  const auth = await send(u.username ? ['AUTH', decodeURIComponent(u.username), decodeURIComponent(u.password)] : ['AUTH', decodeURIComponent(u.password)]);
  if (auth !== '+OK') throw new Error(`AUTH answered ${auth.slice(0, 40)}`);
}
const samplesMs: number[] = [];
for (let i = 0; i < Number(samplesArg); i++) {
  await sleep(10);
  const t0 = performance.now();
  const reply = await send(['PING']);
  samplesMs.push(performance.now() - t0);
  if (reply !== '+PONG') throw new Error(`PING answered ${reply.slice(0, 40)}`);
}
socket.destroy();
process.stdout.write(`${JSON.stringify({ samplesMs })}\n`);
