/**
 * The engine's side of a Node.js dynamic provider: starts `@pulumi/pulumi/cmd/dynamic-provider` the way
 * the CLI's `pulumi-resource-pulumi-nodejs` shim does (a fresh plain `node <script> <engine-address>`, in
 * the program's directory, the port on the first line of stdout), and drives its ResourceProvider
 * service over gRPC with the serialized provider in the `__provider` property, as the engine does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import type * as Grpc from '@grpc/grpc-js';
import type * as ProviderGrpc from '@pulumi/pulumi/proto/provider_grpc_pb.js';
import type * as ProviderPb from '@pulumi/pulumi/proto/provider_pb.js';
import type * as StructPb from 'google-protobuf/google/protobuf/struct_pb.js';

// One require for grpc-js and the generated stubs: the stubs check credentials with instanceof.
const load = createRequire(import.meta.url);
const grpc = load('@grpc/grpc-js') as typeof Grpc;
const providerGrpc = load('@pulumi/pulumi/proto/provider_grpc_pb.js') as typeof ProviderGrpc;
const pb = load('@pulumi/pulumi/proto/provider_pb.js') as typeof ProviderPb;
const structPb = load('google-protobuf/google/protobuf/struct_pb.js') as typeof StructPb;

export type Props = Record<string, unknown>;
export const PROVIDER_KEY = '__provider';
/** What the engine sends for a value not known yet (preview). */
export const UNKNOWN = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';

export interface CheckResult {
  readonly inputs: Props;
  readonly failures: { property: string; reason: string }[];
}
export interface DiffResult {
  readonly changes: 'none' | 'some' | 'unknown';
  readonly replaces: string[];
  readonly deleteBeforeReplace: boolean;
}

export interface DynamicProviderProcess {
  readonly pid: number;
  /** What the provider process wrote to stderr (its console.error of a failed call). */
  stderr(): string;
  configure(config?: Props): Promise<void>;
  check(olds: Props, news: Props): Promise<CheckResult>;
  diff(id: string, olds: Props, news: Props): Promise<DiffResult>;
  create(props: Props): Promise<{ id: string; props: Props }>;
  read(id: string, props: Props, inputs?: Props): Promise<{ id: string; props: Props; inputs?: Props }>;
  update(id: string, olds: Props, news: Props): Promise<Props>;
  delete(id: string, props: Props): Promise<void>;
  stop(): Promise<void>;
}

const toStruct = (o: Props): StructPb.Struct => structPb.Struct.fromJavaScript(o as Record<string, StructPb.JavaScriptValue>);
const fromStruct = (s: StructPb.Struct | undefined): Props => (s?.toJavaScript() ?? {}) as Props;
const DIFF = ['unknown', 'none', 'some'] as const;

type Callback<Res> = (err: Grpc.ServiceError | null, res: Res) => void;

function firstLine(child: ChildProcess, stderr: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const nl = buffered.indexOf('\n');
      if (nl < 0) return;
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      child.stdout?.resume();
      resolve(buffered.slice(0, nl).trim());
    };
    const onExit = (code: number | null) => reject(new Error(`the dynamic provider exited (${code}) before printing its port: ${stderr()}`));
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

/**
 * `cwd` is the program's directory (where the engine runs the provider plugin, so `import('pg')` in a
 * serialized provider resolves from the program's node_modules). `engineAddress` is passed as the engine
 * passes it; cmd/dynamic-provider never calls it.
 */
