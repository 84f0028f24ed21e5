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
