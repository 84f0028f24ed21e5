import type { PolicyConfigSchema } from '@pulumi/policy';

/** One property of a policy's config schema (the JSON Schema subset Pulumi validates policy config with). */
export interface Field<T> {
  readonly type: 'integer' | 'boolean' | 'string' | 'array';
  readonly description: string;
  readonly default: T;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly enum?: readonly string[];
  readonly items?: Readonly<Record<string, unknown>>;
}

export type Fields = Readonly<Record<string, Field<unknown>>>;
export type ConfigOf<F extends Fields> = { readonly [K in keyof F]: F[K] extends Field<infer T> ? T : never };

export function integer(defaultValue: number, description: string, bounds: { minimum?: number; maximum?: number } = {}): Field<number> {
  return { type: 'integer', description, default: defaultValue, ...bounds };
}

export function boolean(defaultValue: boolean, description: string): Field<boolean> {
  return { type: 'boolean', description, default: defaultValue };
}

export function text(defaultValue: string, description: string, values?: readonly string[]): Field<string> {
  return { type: 'string', description, default: defaultValue, ...(values && { enum: values }) };
}

export function textList(defaultValue: readonly string[], description: string): Field<readonly string[]> {
  return { type: 'array', description, default: defaultValue, items: { type: 'string' } };
}

/** A waiver as the pack receives it: derived from `prodcheck:waivers` of the stack by `--print-policy-config`. */
export interface PolicyWaiver {
  /** A Pulumi URN or resource name; absent: every resource of the policy. */
  readonly resource?: string;
  readonly owner: string;
  readonly expires: string;
  readonly reason: string;
}

export const waiversField: Field<readonly PolicyWaiver[]> = {
  type: 'array',
  description: 'Accepted exceptions (from prodcheck:waivers): a violation on a matching resource is reported as advisory until the waiver expires.',
  default: [],
  items: {
    type: 'object',
    properties: {
      resource: { type: 'string' },
      owner: { type: 'string' },
      expires: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
      reason: { type: 'string' },
    },
    required: ['owner', 'expires', 'reason'],
  },
};

export function toSchema(fields: Fields): PolicyConfigSchema {
  const properties = Object.fromEntries(Object.entries({ ...fields, waivers: waiversField }).map(([k, f]) => [k, { ...f }]));
  return { properties: properties as PolicyConfigSchema['properties'] };
}

export function defaultsOf<F extends Fields>(fields: F): ConfigOf<F> {
  return Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, f.default])) as ConfigOf<F>;
}

/** Config as the engine sent it, with schema defaults for anything missing (the engine applies them too). */
export function withDefaults<F extends Fields>(fields: F, given: Readonly<Record<string, unknown>>): ConfigOf<F> & { readonly waivers: readonly PolicyWaiver[] } {
  const merged: Record<string, unknown> = { ...defaultsOf(fields), waivers: [] };
  for (const [k, v] of Object.entries(given)) if (v !== undefined && v !== null) merged[k] = v;
  return merged as ConfigOf<F> & { readonly waivers: readonly PolicyWaiver[] };
}
