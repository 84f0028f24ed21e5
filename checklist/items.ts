import type { HtmlBlockEnd } from './html-blocks.js';
import { htmlBlockEnds, htmlBlockStart } from './html-blocks.js';

/**
 * The task items of a Markdown checklist (`- [ ]`, `* [x]`, `1. [ ]`, also inside `>` blockquotes), each
 * with the headings and list items it sits under, found line by line the way CommonMark/GFM reads them:
 * nothing inside a fenced or indented code block or a raw HTML block (a comment, `<details>`…) is an
 * item, and nesting follows indentation.
 */
export interface ChecklistItem {
  /** Index into the document's lines. */
  readonly line: number;
  readonly checked: boolean;
  /** Column of the character inside the brackets. */
  readonly box: number;
  /** The item's first line after the box, without an annotation an earlier fill appended. */
  readonly text: string;
  /** Column where that text ends: an annotation goes here, replacing an earlier one. */
  readonly end: number;
  /** Enclosing headings, outermost first. */
  readonly headings: readonly string[];
  /** Enclosing list items (tasks or plain bullets), outermost first. */
  readonly parents: readonly string[];
  /** Ticked by an earlier fill (it carries TICK_MARK), not by a person: the next fill judges it again. */
  readonly tickedByProdcheck: boolean;
}

export interface ScannedChecklist {
  /** The document split after each line break; joining them gives the input back byte for byte. */
  readonly lines: readonly string[];
  readonly items: readonly ChecklistItem[];
}

/** What fill puts after a tick it made, so a later fill can tell its own ticks from a person's and re-judge them. */
export const TICK_MARK = ' <!-- prodcheck -->';

/** What fill appends (fill.ts); stripped before mapping so a second fill neither reads nor repeats it. */
export const ANNOTATION = / (?:<!-- prodcheck -->|— (?:❌|⚠️|⏸️) prodcheck\b.*|_\(manual(?:: .*)?\)_)$/u;

const VERDICT = /^ — (?:❌|⚠️|⏸️) prodcheck\b/u;

/**
 * The body without the annotation an earlier fill appended: ANNOTATION's leftmost match, found in linear
 * time (the regex scans from every " _(manual: " to the end of the line: quadratic on a line of them).
 */
export function stripAnnotation(body: string): string {
  for (let at = body.indexOf(' '); at >= 0; at = body.indexOf(' ', at + 1)) {
    const c = body[at + 1];
    if (c === '<' && body.endsWith(TICK_MARK) && at === body.length - TICK_MARK.length) return body.slice(0, at);
    if (c === '—' && VERDICT.test(body.slice(at, at + 20))) return body.slice(0, at);
    if (c === '_' && body.startsWith(' _(manual', at)) {
      const tail = at + ' _(manual'.length;
      if (body.length === tail + 2 && body.endsWith(')_')) return body.slice(0, at);
      if (body.startsWith(': ', tail) && body.endsWith(')_') && body.length >= tail + 4) return body.slice(0, at);
    }
  }
  return body;
}

