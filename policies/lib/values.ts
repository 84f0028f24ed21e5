/**
 * The engine's sentinels for values not known until the update runs (preview). They are part of the
 * resource wire protocol (`unknownValue` and friends in @pulumi/pulumi's runtime/rpc and @pulumi/policy);
 * copied here so that reading the catalogue of policies does not load the Pulumi runtime.
 */
const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
  '04da6b54-80e4-46f7-96ec-b56ff0331ba9',
  '1c4a061d-8072-4f0a-a4cb-0ff528b18fe7',
  '3eeb2bf0-c639-47a8-9e75-3b44932eb421',
  '6a19a0b0-7e62-4c92-b797-7f8e31da9cc2',
  '030794c1-ac77-496b-92df-f27374a8bd58',
  'e48ece36-62e2-4504-bad9-02848725956a',
  'dd056dcd-154b-4c76-9bd3-c8f88648b5ff',
]);

/**
 * A value not known at preview, with where it sits in the resource's properties and the engine's sentinel
 * for its type (so the SDK can name the type as it does for its own proxy).
 */
export class UnknownValue {
  constructor(
    readonly path: string,
    readonly sentinel: string,
  ) {}
  toString(): string {
    return 'unknown at preview';
  }
}
export type Unknown = UnknownValue;

export type Plain = string | number | boolean | null | Unknown | readonly Plain[] | { readonly [key: string]: Plain };
export type PlainMap = { readonly [key: string]: Plain };

/** The unknowns the running rule has looked at: a verdict that rests on one is not a pass (define.ts). */
let unknownReads: UnknownValue[] = [];

export function isUnknown(v: unknown): v is Unknown {
  if (!(v instanceof UnknownValue)) return false;
  unknownReads.push(v);
  return true;
}

/** Runs a rule and returns, with its result, the unknown values it examined. */
export function withUnknownReads<T>(work: () => T): { readonly result: T; readonly unknowns: readonly UnknownValue[] } {
  const outer = unknownReads;
  unknownReads = [];
  try {
    const result = work();
    return { result, unknowns: unknownReads };
  } finally {
    unknownReads = outer;
  }
}

/**
 * Resource properties as plain data with unknowns as UnknownValue. The policy SDK hands policies a proxy
 * that throws on reading an unknown, and turns that throw into an advisory "can't run during preview"
 * diagnostic; reading through property descriptors (which the proxy does not trap) lets each rule look
 * at the rest first: a violation found elsewhere is still reported, and only a verdict that rests on an
 * unknown is handed back to the SDK as its own "can't run during preview" (define.ts). Secrets arrive
 * already unwrapped by the SDK: callers never print values.
 */
export function plain(value: unknown, path = ''): Plain {
  if (typeof value === 'string') return UNKNOWN_SENTINELS.has(value) ? new UnknownValue(path, value) : value;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  if (value === undefined || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    const length = Object.getOwnPropertyDescriptor(value, 'length')?.value as number;
    return Array.from({ length }, (_, i) => plain(Object.getOwnPropertyDescriptor(value, i)?.value, `${path}[${i}]`));
  }
  const out: Record<string, Plain> = {};
  for (const key of Object.keys(value)) {
    const v: unknown = Object.getOwnPropertyDescriptor(value, key)?.value;
    if (v !== undefined) out[key] = plain(v, path === '' ? key : `${path}.${key}`);
  }
  return out;
}

export function plainMap(value: unknown, path = ''): PlainMap {
  const p = plain(value, path);
  return typeof p === 'object' && p !== null && !Array.isArray(p) && !(p instanceof UnknownValue) ? (p as PlainMap) : {};
}

/** A string, an unknown, or undefined when absent or of another type. */
export function asString(v: Plain | undefined): string | Unknown | undefined {
  return typeof v === 'string' || v instanceof UnknownValue ? v : undefined;
}

export function asNumber(v: Plain | undefined): number | Unknown | undefined {
  return typeof v === 'number' || v instanceof UnknownValue ? v : undefined;
}

export function asBoolean(v: Plain | undefined): boolean | Unknown | undefined {
  return typeof v === 'boolean' || v instanceof UnknownValue ? v : undefined;
}

/** A list of strings; the unknown when the list or any element is not known yet. */
export function asStringList(v: Plain | undefined): readonly string[] | Unknown | undefined {
  if (v instanceof UnknownValue) return v;
  if (!Array.isArray(v)) return undefined;
  const list = v as readonly Plain[];
  const unknown = list.find((x) => x instanceof UnknownValue);
  if (unknown !== undefined) return unknown as UnknownValue;
  return list.filter((x): x is string => typeof x === 'string');
}

export function asMap(v: Plain | undefined): PlainMap | Unknown | undefined {
  if (v instanceof UnknownValue) return v;
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as PlainMap) : undefined;
}

export function asList(v: Plain | undefined): readonly Plain[] | Unknown | undefined {
  if (v instanceof UnknownValue) return v;
  return Array.isArray(v) ? (v as readonly Plain[]) : undefined;
}

/** `"production"` for a non-secret value shown in a message. */
export function quote(v: string): string {
  return JSON.stringify(v);
}

/** A property's value as a violation message shows it: `"text"`, `42`, `false`, or `not set`. */
export function found(v: Plain | undefined): string {
  if (v === undefined || v === null) return 'not set';
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}
