/**
 * A read-only HTTP server on 127.0.0.1 that answers `GET /v1/<path>` with an object shaped exactly as
 * Stripe publishes it (test/fixtures/stripe/fixtures3.json), for testing what our code makes of the
 * real API's objects. `expand[]` / `expand[0]` parameters are handed to the object's builder, as Stripe expands them.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FixtureRoute = (expand: readonly string[]) => unknown;

export interface FixtureServer {
  readonly url: string;
  /** Every request path with its query, in order. */
  readonly requests: string[];
  stop(): Promise<void>;
}

export async function startFixtureServer(routes: Readonly<Record<string, FixtureRoute>>): Promise<FixtureServer> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    const route = req.method === 'GET' ? routes[url.pathname] : undefined;
    const [status, body] = route
      ? [200, route([...url.searchParams].filter(([k]) => /^expand\[\d*\]$/.test(k)).map(([, v]) => v))]
      : [404, { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such object: ${url.pathname}` } }];
    res.writeHead(status, { 'content-type': 'application/json', 'request-id': 'req_fixture' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