const FENCE = /^( *)(`{3,}|~{3,})(.*)$/;
const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;
const THEMATIC = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const LIST_ITEM = /^([ \t]*)([-*+]|\d{1,9}[.)])([ \t]+|$)(.*)$/;
const TASK = /^\[([ xX])\](?=[ \t]|$)[ \t]*(.*)$/;

interface Open {
  readonly contentIndent: number;
  readonly text: string;
}

function width(ws: string): number {
  let n = 0;
  for (const c of ws) n = c === '\t' ? n + 4 - (n % 4) : n + 1;
  return n;
}

function leading(s: string): number {
  return width(/^[ \t]*/.exec(s)?.[0] ?? '');
}

/** Blockquote markers (`>`, `> >`) that open a line. */
const QUOTE = /^(?: {0,3}> ?)+/;

export function scanChecklist(text: string): ScannedChecklist {
  const lines = text.split(/(?<=\n)/);
  const items: ChecklistItem[] = [];
  const headings: string[] = [];
  let stack: Open[] = [];
  let fence: { char: string; len: number } | undefined;
  let html: HtmlBlockEnd | undefined;
  let quoteDepth = 0;
  let previous: 'blank' | 'paragraph' | 'other' = 'blank';
  let paragraphText = '';

  lines.forEach((raw, index) => {
    const full = raw.replace(/\r?\n$/, '');
    // A blockquote is read as a document of its own: its markers are set aside and its lists end with it.
    const prefix = QUOTE.exec(full)?.[0] ?? '';
    const depth = (prefix.match(/>/g) ?? []).length;
    const line = full.slice(prefix.length);
    if (depth !== quoteDepth && !(depth === 0 && previous === 'paragraph' && line.trim() !== '')) {
      quoteDepth = depth;
      stack = [];
      fence = undefined;
      html = undefined;
      if (line.trim() !== '') previous = 'blank';
    }
    if (fence) {
      const close = /^ *(`{3,}|~{3,})[ \t]*$/.exec(line)?.[1];
      if (close && close[0] === fence.char && close.length >= fence.len) fence = undefined;
      return;
    }
    if (html) {
      if (htmlBlockEnds(html, line)) {
        html = undefined;
        previous = 'blank';
      }
      return;
    }
    if (line.trim() === '') {
      previous = 'blank';
      return;
    }
    const indent = leading(line);
    // Four columns past the enclosing item's content (or the margin) after a break is an indented code block.
    const base = stack.at(-1)?.contentIndent ?? 0;
    if (indent >= base + 4 && previous !== 'paragraph') return;
    // A fence or HTML block left of an open item's content closes that item: only paragraphs continue lazily.
    const closeLeftOf = () => {
      while (stack.length > 0 && indent < (stack.at(-1)?.contentIndent ?? 0)) stack.pop();
    };
    const opening = FENCE.exec(line);
    if (opening && !(opening[2]?.startsWith('`') && opening[3]?.includes('`'))) {
      closeLeftOf();
      fence = { char: opening[2]?.[0] ?? '`', len: opening[2]?.length ?? 3 };
      previous = 'other';
      return;
    }
    const inner = line.slice(Math.min(indent, indent >= base ? base : 0));
    const block = htmlBlockStart(inner, previous === 'paragraph');
    if (block) {
      closeLeftOf();
      if (block === 'blank' || !block.test(inner)) html = block;
      previous = 'other';
      return;
    }
    const atx = ATX.exec(line);
    if (atx) {
      setHeading(headings, atx[1]?.length ?? 1, atx[2] ?? '');
      stack = [];
      previous = 'other';
      return;
    }
    const setext = SETEXT.exec(line);
    if (setext && previous === 'paragraph' && stack.length === 0) {
      setHeading(headings, setext[1]?.startsWith('=') ? 1 : 2, paragraphText);
      previous = 'other';
      return;
    }
    if (THEMATIC.test(line)) {
      stack = [];
      previous = 'other';
      return;
    }
    const item = LIST_ITEM.exec(line);
    if (item) {
      const [, ws = '', marker = '', gap = '', rest = ''] = item;
      const markerIndent = width(ws);
      while (stack.length > 0 && markerIndent < (stack.at(-1)?.contentIndent ?? 0)) stack.pop();
      // A gap of five or more columns is one column plus indented code (CommonMark); an empty item's content starts one past the marker.
      const gapWidth = width(gap);
      const contentIndent = markerIndent + marker.length + (gapWidth === 0 || gapWidth > 4 ? 1 : gapWidth);
      const task = TASK.exec(rest);
      if (task) {
        const body = task[2] ?? '';
        const own = stripAnnotation(body);
        const box = prefix.length + ws.length + marker.length + gap.length + 1;
        items.push({
          line: index,
          checked: task[1] !== ' ',
          box,
          text: own,
          end: full.length - (body.length - own.length),
          headings: headings.filter(Boolean),
          parents: stack.map((o) => o.text),
          tickedByProdcheck: body.endsWith(TICK_MARK),
        });
        stack.push({ contentIndent, text: own });
      } else {
        stack.push({ contentIndent, text: rest });
      }
      previous = 'other';
      return;
    }
    // A paragraph line after a blank, left of the open item's content, ends the list; without a blank it is a lazy continuation.
    if (previous === 'blank' && indent < base) stack = [];
    previous = stack.length === 0 ? 'paragraph' : 'other';
    paragraphText = line.trim();
  });
  return { lines, items };
}

function setHeading(headings: string[], level: number, text: string): void {
  headings.length = level - 1;
  for (let i = 0; i < level - 1; i++) headings[i] ??= '';
  headings[level - 1] = text.trim();
}
