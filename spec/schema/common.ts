import { z } from 'zod';

export const hostname = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$|^localhost$|^(\d{1,3}\.){3}\d{1,3}$/i, {
    message: 'must be a bare host name such as example.com (no scheme, no path)',
  });

export const httpsUrl = z.url({ protocol: /^https$/, message: 'must be an https:// URL' });

export const urlPath = z.string().regex(/^\/[^\s?#]*$/, { message: 'must be a path starting with / (no query or fragment)' });

export const envKey = z.string().regex(/^[A-Z][A-Z0-9_]*$/, { message: 'must be an env var name in UPPER_SNAKE_CASE' });

/** A SQL identifier as written in the app's schema (case kept, e.g. "User"). */
export const sqlIdent = z.string().regex(/^[A-Za-z_][A-Za-z0-9_$]*$/, { message: 'must be a SQL identifier (letters, digits, _ )' });

/** `schema.name` or `name` (public schema). */
export const qualifiedName = z.string().regex(/^([A-Za-z_][A-Za-z0-9_$]*\.)?[A-Za-z_][A-Za-z0-9_$]*$/, {
  message: 'must be a table or function name, optionally schema-qualified (public.audit_events)',
});

export const isoDate = z.iso.date({ message: 'must be a date written YYYY-MM-DD' });

export const positiveInt = z.number().int().positive();
