import type { z } from 'zod';
import type { ConfigProblem } from './errors.js';
import { formatPath } from './errors.js';

/** Turns zod issues into one readable problem each, with the path prefixed by `prefix`. */
export function zodProblems(error: z.ZodError, prefix: (path: string) => string): ConfigProblem[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: prefix(formatPath([...issue.path, key])), message: 'is not a known key (check its spelling and the README\'s config reference)' }));
    }
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const messages = [...new Set(issue.errors.flat().map((i) => describe(i)))];
      return [{ path: prefix(formatPath(issue.path)), message: messages.join(', or ') }];
    }
    return [{ path: prefix(formatPath(issue.path)), message: describe(issue) }];
  });
}

function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type': {
      const received = /received (\w+)/.exec(issue.message)?.[1];
      if (received === 'undefined') return 'is required';
      // YAML's .inf and .nan parse to numbers that are not finite: zod names them Infinity and NaN.
      const yamlName = received === 'Infinity' ? '.inf' : received === 'NaN' ? '.nan' : undefined;
      if (yamlName) return `must be a finite ${issue.expected} (found ${yamlName})`;
      return `must be ${article(issue.expected)} (found ${'input' in issue ? kind(issue.input) : (received ?? 'another type')})`;
    }
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}${'input' in issue ? ` (found ${JSON.stringify(issue.input)})` : ''}`;
    case 'too_small':
      return issue.origin === 'array' ? `must list at least ${String(issue.minimum)} item${issue.minimum === 1 ? '' : 's'}` : issue.origin === 'string' ? `must be at least ${String(issue.minimum)} characters` : `must be ${issue.inclusive ? '>=' : '>'} ${String(issue.minimum)}${found(issue)}`;
    case 'too_big':
      return issue.origin === 'array' || issue.origin === 'string' ? `must have at most ${String(issue.maximum)} ${issue.origin === 'array' ? 'items' : 'characters'}` : `must be ${issue.inclusive ? '<=' : '<'} ${String(issue.maximum)}${found(issue)}`;
    case 'invalid_format':
      return issue.message.startsWith('Invalid') ? `must be a valid ${issue.format}` : issue.message;
    default:
      return issue.message;
  }
}

/** Inputs are only present when the caller parsed with reportInput (never for files that may hold secrets). */
function found(issue: z.core.$ZodIssue): string {
  return 'input' in issue ? ` (found ${show(issue.input)})` : '';
}

/** JSON for a value, except YAML's .inf and .nan, which JSON would print as null. */
function show(v: unknown): string {
  if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? '.nan' : v > 0 ? '.inf' : '-.inf';
  return JSON.stringify(v);
}

function article(t: string): string {
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  return `${typeof v} ${show(v)}`;
}
