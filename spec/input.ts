import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { constants } from 'node:fs';
import type { Document } from 'yaml';
import { LineCounter, parseDocument, visit } from 'yaml';
import type { ConfigProblem } from './errors.js';
import { ConfigError } from './errors.js';

/** Size bounds of every input file: far above any real one, far below what would exhaust memory. */
export const INPUT_LIMITS = {
  /** Pulumi stack config, targets file, `pulumi stack output --json`. */
  config: 4 * 1024 * 1024,
  /** A drift baseline or a results report read back. */
  report: 64 * 1024 * 1024,
  /** A Markdown checklist to fill. */
  checklist: 8 * 1024 * 1024,
} as const;

/** YAML aliases per file: a few are ordinary reuse; thousands are an alias bomb. */
export const MAX_YAML_ALIASES = 100;

/**
 * Reads an input file as UTF-8 text, refusing what would hang or exhaust the run (a FIFO or device, a file
 * over `maxBytes`) and what is not text (binary, UTF-16): each a ConfigError naming the file, so exit 2.
 * `what` names the file for the message; `how` says how to get a good one.
 */
export function readInputFile(file: string, what: string, how: string, maxBytes: number): string {
  const fail = (message: string): never => {
    throw new ConfigError(file, [{ path: '', message }]);
  };
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused just below.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return fail(`cannot read the ${what} (${(e as NodeJS.ErrnoException).code ?? String(e)}): ${how}`);
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) fail(`the ${what} is not a regular file (${info.isDirectory() ? 'a directory' : 'a FIFO, device or socket'}): ${how}`);
    if (info.size > maxBytes) fail(`the ${what} is ${info.size} bytes, more than the ${maxBytes} prodcheck reads: is it the right file?`);
    const buf = Buffer.alloc(Math.min(info.size, maxBytes) + 1);
    let length = 0;
    for (let n = -1; n !== 0 && length < buf.length; length += n) n = readSync(fd, buf, length, buf.length - length, null);
    if (length > maxBytes) fail(`the ${what} grew past ${maxBytes} bytes while being read: is it the right file?`);
    return decodeText(buf.subarray(0, length), what, fail);
  } finally {
    closeSync(fd);
  }
}

function decodeText(buf: Buffer, what: string, fail: (message: string) => never): string {
  if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)) fail(`the ${what} is UTF-16 text: save it as UTF-8`);
  if (buf.includes(0)) fail(`the ${what} is binary, not text (it holds NUL bytes): is it the right file?`);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(buf);
  } catch {
    return fail(`the ${what} is not UTF-8 text: save it as UTF-8`);
  }
}

/**
 * Parses YAML into plain values, every problem a ConfigError with its line: syntax errors, aliases to
 * no anchor, and alias bombs (more than MAX_YAML_ALIASES aliases, or an expansion past the size bound).
 */
export function parseYamlInput(text: string, file: string): unknown {
  const lines = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter: lines });
  const at = (offset: number | undefined) => (offset === undefined ? '' : `line ${lines.linePos(offset).line}`);
  if (doc.errors.length > 0) throw new ConfigError(file, doc.errors.map((e) => ({ path: e.linePos ? `line ${e.linePos[0].line}` : '', message: `YAML: ${e.message.split('\n')[0]}` })));
  const problems: ConfigProblem[] = [];
  let aliases = 0;
  let firstAlias: number | undefined;
  visit(doc, {
    Alias(_key, node) {
      aliases++;
      firstAlias ??= node.range?.[0];
      if (node.resolve(doc) === undefined) problems.push({ path: at(node.range?.[0]), message: `YAML: the alias *${node.source} refers to no anchor &${node.source} before it: define the anchor first, or write the value out` });
    },
  });
  if (problems.length > 0) throw new ConfigError(file, problems);
  const bomb = (detail: string): never => {
    throw new ConfigError(file, [{ path: at(firstAlias), message: `YAML: ${detail}, which looks like an alias bomb: write the values out instead of nesting aliases` }]);
  };
  if (aliases > MAX_YAML_ALIASES) bomb(`${aliases} aliases, more than the ${MAX_YAML_ALIASES} prodcheck expands`);
  try {
    return doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (e) {
    return bomb(`the aliases expand too far (${(e as Error).message})`);
  }
}
