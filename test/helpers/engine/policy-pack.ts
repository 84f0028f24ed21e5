/**
 * Starts a Node.js policy pack the way `pulumi preview --policy-pack <dir>` does today: the engine finds
 * the nodejs language plugin and calls its RunPlugin (kind analyzer), which runs
 * `node <@pulumi/pulumi/cmd/run-policy-pack resolved from the pack> <nodeargs…> <engine-address> <pack dir>`
 * with the pack's directory as the working directory, after putting the stack's identity and config in
 * the environment (PULUMI_NODEJS_PROJECT/STACK/ORGANIZATION/DRY_RUN, PULUMI_CONFIG as JSON); its
 * PolicyProxy answers Handshake itself and forwards ConfigureStack and every other call to the pack
 * (pulumi/pulumi sdk/nodejs/cmd/pulumi-language-nodejs RunPlugin, sdk/policy_proxy.go). The port is
 * the first line of the pack's stdout.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

export interface EnginePackEnv {
  readonly project: string;
  readonly stack: string;
  readonly organization?: string;
  /** The stack's config, `project:key` → value, as the engine marshals it to JSON. */
  readonly config: Readonly<Record<string, string>>;
}

export interface EnginePackProcess {
  readonly address: string;
  stderr(): string;
  stop(): Promise<void>;
}

export async function startPackAsEngine(packDir: string, engineAddress: string, env: EnginePackEnv): Promise<EnginePackProcess> {
  const dir = resolve(packDir);
  const runPolicyPack = createRequire(resolve(dir, 'package.json')).resolve('@pulumi/pulumi/cmd/run-policy-pack');
  const child = spawn(process.execPath, [runPolicyPack, engineAddress, dir], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PULUMI_NODEJS_PROJECT: env.project,
      PULUMI_NODEJS_STACK: env.stack,
      PULUMI_NODEJS_DRY_RUN: 'true',
      ...(env.organization ? { PULUMI_NODEJS_ORGANIZATION: env.organization } : {}),
      PULUMI_CONFIG: JSON.stringify(env.config),
    },
  });
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const port = await new Promise<string>((res, rej) => {
    let out = '';
    const onData = (c: Buffer) => {
      out += c.toString('utf8');
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      child.stdout.off('data', onData);
      child.stdout.resume();
      res(out.slice(0, nl).trim());
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => rej(new Error(`the policy pack exited (${code}) before printing its port: ${err}`)));
  }).catch(async (e: unknown) => {
    await stop();
    throw e;
  });
  if (!/^\d+$/.test(port)) {
    await stop();
    throw new Error(`the policy pack printed ${JSON.stringify(port)} where its port belongs: ${err}`);
  }
  return { address: `127.0.0.1:${port}`, stderr: () => err, stop };
}
