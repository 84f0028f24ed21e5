import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { Redactor } from '../../report/redact.js';
import { serverDeadline } from '../deadline.js';
import type { Probe } from '../types.js';
import { probe, type TcpEndpoint } from './connection.js';

/** How long a credential-less probe may take to be answered before it counts as unanswered. */
const PROBE_MS = 1_000;

/** What a connection that sent no credentials was told. */
export interface AnonymousAnswer {
  /** The server ran the command for a client that never authenticated. */
  readonly accepted: boolean;
  /** Its first reply line (`+PONG`, `-NOAUTH Authentication required.`) or the HTTP status. */
  readonly answer: string;
}

/**
 * A TLS port must not speak plaintext RESP, and the server must not also listen in plaintext
 * (INFO tcp_port, when it differs from the TLS port). Only a RESP reply counts as "answered".
 */
export async function probePlaintext(host: string, tlsPort: number, advertisedPort: number, redactor: Redactor): Promise<Probe<{ answeredOn?: number }>> {
  return probe(async () => {
    const ports = [tlsPort];
    if (advertisedPort > 0 && advertisedPort !== tlsPort) ports.push(advertisedPort);
    for (const port of ports) {
      const reply = await firstReply(() => tcpConnect({ host, port }), 'connect').catch(() => undefined);
      if (reply !== undefined && /^[+-]/.test(reply)) return { answeredOn: port };
    }
    return {};
  }, redactor);
}

/**
 * The same endpoint, TLS and all, with no AUTH: a server that requires authentication answers PING with
 * NOAUTH (or refuses the connection); `+PONG` means anyone who reaches the port can read and write.
 */
export async function probeAnonymousTcp(at: TcpEndpoint, redactor: Redactor): Promise<Probe<AnonymousAnswer>> {
  return probe(async () => {
    const open = at.tls ? () => tlsConnect({ host: at.host, port: at.port, ...at.tls }) : () => tcpConnect({ host: at.host, port: at.port });
    const reply = await firstReply(open, at.tls ? 'secureConnect' : 'connect');
    if (reply === undefined) return { accepted: false, answer: 'connection closed without a reply' };
    if (reply.startsWith('+') || reply.startsWith('-')) return { accepted: reply.startsWith('+'), answer: reply };
    throw new Error(`PING without credentials got an answer that is not RESP (${JSON.stringify(reply.slice(0, 40))})`);
  }, redactor);
}

/** The Upstash REST API with no Authorization header must answer 401. */
export async function probeAnonymousRest(url: string, timeoutMs: number, signal: AbortSignal, redactor: Redactor): Promise<Probe<AnonymousAnswer>> {
  return probe(async () => {
    const res = await fetch(url, { method: 'POST', body: '["PING"]', headers: { 'content-type': 'application/json' }, signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) });
    await res.body?.cancel();
    if (res.status === 200) return { accepted: true, answer: 'HTTP 200' };
    if (res.status === 401 || res.status === 403) return { accepted: false, answer: `HTTP ${res.status}` };
    throw new Error(`a request without a token got HTTP ${res.status}, neither 200 nor 401`);
  }, redactor);
}

/** Sends an inline PING once connected and resolves with the first reply line; undefined when closed unanswered. */
function firstReply(open: () => Socket, ready: 'connect' | 'secureConnect'): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const socket = open();
    let buffered = '';
    const done = (err: Error | undefined, line?: string) => {
      deadline.cancel();
      socket.destroy();
      if (err) reject(err);
      else resolve(line);
    };
    // The server's time, not this process's stalls (see verify/deadline.ts): a busy run must not read a late tick as silence.
    const deadline = serverDeadline(PROBE_MS, () => done(new Error(`no answer within ${PROBE_MS} ms`)));
    socket.once(ready, () => socket.write('PING\r\n'));
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      const end = buffered.indexOf('\r\n');
      if (end >= 0) done(undefined, buffered.slice(0, end));
    });
    socket.once('error', (e) => done(e));
    socket.once('close', () => done(undefined, buffered === '' ? undefined : buffered));
  });
}
