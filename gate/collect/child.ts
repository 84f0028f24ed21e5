/**
 * Runs the Pulumi program under mocks, as a preview would, and writes every registered resource as
 * JSON. Started by collect.ts as `node --import tsx collect/child.ts REQUEST.json OUT.json`: a process of
 * its own because the Pulumi runtime is process-global (one stack per process, the program module
 * cached once) and because closure serialization of dynamic providers needs plain Node.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import * as pulumi from '@pulumi/pulumi';
import { unknown } from '@pulumi/pulumi/output.js';
import { UNKNOWN_STRING } from '../engine/marshal.js';
import { installRecordingMonitor } from './monitor.js';
import type { CollectRequest, CollectResult } from './types.js';

const [requestFile, out] = process.argv.slice(2);
if (requestFile === undefined || out === undefined) throw new Error('usage: child.ts REQUEST.json OUT.json');
const outFile: string = out;
const request = JSON.parse(readFileSync(requestFile, 'utf8')) as CollectRequest;

/**
 * At preview the engine answers a registration with the inputs as outputs and every computed output
 * (ids, endpoints, generated passwords) unknown; provider functions cannot reach a cloud offline, so
 * they answer with their arguments.
 */
const mocks: pulumi.runtime.Mocks = {
  newResource: (args) => ({ id: undefined, state: args.inputs }),
  call: (args) => args.inputs,
};

const monitor = await installRecordingMonitor(mocks, request.project, request.stack);
pulumi.runtime.setAllConfig({ ...request.config }, [...request.secretKeys]);

/**
 * A secret the gate cannot read offline (see stack-config.ts) is unknown to the program, as a value a
 * preview cannot know: a program that parses it (a connection URL) then waits for it as it would for
 * an output, instead of parsing the placeholder. Plain config reads keep the placeholder, which a
 * policy reads as unknown when it reaches an input unchanged.
 */
const offline = new Set(request.secretKeys.filter((k) => request.config[k] === UNKNOWN_STRING));
type SecretRead = (this: pulumi.Config, key: string, opts?: unknown) => pulumi.Output<unknown> | undefined;
const config = pulumi.Config.prototype as unknown as Record<'requireSecret' | 'getSecret', SecretRead> & { fullKey(this: pulumi.Config, key: string): string };
for (const method of ['requireSecret', 'getSecret'] as const) {
  const read = config[method];
  config[method] = function (key, opts) {
    return offline.has(config.fullKey.call(this, key)) ? pulumi.secret(pulumi.output(unknown)) : read.call(this, key, opts);
  };
}

/** The language host prints a RunError's message alone: the program's own words for the user, no trace. */
function reportRunError(e: unknown): void {
  if (!pulumi.RunError.isInstance(e)) throw e;
  const result: CollectResult = { resources: [], runError: e.message };
  writeFileSync(outFile, JSON.stringify(result));
  // Nothing is left to run; the runtime's exit hook may still count the stack's promises as leaked.
  process.exitCode = 1;
}
// The program runs inside the stack resource's initialisation, whose failure surfaces as a rejection.
process.on('unhandledRejection', reportRunError);

// As Pulumi's Node.js runner: a default export that is a function is the program, its result the outputs.
try {
  await pulumi.runtime.runInPulumiStack(async () => {
    const mod = (await import(pathToFileURL(request.program).href)) as { default?: unknown };
    return typeof mod.default === 'function' ? ((await (mod.default as () => unknown)()) as Record<string, unknown>) : mod;
  });
  await pulumi.runtime.disconnect();
} catch (e) {
  reportRunError(e);
}
const result: CollectResult = { resources: monitor.recorded };
writeFileSync(outFile, JSON.stringify(result));
