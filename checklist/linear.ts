/**
 * How far apart the words of one rule may stand. A rule such as /\bbackups?\b.*\bretention\b/ scans from
 * every "backup" to the end of the text; on a line with thousands of them that is quadratic (a 350 KB line
 * took 20 s). Bounded, each start costs at most this many steps, so matching is linear in the text's length.
 * The longest item of the corpus of public checklists is 179 characters.
 */
export const MAX_RULE_SPAN = 300;

/** An unescaped `.*` or `.+` outside a character class. */
function spans(source: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      out += source.slice(i, i + 2);
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') inClass = true;
    const next = source[i + 1];
    if (c === '.' && (next === '*' || next === '+')) {
      // A lazy `.*?` stays lazy: `.{0,N}?`.
      out += next === '*' ? `.{0,${MAX_RULE_SPAN}}` : `.{1,${MAX_RULE_SPAN}}`;
      i++;
      continue;
    }
    out += c;
  }
  return out;
}

/** The same regex with every `.*` and `.+` bounded to MAX_RULE_SPAN characters, so that matching is linear. */
export function linear(re: RegExp): RegExp {
  return new RegExp(spans(re.source), re.flags);
}
