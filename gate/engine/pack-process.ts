import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PackStartError } from '../errors.js';
import { compiledCounterpart, PACKAGE_ROOT } from '../compiled.js';
import { childEnv, stopChild, tail } from '../process.js';

export interface PackProcess {
  /** `127.0.0.1:<port>`: where the pack's Analyzer service listens. */
  readonly address: string;
  readonly pid: number;
  /** What the pack wrote to stderr so far (its console.error, load errors). */
  stderr(): string;
  stop(): Promise<void>;
}

export interface PackEnv {
  readonly project: string;
  readonly stack: string;
  readonly organization: string;
  /** The stack config as the engine passes it to a policy pack (PULUMI_CONFIG, PULUMI_CONFIG_SECRET_KEYS). */
  readonly config: Readonly<Record<string, string>>;
  readonly secretKeys: readonly string[];
}

// config-env.mts in the sources (Node strips its types), config-env.mjs once built.
const CONFIG_ENV = fileURLToPath(new URL(import.meta.url.endsWith('.js') ? './config-env.mjs' : './config-env.mts', import.meta.url));

/**
 * What run-policy-pack is asked to load: the pack's directory (its package.json `main`), or, for this
 * package's own pack with a fresh build, the compiled pack (pack-entry.cts, see compiled.ts).
 */
function packProgram(packDir: string): string {
  if (resolve(packDir) !== join(PACKAGE_ROOT, 'policies')) return '.';
  const entry = compiledCounterpart(join(PACKAGE_ROOT, 'gate/engine/pack-entry.cts'));
  return entry !== undefined && compiledCounterpart(join(PACKAGE_ROOT, 'policies/index.ts')) !== undefined ? entry : '.';
}

/**
 * Starts the pack as the engine does: `node @pulumi/pulumi/cmd/run-policy-pack <engine> .` in the pack's
 * directory (the module resolved from there, as the CLI's shim does), with the engine's environment
 * for policy packs, and reads the Analyzer port from the first line of stdout. The stack config travels
 * through a file that a preload hands to the pack's Pulumi runtime (config-env.mjs), so a stack of any
 * size starts.
 */
export async function startPack(packDir: string, engineAddress: string, env: PackEnv, startTimeoutMs = 60_000): Promise<PackProcess> {
  let runPolicyPack: string;
  try {
    runPolicyPack = createRequire(join(packDir, 'package.json')).resolve('@pulumi/pulumi/cmd/run-policy-pack');
  } catch {
    throw new PackStartError(`cannot start the policy pack in ${packDir}: @pulumi/pulumi is not installed there (run npm install)`, packDir, '');
  }
  const dir = mkdtempSync(join(tmpdir(), 'prodcheck-pack-'));
  const configFile = join(dir, 'config.json');
  writeFileSync(configFile, JSON.stringify({ config: env.config, secretKeys: env.secretKeys }), { mode: 0o600 });
  const removeConfig = () => rmSync(dir, { recursive: true, force: true });
  const child = spawn(process.execPath, ['--import', CONFIG_ENV, runPolicyPack, engineAddress, packProgram(packDir)], {
    cwd: packDir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: childEnv({
      PRODCHECK_PULUMI_CONFIG_FILE: configFile,
      PULUMI_NODEJS_PROJECT: env.project,
      PULUMI_NODEJS_STACK: env.stack,
      PULUMI_NODEJS_DRY_RUN: 'true',
      PULUMI_PROJECT: env.project,
      PULUMI_STACK: env.stack,
      PULUMI_DRY_RUN: 'true',
      ...(env.organization !== '' && { PULUMI_NODEJS_ORGANIZATION: env.organization, PULUMI_ORGANIZATION: env.organization }),
    }),
  });
  const stderr = tail(child.stderr);
  try {
    const port = await firstLine(child, startTimeoutMs);
    // The preload has read it by now (the pack prints its port after loading).
    removeConfig();
    if (!/^\d+$/.test(port)) throw new PackStartError(`the policy pack printed ${JSON.stringify(port.slice(0, 80))} where its port belongs`, packDir, stderr());
    return { address: `127.0.0.1:${port}`, pid: child.pid ?? 0, stderr, stop: () => stopChild(child) };
  } catch (e) {
    removeConfig();
    await stopChild(child);
    if (e instanceof PackStartError) throw e;
    throw new PackStartError(`the policy pack in ${packDir} did not start: ${(e as Error).message}`, packDir, stderr());
  }
}

function firstLine(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => finish(new Error(`no port on stdout within ${timeoutMs / 1000} s`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const nl = buffered.indexOf('\n');
      if (nl >= 0) finish(undefined, buffered.slice(0, nl).trim());
    };
    const onExit = (code: number | null, signal: string | null) => finish(new Error(`it exited (${code ?? signal}) before printing its port`));
    const onError = (err: Error) => finish(err);
    function finish(err?: Error, line?: string) {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
      // The pack keeps writing (console.log in a policy); drain stdout so it never blocks on a full pipe.
      child.stdout?.resume();
      if (err) reject(err);
      else resolve(line ?? '');
    }
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}
