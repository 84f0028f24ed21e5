import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { listenLocal } from '../fixtures/local-server.js';

/** What a hostile vendor API does with a request; chosen per request by the test. */
export type Hostility =
  | { readonly kind: 'hang' }
  /** 200 and its headers at once, then one byte of body every 50 ms, never ending: no socket is ever idle. */
  | { readonly kind: 'trickle'; readonly contentType?: string }
  /** 200 with a body of `bytes` (default 300 MB) streamed until the client hangs up. */
  | { readonly kind: 'flood'; readonly bytes?: number; readonly contentLength?: boolean; readonly contentType?: string }
  | { readonly kind: 'status'; readonly status: number; readonly body: string; readonly contentType?: string };

export interface HostileApi {
  readonly url: string;
  readonly requests: string[];
  close(): Promise<void>;
}

const FLOOD_BYTES = 300 * 1024 * 1024;

/** A local HTTP server that hangs, floods or fails as `behave` decides: vendor clients must end each as an error. */
export async function startHostileApi(behave: (req: IncomingMessage) => Hostility): Promise<HostileApi> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    req.resume();
    const h = behave(req);
    if (h.kind === 'hang') return;
    if (h.kind === 'trickle') {
      res.writeHead(200, { 'content-type': h.contentType ?? 'application/json' });
      res.write(' ');
      const timer = setInterval(() => res.write(' '), 50);
      res.once('close', () => clearInterval(timer));
      return;
    }
    if (h.kind === 'status') {
      res.writeHead(h.status, { 'content-type': h.contentType ?? 'application/json' });
      res.end(h.body);
      return;
    }
    flood(res, h.bytes ?? FLOOD_BYTES, h.contentLength ?? false, h.contentType ?? 'application/json');
  });
  const local = await listenLocal(server);
  return { url: local.url, requests, close: local.stop };
}

function flood(res: ServerResponse, bytes: number, contentLength: boolean, contentType: string): void {
  res.writeHead(200, { 'content-type': contentType, ...(contentLength ? { 'content-length': String(bytes) } : {}) });
  const chunk = Buffer.alloc(1024 * 1024, 0x20);
  let sent = 0;
  let closed = false;
  res.once('close', () => (closed = true));
  const pump = () => {
    while (!closed && sent < bytes) {
      const n = Math.min(chunk.length, bytes - sent);
      sent += n;
      if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void res.once('drain', pump);
    }
    if (!closed) res.end();
  };
  pump();
}
