import { describe, expect, it } from 'vitest';
import { scanChecklist } from '../../checklist/items.js';
import { fixture } from './fill-results.js';

const texts = (md: string) => scanChecklist(md).items.map((i) => i.text);

describe('reading the task items of a Markdown checklist', () => {
  it('takes -, * and + bullets and ordered items, ticked with x or X, and nothing else', () => {
    const md = '- [ ] dash\n* [x] star\n+ [X] plus\n1. [ ] one\n2) [ ] two\n- plain bullet\n- [] not a box\n-[ ] no space\nText - [ ] inline\n';
    const { items } = scanChecklist(md);
    expect(items.map((i) => [i.text, i.checked])).toEqual([
      ['dash', false],
      ['star', true],
      ['plus', true],
      ['one', false],
      ['two', false],
    ]);
  });

  it('skips fenced (``` and ~~~, indented inside items too), indented code and HTML comments', () => {
    const md = [
      '- [ ] before',
      '  ```sh',
      '  - [ ] in a fence inside an item',
      '  ```',
      '````md',
      '```',
      '- [ ] inside a longer fence, past a shorter closing run',
      '````',
      '~~~',
      '- [ ] tilde fence',
      '~~~',
      '',
      '    - [ ] indented code',
      '',
      '<!--',
      '- [ ] commented out',
      '-->',
      '- [ ] after',
      '',
    ].join('\n');
    expect(texts(md)).toEqual(['before', 'after']);
  });

  it('gives each item its headings (ATX and setext) and its parent items, by indentation', () => {
    const md = [
      'Runbook',
      '=======',
      '',
      '## Redis ##',
      '',
      '- [ ] parent',
      '  - [ ] child',
      '    - [ ] grandchild',
      '  - plain',
      '    - [ ] under a plain bullet',
      '- [ ] sibling',
      '',
      'Database',
      '--------',
      '',
      '1. [ ] ordered',
      '   - [ ] nested under ordered',
      '',
    ].join('\n');
    const { items } = scanChecklist(md);
    expect(items.map((i) => [i.text, i.headings, i.parents])).toEqual([
      ['parent', ['Runbook', 'Redis'], []],
      ['child', ['Runbook', 'Redis'], ['parent']],
      ['grandchild', ['Runbook', 'Redis'], ['parent', 'child']],
      ['under a plain bullet', ['Runbook', 'Redis'], ['parent', 'plain']],
      ['sibling', ['Runbook', 'Redis'], []],
      ['ordered', ['Runbook', 'Database'], []],
      ['nested under ordered', ['Runbook', 'Database'], ['ordered']],
    ]);
  });

  it('a paragraph after a blank line ends the list; a --- after a blank line is a rule, not a heading', () => {
    const md = '# Top\n\n- [ ] a\n\nSome text.\n  - [ ] b\n\n---\n\n- [ ] c\n';
    const { items } = scanChecklist(md);
    expect(items.map((i) => [i.text, i.parents, i.headings])).toEqual([
      ['a', [], ['Top']],
      ['b', [], ['Top']],
      ['c', [], ['Top']],
    ]);
  });

  it('strips an annotation an earlier fill appended, and knows where the box and the text end are', () => {
    const md = '- [ ] Configure TLS — ❌ prodcheck: Redis must be reached over TLS.\n- [ ] Write docs _(manual)_\n* [ ] Tune _(manual: prodcheck did not check redis.ttl)_\r\n';
    const { items } = scanChecklist(md);
    expect(items.map((i) => [i.text, i.box, i.end])).toEqual([
      ['Configure TLS', 3, 19],
      ['Write docs', 3, 16],
      ['Tune', 3, 10],
    ]);
  });

  it('splits lines so that joining them gives every seed back byte for byte (CRLF too)', () => {
    for (const name of ['seed-000.md', 'seed-003.md', 'launch-runbook.md']) {
      const md = fixture(name);
      expect(scanChecklist(md).lines.join('')).toBe(md);
    }
    expect(fixture('launch-runbook.md')).toContain('\r\n');
  });
});

describe('blockquotes and raw HTML blocks, as GitHub renders them', () => {
  it('reads task items inside blockquotes, nested too, with the box where it stands', () => {
    const md = '> ## Launch\n>\n> - [ ] quoted item\n>   - [x] nested under it\n> > - [ ] in a nested quote\n\n- [ ] after the quote\n';
    const { items, lines } = scanChecklist(md);
    expect(items.map((i) => [i.text, i.checked, i.headings, i.parents])).toEqual([
      ['quoted item', false, ['Launch'], []],
      ['nested under it', true, ['Launch'], ['quoted item']],
      ['in a nested quote', false, ['Launch'], []],
      ['after the quote', false, ['Launch'], []],
    ]);
    for (const i of items) expect(lines[i.line]?.slice(i.box - 1, i.box + 2)).toMatch(/^\[[ x]\]$/);
  });

  it('takes no item from inside a raw HTML block, but does after the blank line that ends one', () => {
    const md = [
      '<details>',
      '<summary>Optional</summary>',
      '- [ ] inside details: rendered as HTML text',
      '',
      '- [ ] after the block: an item',
      '',
      '</details>',
      '<table><tr><td>',
      '- [ ] inside a table cell block',
      '</td></tr></table>',
      '',
      '<script>',
      '',
      '- [ ] inside a script, past a blank line',
      '</script>',
      '- [ ] after the script',
      '<!-- one-line comment --> - [ ] a comment line is HTML',
      'Some paragraph',
      '<span>',
      '- [ ] an inline tag does not start a block inside a paragraph',
    ].join('\n');
    expect(texts(md)).toEqual(['after the block: an item', 'after the script', 'an inline tag does not start a block inside a paragraph']);
  });

  it("tells prodcheck's own ticks (marked) from a person's", () => {
    const { items } = scanChecklist('- [x] Redis reachable <!-- prodcheck -->\n- [x] Checked by hand\n');
    expect(items.map((i) => [i.text, i.tickedByProdcheck])).toEqual([
      ['Redis reachable', true],
      ['Checked by hand', false],
    ]);
  });
});
