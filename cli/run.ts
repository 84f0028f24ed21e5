import { main } from './main.js';
import { processIo } from './io.js';

const io = processIo();
const code = await main(process.argv.slice(2), io);
await io.flush();
process.exit(code);
