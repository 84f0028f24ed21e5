import { Redactor } from '../../report/redact.js';
import { findSecrets } from './secrets.js';

// A V8 stack frame, also inside a JSON string ("\n    at fn (/var/task/app.js:1:2)"): "at", an
// optional function name, and a file, node: or file:// location with line and column.
const STACK_FRAME = /\bat (?:[^\s()]+ )?\(?(?:file:\/\/\/?|node:|\/|[A-Za-z]:\\{1,2})[^\s()"']*:\d+:\d+\)?/;
const CONNECTION_STRING = /\b(?:postgres(?:ql)?|mysql|mongodb(?:\+srv)?|rediss?|amqps?):\/\/[^\s:@/"']*:[^\s@/"']+@/i;
const PATTERNS_ONLY = new Redactor();
const ENV_ASSIGNMENT = /\b([A-Z0-9_]*(?:SECRET|PASSWORD|TOKEN|API_KEY|PRIVATE_KEY|DATABASE_URL|REDIS_URL)[A-Z0-9_]*)["']?\s*[:=]\s*["']?[^\s"',}]{6,}/;

/**
 * What an answer body gives away: stack frames, connection strings with passwords, secret-looking env
 * assignments, secrets of known shapes, and any secret this run registered (the redactor knows them all).
 * Returns descriptions only, never the text.
 */
export function findLeaks(body: string, redactor: Redactor): string[] {
  const leaks: string[] = [];
  if (STACK_FRAME.test(body)) leaks.push('a stack trace');
  if (CONNECTION_STRING.test(body)) leaks.push('a connection string with a password');
  const env = ENV_ASSIGNMENT.exec(body);
  if (env) leaks.push(`the value of ${env[1]}`);
  for (const kind of new Set(findSecrets(body).map((h) => h.kind))) leaks.push(kind);
  // Redacting with and without the run's registered secrets differs only when one of them is in the body.
  if (redactor.redact(body) !== PATTERNS_ONLY.redact(body)) leaks.push('a secret of this stack');
  return leaks;
}
