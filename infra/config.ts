import * as pulumi from '@pulumi/pulumi';
import type { StackSpec } from '../spec/index.js';
import { NAMESPACE, parseStackConfig } from '../spec/index.js';
import { isSecretSetting } from './settings.js';

/** The engine's config as the stack file holds it: objects back from their JSON strings, secrets as `{secure}`. */
export function engineConfigAsFile(config: Readonly<Record<string, string>>, isSecret: (key: string) => boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(config)) {
    if (!key.startsWith(`${NAMESPACE}:`)) {
      out[key] = raw;
    } else if (isSecret(key)) {
      // parseStackConfig refuses secrets in the prodcheck namespace; this makes it say so as it does for the file.
      out[key] = { secure: '[secret]' };
    } else {
      out[key] = parseValue(raw);
    }
  }
  return out;
}

/** Pulumi hands structured values over as JSON text and scalars as plain text. */
function parseValue(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

export interface ProgramConfig {
  readonly stack: string;
  /** Pulumi.<stack>.yaml: where config errors point. */
  readonly file: string;
  readonly spec: StackSpec;
}

/**
 * The StackSpec from the engine's config, validated by the same parser the CLI runs on the file, so a
 * bad value reads the same in `pulumi up` as in `prodcheck verify`.
 */
export function readProgramConfig(): ProgramConfig {
  const stack = pulumi.getStack();
  const file = `Pulumi.${stack}.yaml`;
  const { spec } = parseStackConfig(engineConfigAsFile(pulumi.runtime.allConfig(), isSecretSetting), file);
  return { stack, file, spec };
}

