import type { Metadata, ServiceError } from '@grpc/grpc-js';
import type { AnalyzerClient } from '@pulumi/pulumi/proto/analyzer_grpc_pb.js';
import type * as pb from '@pulumi/pulumi/proto/analyzer_pb.js';
import { AnalyzerCallError } from '../errors.js';
import { analyzerGrpc, emptyPb, grpc } from './proto.js';

/** The policy SDK lifts its receive limit to 400 MB for whole-stack requests; the client sends as much. */
const MAX_MESSAGE = 400 * 1024 * 1024;

type Unary<Req, Res> = (req: Req, metadata: Metadata, options: { deadline: number }, callback: (err: ServiceError | null, res: Res) => void) => unknown;

/** The Analyzer service of a running pack, one promise per RPC, each with a deadline. */
export class Analyzer {
  /** Every RPC in the order it was made, with `(unimplemented)` where the pack lacked it. */
  readonly calls: string[] = [];
  private readonly client: AnalyzerClient;

  constructor(
    address: string,
    private readonly deadlineMs = 60_000,
  ) {
    this.client = new analyzerGrpc.AnalyzerClient(address, grpc.credentials.createInsecure(), {
      'grpc.max_send_message_length': MAX_MESSAGE,
      'grpc.max_receive_message_length': MAX_MESSAGE,
    });
  }

  private call<Req, Res>(method: string, fn: Unary<Req, Res>, req: Req, optional = false): Promise<Res | undefined> {
    return new Promise((resolve, reject) => {
      fn.call(this.client, req, new grpc.Metadata(), { deadline: Date.now() + this.deadlineMs }, (err, res) => {
        if (err && optional && err.code === grpc.status.UNIMPLEMENTED) {
          this.calls.push(`${method} (unimplemented)`);
          resolve(undefined);
        } else if (err) {
          this.calls.push(`${method} (failed)`);
          reject(new AnalyzerCallError(method, err.code, err.details || err.message));
        } else {
          this.calls.push(method);
          resolve(res);
        }
      });
    });
  }

  /** Optional in the protocol: packs built on @pulumi/policy 1.x answer UNIMPLEMENTED, and the engine carries on. */
  handshake(req: pb.AnalyzerHandshakeRequest): Promise<pb.AnalyzerHandshakeResponse | undefined> {
    return this.call('Handshake', this.client.handshake as Unary<pb.AnalyzerHandshakeRequest, pb.AnalyzerHandshakeResponse>, req, true);
  }

  configureStack(req: pb.AnalyzerStackConfigureRequest): Promise<pb.AnalyzerStackConfigureResponse | undefined> {
    return this.call('ConfigureStack', this.client.configureStack as Unary<pb.AnalyzerStackConfigureRequest, pb.AnalyzerStackConfigureResponse>, req, true);
  }

  async getAnalyzerInfo(): Promise<pb.AnalyzerInfo> {
    return (await this.call('GetAnalyzerInfo', this.client.getAnalyzerInfo as Unary<unknown, pb.AnalyzerInfo>, new emptyPb.Empty())) as pb.AnalyzerInfo;
  }

  async configure(req: pb.ConfigureAnalyzerRequest): Promise<void> {
    await this.call('Configure', this.client.configure as Unary<pb.ConfigureAnalyzerRequest, unknown>, req);
  }

  async analyze(req: pb.AnalyzeRequest): Promise<pb.AnalyzeResponse> {
    return (await this.call('Analyze', this.client.analyze as Unary<pb.AnalyzeRequest, pb.AnalyzeResponse>, req)) as pb.AnalyzeResponse;
  }

  async analyzeStack(req: pb.AnalyzeStackRequest): Promise<pb.AnalyzeResponse> {
    return (await this.call('AnalyzeStack', this.client.analyzeStack as Unary<pb.AnalyzeStackRequest, pb.AnalyzeResponse>, req)) as pb.AnalyzeResponse;
  }

  close(): void {
    this.client.close();
  }
}
