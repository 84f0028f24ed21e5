// The Pulumi program (Pulumi.yaml `main`): the engine calls the default export and records its result as the stack outputs.
import { program } from './program.js';

export default program;
