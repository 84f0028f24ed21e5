#!/usr/bin/env node
// The `prodcheck` bin, compiled to dist/cli/run.js by `npm run build`.
import { main } from './main.js';
import { processIo } from './io.js';

const io = processIo();
const code = await main(process.argv.slice(2), io);
await io.flush();
process.exit(code);
