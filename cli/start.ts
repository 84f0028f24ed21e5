// The CLI's process: signals, the command, the exit code. Loaded by run.ts once the compile cache is on.
import { main } from './main.js';
import { EXIT_INTERRUPTED, installInterruptHandlers, interruptedBy } from './interrupt.js';
import { processIo } from './io.js';

const io = processIo();
installInterruptHandlers(io.stderr, (code) => void io.flush().then(() => process.exit(code)));
const code = await main(process.argv.slice(2), io);
await io.flush();
process.exit(interruptedBy() ? EXIT_INTERRUPTED : code);
