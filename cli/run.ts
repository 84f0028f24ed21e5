#!/usr/bin/env node
// The `prodcheck` bin, compiled to dist/cli/run.js by `npm run build`. V8's compile cache first (Node's
// own directory, or NODE_COMPILE_CACHE; NODE_DISABLE_COMPILE_CACHE turns it off): the modules a command
// loads (the gate's gRPC and protobuf code, the verify families' clients) are then compiled once per
// machine, not at every start. Everything else is imported after it, so the cache sees every module.
import * as nodeModule from 'node:module';

(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
await import('./start.js');
