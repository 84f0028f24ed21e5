import { createServer, type Server } from 'node:http';
import { projectsGetProject } from '@vercel/sdk/funcs/projectsGetProject.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_API_BODY_BYTES } from '../../../verify/net.js';
import { call, vercelClient } from '../../../verify/vercel/client.js';

// A Vercel API that hangs, or floods: vercel.timeoutMs must bound each call, the body cap each answer.
let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url?.includes('hang')) return; // never answers
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    let sent = 0;
    const pump = () => {
      while (sent <= MAX_API_BODY_BYTES + chunk.length) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end('{}');
    };
    res.write('{"id":"x", "pad":"');
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const client = (timeoutMs: number) => vercelClient({ token: 'tok-vercel-123456', baseUrl: base, timeoutMs, logsReadMs: 5_000, expect: {} }, undefined, new AbortController().signal);

describe('the Vercel API client', () => {
  it('honours vercel.timeoutMs although every call passes a signal', async () => {
    const c = client(300);
    await expect(call(c, 'project hang', projectsGetProject(c.core, { idOrName: 'hang' }, c.options))).rejects.toThrow(/^could not reach the Vercel API reading project hang: /);
  }, 20_000);

  it(`stops reading a body past ${MAX_API_BODY_BYTES} bytes`, async () => {
    const c = client(30_000);
    await expect(call(c, 'project flood', projectsGetProject(c.core, { idOrName: 'flood' }, c.options))).rejects.toThrow(/larger than 16777216 bytes/);
  }, 60_000);
});
