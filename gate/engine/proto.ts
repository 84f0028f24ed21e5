import { createRequire } from 'node:module';
import type * as Grpc from '@grpc/grpc-js';
import type * as AnalyzerGrpc from '@pulumi/pulumi/proto/analyzer_grpc_pb.js';
import type * as AnalyzerPb from '@pulumi/pulumi/proto/analyzer_pb.js';
import type * as EngineGrpc from '@pulumi/pulumi/proto/engine_grpc_pb.js';
import type * as EnginePb from '@pulumi/pulumi/proto/engine_pb.js';
import type * as EmptyPb from 'google-protobuf/google/protobuf/empty_pb.js';
import type * as StructPb from 'google-protobuf/google/protobuf/struct_pb.js';

/**
 * The engine's protocol as @pulumi/pulumi generates it. These CommonJS modules publish their classes
 * in a way ESM named imports cannot see, and grpc-js must be the very instance the generated stubs
 * use (its credentials are checked with instanceof), so all of them load through one require.
 */
const load = createRequire(import.meta.url);

export const grpc = load('@grpc/grpc-js') as typeof Grpc;
export const analyzerGrpc = load('@pulumi/pulumi/proto/analyzer_grpc_pb.js') as typeof AnalyzerGrpc;
export const analyzerPb = load('@pulumi/pulumi/proto/analyzer_pb.js') as typeof AnalyzerPb;
export const engineGrpc = load('@pulumi/pulumi/proto/engine_grpc_pb.js') as typeof EngineGrpc;
export const enginePb = load('@pulumi/pulumi/proto/engine_pb.js') as typeof EnginePb;
export const emptyPb = load('google-protobuf/google/protobuf/empty_pb.js') as typeof EmptyPb;
export const structPb = load('google-protobuf/google/protobuf/struct_pb.js') as typeof StructPb;