export async function startDynamicProvider(cwd: string, env: Record<string, string> = {}, engineAddress = '127.0.0.1:1'): Promise<DynamicProviderProcess> {
  const script = createRequire(`${cwd}/package.json`).resolve('@pulumi/pulumi/cmd/dynamic-provider');
  // A plain Node: no tsx, no vitest, nothing of the process that serialized the provider.
  const child = spawn(process.execPath, [script, engineAddress], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env } });
  let err = '';
  child.stderr?.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const stderr = () => err;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  let port: string;
  try {
    port = await firstLine(child, stderr);
  } catch (e) {
    await stop();
    throw e;
  }
  if (!/^\d+$/.test(port)) {
    await stop();
    throw new Error(`the dynamic provider printed ${JSON.stringify(port)} where its port belongs`);
  }
  const client = new providerGrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const call = <Req, Res>(method: string, req: Req): Promise<Res> =>
    new Promise((resolve, reject) => {
      const fn = (client as unknown as Record<string, (r: Req, cb: Callback<Res>) => void>)[method];
      if (!fn) throw new Error(`no ${method} on the ResourceProvider client`);
      fn.call(client, req, (e, res) => (e ? reject(new Error(`${method}: ${e.details || e.message}`)) : resolve(res)));
    });
  return {
    pid: child.pid ?? 0,
    stderr,
    async configure(config = {}) {
      await call('configure', new pb.ConfigureRequest().setArgs(toStruct(config)).setAcceptsecrets(true).setAcceptresources(true));
    },
    async check(olds, news) {
      const res = await call<ProviderPb.CheckRequest, ProviderPb.CheckResponse>('check', new pb.CheckRequest().setOlds(toStruct(olds)).setNews(toStruct(news)));
      return { inputs: fromStruct(res.getInputs()), failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })) };
    },
    async diff(id, olds, news) {
      const res = await call<ProviderPb.DiffRequest, ProviderPb.DiffResponse>('diff', new pb.DiffRequest().setId(id).setOlds(toStruct(olds)).setNews(toStruct(news)));
      return { changes: DIFF[res.getChanges()] ?? 'unknown', replaces: res.getReplacesList(), deleteBeforeReplace: res.getDeletebeforereplace() };
    },
    async create(props) {
      const res = await call<ProviderPb.CreateRequest, ProviderPb.CreateResponse>('create', new pb.CreateRequest().setProperties(toStruct(props)));
      return { id: res.getId(), props: fromStruct(res.getProperties()) };
    },
    async read(id, props, inputs) {
      const req = new pb.ReadRequest().setId(id).setProperties(toStruct(props));
      if (inputs) req.setInputs(toStruct(inputs));
      const res = await call<ProviderPb.ReadRequest, ProviderPb.ReadResponse>('read', req);
      return { id: res.getId(), props: fromStruct(res.getProperties()), ...(res.hasInputs() ? { inputs: fromStruct(res.getInputs()) } : {}) };
    },
    async update(id, olds, news) {
      const res = await call<ProviderPb.UpdateRequest, ProviderPb.UpdateResponse>('update', new pb.UpdateRequest().setId(id).setOlds(toStruct(olds)).setNews(toStruct(news)));
      return fromStruct(res.getProperties());
    },
    async delete(id, props) {
      await call('delete', new pb.DeleteRequest().setId(id).setProperties(toStruct(props)));
    },
    async stop() {
      client.close();
      await stop();
    },
  };
}

export interface SerializedProvider {
  readonly text: string;
  readonly containsSecrets: boolean;
}

/**
 * Every dynamic provider of the program serialized as `pulumi up` stores it in `__provider`, keyed
 * `postgres:Access`, `stripe:Product`, … (serialize-providers.ts, in a plain Node with tsx).
 */
export async function serializeProviders(cwd: string): Promise<Record<string, SerializedProvider>> {
  const { execFile } = await import('node:child_process');
  const script = new URL('./serialize-providers.ts', import.meta.url).pathname;
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, ['--import', 'tsx', script], { cwd, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 }, (e, out, err) => (e ? reject(new Error(`serializing the providers failed: ${e.message}\n${err}`)) : resolve(out))),
  );
  return JSON.parse(stdout) as Record<string, SerializedProvider>;
}

/**
 * For a test file: `start()` launches a configured provider process as the engine would (project env set),
 * and every process started is stopped after the file's tests.
 */
export function useDynamicProviders(cwd: string, afterAllHook: (fn: () => Promise<void>) => void): () => Promise<DynamicProviderProcess> {
  const started: DynamicProviderProcess[] = [];
  afterAllHook(async () => {
    for (const p of started) await p.stop();
  });
  return async () => {
    const p = await startDynamicProvider(cwd, { PULUMI_NODEJS_PROJECT: 'prodcheck', PULUMI_PROJECT: 'prodcheck' });
    started.push(p);
    await p.configure();
    return p;
  };
}
