/**
 * Raw HTML blocks as CommonMark defines them (spec 0.31, §4.6), so that a task line inside one is not
 * taken for an item: GitHub renders it as HTML, not as a checkbox. Types 1–5 end at their closing marker,
 * types 6 and 7 at the next blank line; type 7 cannot interrupt a paragraph.
 */
export type HtmlBlockEnd = RegExp | 'blank';

const BLOCK_TAGS =
  'address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul';

const ATTRIBUTE = String.raw`\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s"'=<>\x60]+|'[^']*'|"[^"]*"))?`;
const OPEN_TAG = new RegExp(String.raw`^ {0,3}<[A-Za-z][A-Za-z0-9-]*(?:${ATTRIBUTE})*\s*\/?>\s*$`);
const CLOSE_TAG = /^ {0,3}<\/[A-Za-z][A-Za-z0-9-]*\s*>\s*$/;

const STARTS: readonly (readonly [start: RegExp, end: HtmlBlockEnd])[] = [
  [/^ {0,3}<(?:pre|script|style|textarea)(?:\s|>|$)/i, /<\/(?:pre|script|style|textarea)>/i],
  [/^ {0,3}<!--/, /-->/],
  [/^ {0,3}<\?/, /\?>/],
  [/^ {0,3}<![A-Za-z]/, />/],
  [/^ {0,3}<!\[CDATA\[/, /\]\]>/],
  [new RegExp(String.raw`^ {0,3}<\/?(?:${BLOCK_TAGS})(?:\s|\/?>|$)`, 'i'), 'blank'],
];

/**
 * Where the HTML block that `line` opens ends, or undefined when it opens none. `afterParagraph` says the
 * line would otherwise continue a paragraph, which only types 1–6 may interrupt.
 */
export function htmlBlockStart(line: string, afterParagraph: boolean): HtmlBlockEnd | undefined {
  for (const [start, end] of STARTS) if (start.test(line)) return end;
  if (!afterParagraph && !/^ {0,3}<(?:pre|script|style|textarea)\b/i.test(line) && (OPEN_TAG.test(line) || CLOSE_TAG.test(line))) return 'blank';
  return undefined;
}

/** Whether the block ends on this line (types 1–5 may end on the line that opened them). */
export function htmlBlockEnds(end: HtmlBlockEnd, line: string): boolean {
  return end === 'blank' ? line.trim() === '' : end.test(line);
}
