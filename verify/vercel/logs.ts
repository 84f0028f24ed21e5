import { GetRuntimeLogsResponseBody$inboundSchema } from '@vercel/sdk/models/getruntimelogsop.js';
import type { Redactor } from '../../report/redact.js';
import type { VercelTarget } from './client.js';

/** One runtime log line, as judged (the message already redacted and shortened). */
export interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly timestampInMs: number;
  readonly requestPath: string;
}

export interface RuntimeLogs {
  readonly deploymentId: string;
  readonly deploymentCreatedAt: number;
  readonly lines: readonly LogLine[];
  /** `ended`: the API closed the stream; `window`: prodcheck stopped reading after vercel.logsReadMs. */
  readonly until: 'ended' | 'window';
  readonly readMs: number;
}

/** The most a run reads of one deployment's logs: more is an error, never a partial verdict. */
export const MAX_LOG_BYTES = 8 * 1024 * 1024;
const MAX_MESSAGE = 200;

/**
 * Reads GET /v1/projects/{id}/deployments/{id}/runtime-logs, a stream of JSON lines the API may keep
 * open for new ones: for at most `vercel.logsReadMs` (and `timeoutMs` for the first byte), at most
 * MAX_LOG_BYTES, each line checked against @vercel/sdk's schema for it. Secrets in messages are redacted.
 */
export async function readRuntimeLogs(
  target: VercelTarget,
  scope: { readonly teamId?: string; readonly slug?: string },
  projectId: string,
  deployment: { readonly uid: string; readonly createdAt: number },
  redactor: Redactor,
  signal: AbortSignal,
): Promise<RuntimeLogs> {
  const url = new URL(`${(target.baseUrl ?? 'https://api.vercel.com').replace(/\/+$/, '')}/v1/projects/${encodeURIComponent(projectId)}/deployments/${encodeURIComponent(deployment.uid)}/runtime-logs`);
  for (const [k, v] of Object.entries(scope)) if (v !== undefined) url.searchParams.set(k, v);
  const stop = new AbortController();
  const firstByte = setTimeout(() => stop.abort(new Error(`the Vercel API did not answer the runtime logs within ${target.timeoutMs} ms`)), target.timeoutMs);
  let res: Response;
  try {
    res = await fetch(url, { headers: { authorization: `Bearer ${target.token}`, accept: 'application/stream+json' }, signal: AbortSignal.any([signal, stop.signal]) });
  } catch (e) {
    throw stop.signal.aborted ? (stop.signal.reason as Error) : e;
  } finally {
    clearTimeout(firstByte);
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    const hint = res.status === 403 ? ': the token may not read runtime logs of this project' : res.status === 404 ? ': the deployment has no runtime logs (or another team owns it)' : '';
    throw new Error(`the Vercel API answered HTTP ${res.status} reading the runtime logs of ${deployment.uid}${hint}`);
  }
  const reader = res.body?.getReader();
  if (!reader) throw new Error('the Vercel API answered the runtime logs without a body');
  let windowClosed = false;
  const windowTimer = setTimeout(() => {
    windowClosed = true;
    void reader.cancel().catch(() => undefined);
  }, target.logsReadMs);
  const decoder = new TextDecoder();
  const lines: LogLine[] = [];
  let buffered = '';
  let bytes = 0;
  let until: RuntimeLogs['until'] = 'ended';
  const take = (text: string) => {
    if (text.trim() === '') return;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new Error(`the Vercel API sent a runtime log line that is not JSON (${JSON.stringify(text.slice(0, 40))})`);
    }
    const parsed = GetRuntimeLogsResponseBody$inboundSchema.safeParse(raw);
    if (!parsed.success) throw new Error(`the Vercel API sent a runtime log line in a shape @vercel/sdk does not accept (${parsed.error.issues[0]?.path.join('.') ?? '?'}: ${parsed.error.issues[0]?.message ?? ''})`);
    const l = parsed.data;
    lines.push({ level: l.level, message: redactor.redact(l.message).slice(0, MAX_MESSAGE), timestampInMs: l.timestampInMs, requestPath: redactor.redact(l.requestPath.split('?')[0] ?? '') });
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      if (bytes > MAX_LOG_BYTES) throw new Error(`the runtime logs of ${deployment.uid} run past ${MAX_LOG_BYTES} bytes: prodcheck reads no further, so it cannot judge them all`);
      buffered += decoder.decode(value, { stream: true });
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        take(buffered.slice(0, nl));
        buffered = buffered.slice(nl + 1);
      }
    }
    if (windowClosed) until = 'window';
    take(buffered);
  } finally {
    clearTimeout(windowTimer);
    await reader.cancel().catch(() => undefined);
  }
  return { deploymentId: deployment.uid, deploymentCreatedAt: deployment.createdAt, lines, until, readMs: target.logsReadMs };
}
