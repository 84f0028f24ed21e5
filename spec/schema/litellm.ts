import { z } from 'zod';
import { qualifiedName, sqlIdent } from './common.js';

/** A model group name as LiteLLM's `model_list[].model_name` spells it (and /v1/models lists it). */
const modelName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,199}$/, { message: 'must be a model name as LiteLLM lists it, e.g. gpt-4o or claude-sonnet' });

/** `prodcheck:litellm`: the LiteLLM proxy the app routes its LLM calls through (seed 001). */
export const litellmSchema = z
  .strictObject({
    /** The proxy's base URL as the app and the servers table know it, e.g. https://litellm.example.net. */
    url: z.string().refine((s) => URL.canParse(s) && ['https:', 'http:'].includes(new URL(s).protocol), { message: 'must be an https:// (or http://) URL such as https://litellm.example.net' }),
    /** Model names (LiteLLM's model_name) that must be served. */
    models: z.array(modelName).default([]),
    /** The fewest models the proxy may serve (the seed asks for at least 2). */
    minModels: z.number().int().min(1).default(2),
    /** Where the app keeps its LiteLLM servers: a row whose `column` is `url` must exist. */
    registry: z
      .strictObject({
        table: qualifiedName.default('litellm_servers'),
        column: sqlIdent.default('base_url'),
        /** A boolean column that must be true on the matching row (e.g. is_active), when the table has one. */
        activeColumn: sqlIdent.optional(),
      })
      .prefault({}),
  })
  .superRefine((s, ctx) => {
    const seen = new Set<string>();
    s.models.forEach((m, i) => {
      if (seen.has(m)) ctx.addIssue({ code: 'custom', path: ['models', i], message: `"${m}" is listed twice` });
      seen.add(m);
    });
  });

export type LitellmSpec = z.output<typeof litellmSchema>;

/** The URL as the registry stores it: no trailing slash. */
export function registryUrl(url: string): string {
  return url.replace(/\/+$/, '');
}
