import { boundedFetch, MAX_API_BODY_BYTES } from '../net.js';

/** The parts of a Smithy HttpRequest the AWS SDK hands its request handler. */
interface SdkRequest {
  readonly protocol: string;
  readonly hostname: string;
  readonly port?: number;
  readonly path: string;
  readonly query?: Record<string, string | (string | null)[] | null>;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body?: unknown;
}

/** A Smithy HttpResponse: status, lower-case headers and a web stream the SDK collects. */
interface SdkResponse {
  readonly statusCode: number;
  readonly reason?: string;
  readonly headers: Record<string, string>;
  readonly body: ReadableStream<Uint8Array> | Uint8Array;
}

function urlOf(req: SdkRequest): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(req.query ?? {})) {
    for (const one of Array.isArray(v) ? v : [v]) search.append(k, one ?? '');
  }
  const query = search.toString();
  const host = req.hostname.includes(':') && !req.hostname.startsWith('[') ? `[${req.hostname}]` : req.hostname;
  return `${req.protocol.replace(/:?$/, ':')}//${host}${req.port ? `:${req.port}` : ''}${req.path}${query ? `?${query}` : ''}`;
}

const FORBIDDEN = new Set(['host', 'content-length', 'connection', 'expect', 'transfer-encoding']);

/**
 * The AWS SDK's request handler, over boundedFetch: every attempt bounded by aws.timeoutMs from the request
 * to the last byte of the answer (the default handler's requestTimeout is only a socket idle timeout, which a
 * trickling answer never trips), and every answer by MAX_API_BODY_BYTES. Both errors are final: the SDK does
 * not retry a body over the cap, and a timeout is raised under a name its retry strategy does not retry.
 */
export function boundedAwsHandler(timeoutMs: number, maxBytes = MAX_API_BODY_BYTES) {
  const fetcher = boundedFetch('the AWS API', { timeoutMs, maxBytes });
  return {
    metadata: { handlerProtocol: 'http/1.1' },
    async handle(request: SdkRequest, options?: { abortSignal?: AbortSignal | { aborted: boolean } }): Promise<{ response: SdkResponse }> {
      const headers = new Headers();
      for (const [k, v] of Object.entries(request.headers)) if (!FORBIDDEN.has(k.toLowerCase())) headers.set(k, v);
      const given = options?.abortSignal;
      const signal = given instanceof AbortSignal ? given : undefined;
      const body = request.body === undefined || request.body === null ? undefined : (request.body as NonNullable<RequestInit['body']>);
      let res: Response;
      try {
        res = await fetcher(urlOf(request), { method: request.method, headers, body, signal, ...(body instanceof ReadableStream ? { duplex: 'half' } : {}) } as RequestInit);
      } catch (e) {
        throw final(e);
      }
      const out: Record<string, string> = {};
      res.headers.forEach((v, k) => (out[k] = v));
      return { response: { statusCode: res.status, reason: res.statusText, headers: out, body: res.body ? finalStream(res.body) : new Uint8Array() } };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
    destroy() {},
  };
}

/** Renamed so that the SDK's retry strategy, which retries errors named TimeoutError, does not. */
function final(e: unknown): unknown {
  if (e instanceof Error && e.name === 'TimeoutError' && !(e instanceof DOMException)) Object.defineProperty(e, 'name', { value: 'ProdcheckTimeout' });
  return e;
}

function finalStream(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await reader.read();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      } catch (e) {
        controller.error(final(e));
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
}
