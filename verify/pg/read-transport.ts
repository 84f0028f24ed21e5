/**
 * What the server offers before any login, read with the first bytes of the wire protocol: whether it
 * offers TLS at all (SSLRequest), and whether it would let a role log in without TLS (a plaintext
 * StartupMessage). No password is ever sent: the probe stops at the server's first answer.
 */
import { connect, type Socket } from 'node:net';
import type { Probe } from '../types.js';
import { firstLine } from './connection.js';
import { serverDeadline } from '../deadline.js';
import type { Endpoint, PlaintextLogin } from './snapshot.js';

const SSL_REQUEST_CODE = 80877103;
const PROTOCOL_3 = 196608;

/** Opens a socket, writes `message`, and hands every byte received to `answer` until it returns a value. */
function exchange<T>(where: Endpoint, message: Buffer, timeoutMs: number, answer: (received: Buffer) => T | undefined): Promise<T> {
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    let done = false;
    const socket: Socket = connect({ host: where.host, port: where.port });
    const finish = (fn: () => void): void => {
      if (done) return;
      done = true;
      deadline.cancel();
      socket.destroy();
      fn();
    };
    // On the server's time, not the wall clock: a busy process must not read as a silent server (deadline.ts).
    const deadline = serverDeadline(timeoutMs, () => finish(() => reject(new Error(`no answer within ${timeoutMs} ms`))));
    socket.on('error', (e) => finish(() => reject(e)));
    socket.on('connect', () => socket.write(message));
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      try {
        const value = answer(received);
        if (value !== undefined) finish(() => resolve(value));
      } catch (e) {
        finish(() => reject(e));
      }
    });
    socket.on('end', () => finish(() => reject(new Error('the server closed the connection without an answer'))));
  });
}

/** The server's answer to an SSLRequest: 'S' offers TLS, 'N' declines it. */
export async function readTlsOffered(where: Endpoint, timeoutMs: number): Promise<Probe<boolean>> {
  const request = Buffer.alloc(8);
  request.writeInt32BE(8, 0);
  request.writeInt32BE(SSL_REQUEST_CODE, 4);
  try {
    const byte = await exchange(where, request, timeoutMs, (b) => (b.length >= 1 ? String.fromCharCode(b[0] ?? 0) : undefined));
    if (byte === 'S' || byte === 'N') return { ok: true, value: byte === 'S' };
    return { ok: false, error: `the server answered the SSLRequest with ${JSON.stringify(byte)}, not S or N: is this Postgres?` };
  } catch (e) {
    return { ok: false, error: firstLine(e) };
  }
}

const AUTH_NAMES: Readonly<Record<number, string>> = {
  0: 'a completed login (trust: no password asked)',
  2: 'a Kerberos request',
  3: 'a cleartext password request',
  5: 'an MD5 password request',
  7: 'a GSSAPI request',
  9: 'an SSPI request',
  10: 'a SCRAM password request',
};

/** Reads one complete backend message (type byte, Int32 length, body), or undefined while it is incomplete. */
function message(b: Buffer): { type: string; body: Buffer } | undefined {
  if (b.length < 5) return undefined;
  const length = b.readInt32BE(1);
  if (b.length < 1 + length) return undefined;
  return { type: String.fromCharCode(b[0] ?? 0), body: b.subarray(5, 1 + length) };
}

/**
 * Sends a StartupMessage for `user` and `database` without TLS and reads the first answer. An
 * authentication request (or a trust login) means pg_hba.conf admits the role unencrypted; an
 * ErrorResponse (typically 28000 "no pg_hba.conf entry ... no encryption") means it refuses it.
 */
export async function readPlaintextLogin(where: Endpoint, user: string, database: string, timeoutMs: number): Promise<Probe<PlaintextLogin>> {
  const params = Buffer.from(`user\0${user}\0database\0${database}\0application_name\0prodcheck\0\0`, 'utf8');
  const startup = Buffer.alloc(8 + params.length);
  startup.writeInt32BE(startup.length, 0);
  startup.writeInt32BE(PROTOCOL_3, 4);
  params.copy(startup, 8);
  try {
    const m = await exchange(where, startup, timeoutMs, message);
    if (m.type === 'R') {
      const code = m.body.readInt32BE(0);
      return { ok: true, value: { user, accepted: true, answer: AUTH_NAMES[code] ?? `authentication request ${code}` } };
    }
    if (m.type === 'E') {
      const fields = new Map<string, string>();
      for (const part of m.body.toString('utf8').split('\0')) if (part.length > 1) fields.set(part[0] ?? '', part.slice(1));
      const code = fields.get('C') ?? '';
      const text = fields.get('M') ?? 'an error';
      // Only an authorization refusal proves the rule; "too many connections" and the like prove nothing.
      if (code === '28000' || code === '28P01') return { ok: true, value: { user, accepted: false, answer: text } };
      return { ok: false, error: `the plaintext login attempt got ${code} ${text}, which says nothing of pg_hba.conf` };
    }
    return { ok: false, error: `unexpected ${JSON.stringify(m.type)} message in answer to a startup message` };
  } catch (e) {
    return { ok: false, error: firstLine(e) };
  }
}
