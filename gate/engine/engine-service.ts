import type { Server } from '@grpc/grpc-js';
import type { IEngineServer } from '@pulumi/pulumi/proto/engine_grpc_pb.js';
import { emptyPb, engineGrpc, enginePb, grpc } from './proto.js';

export interface EngineLog {
  readonly severity: 'debug' | 'info' | 'warning' | 'error';
  readonly message: string;
  readonly urn: string;
}

const SEVERITY = ['debug', 'info', 'warning', 'error'] as const;

/** What the pack process called on the engine, for the gate's report and for tests. */
export interface EngineService {
  readonly address: string;
  readonly logs: readonly EngineLog[];
  readonly calls: readonly string[];
  stop(): Promise<void>;
}

/**
 * The engine end a plugin is started with (`run-policy-pack <engine-address> <dir>`): Log collects
 * what a plugin logs; the root-resource calls keep the one value they set. @pulumi/pulumi 3.248's
 * run-policy-pack drops the address and logs to stderr instead, so today nothing arrives here; a pack
 * or SDK that does log through the engine is still heard.
 */
export async function startEngineService(): Promise<EngineService> {
  const logs: EngineLog[] = [];
  const calls: string[] = [];
  let root = '';
  const server: Server = new grpc.Server();
  const impl: IEngineServer = {
    log: (call, callback) => {
      calls.push('Log');
      const req = call.request;
      logs.push({ severity: SEVERITY[req.getSeverity()] ?? 'info', message: req.getMessage(), urn: req.getUrn() });
      callback(null, new emptyPb.Empty());
    },
    getRootResource: (_call, callback) => {
      calls.push('GetRootResource');
      callback(null, new enginePb.GetRootResourceResponse().setUrn(root));
    },
    setRootResource: (call, callback) => {
      calls.push('SetRootResource');
      root = call.request.getUrn();
      callback(null, new enginePb.SetRootResourceResponse());
    },
    startDebugging: (_call, callback) => {
      calls.push('StartDebugging');
      callback({ code: grpc.status.UNIMPLEMENTED, details: 'the offline gate attaches no debugger' }, null);
    },
    requirePulumiVersion: (_call, callback) => {
      calls.push('RequirePulumiVersion');
      callback(null, new enginePb.RequirePulumiVersionResponse());
    },
  };
  server.addService(engineGrpc.EngineService, impl);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p)));
  });
  return {
    address: `127.0.0.1:${port}`,
    logs,
    calls,
    stop: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}
