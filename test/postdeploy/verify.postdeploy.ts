// Post-deploy verification as vitest tests: `npx vitest run --project postdeploy` with
// PRODCHECK_STACK (or PRODCHECK_CONFIG) and PRODCHECK_TARGETS set. One test per result.
import { describe, expect, it } from 'vitest';
import { checkedNothing, checkedNothingNote } from '../../report/summary.js';
import { verifyFromEnv } from '../../verify/postdeploy.js';

const { stack, report } = await verifyFromEnv(process.env, process.cwd());

describe(`prodcheck verify ${stack.stack}`, () => {
  // A run of nothing but skipped tests would read green.
  it('checked something', () => {
    expect(checkedNothing(report.summary), checkedNothingNote(report.summary)).toBe(false);
  });
  for (const r of report.results) {
    const name = `${r.control}${r.resource ? ` ${r.resource}` : ''}`;
    it(name, (ctx) => {
      if (r.status === 'skip') ctx.skip(r.message);
      expect.soft(r.status, r.message).not.toBe('error');
      expect(r.status, r.message).not.toBe('fail');
    });
  }
});
