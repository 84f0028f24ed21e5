/** The model catalogue and per-tier limits: http.api.models, http.rate-limit.per-identity. */
import type { Check, Finding } from '../../types.js';
import { cannot, list, plural, statusSummary, unwrap } from '../judge.js';
import type { HttpSnapshot } from '../snapshot.js';

/** Required ids named in a message before the rest are counted. */
const SHOWN_IDS = 5;

const someIds = (ids: readonly string[]): string => (ids.length <= SHOWN_IDS ? list(ids) : `${ids.slice(0, SHOWN_IDS).join(', ')} and ${ids.length - SHOWN_IDS} more`);

export const httpApiModels: Check<HttpSnapshot> = {
  id: 'http.api.models',
  target: 'http',
  evaluate(s, spec) {
    const m = spec.http.models;
    if (!m || !s.models) return [{ status: 'skip', message: 'No model catalogue to check (spec http.models is not set).' }];
    const route = `GET ${m.path}`;
    const r = unwrap(s.models.response, route);
    if (!r.ok) return [r.finding];
    const { status, count, ids, problem } = r.value;
    const band = m.minCount === m.maxCount ? `${m.minCount}` : `between ${m.minCount} and ${m.maxCount}`;
    const expected = `200 with ${band} models${m.required.length ? ` including ${someIds(m.required)}` : ''}`;
    if (status !== 200) return [{ status: 'fail', message: `${route} must answer 200 with the model catalogue (found ${status}).`, expected, actual: String(status) }];
    if (problem !== undefined || count === undefined) {
      return [{ status: 'fail', message: `${route} must list the models under "${m.listKey}" (found: ${problem ?? 'no list'}).`, expected, actual: problem ?? 'no list' }];
    }
    const have = new Set(ids);
    const missing = m.required.filter((id) => !have.has(id));
    const outOfBand = count < m.minCount || count > m.maxCount;
    const actual = `${plural(count, 'model')}${missing.length ? `, missing ${someIds(missing)}` : ''}`;
    if (outOfBand || missing.length) return [{ status: 'fail', message: `${route} must list ${band} models${m.required.length ? `, ${someIds(m.required)} among them` : ''} (found ${actual}).`, expected, actual }];
    const required = m.required.length ? `, every required id among them (${someIds(m.required)})` : '';
    return [{ status: 'pass', message: `${route} lists ${plural(count, 'model')} (expected ${band})${required}.`, expected, actual }];
  },
};

/** A test identity the app refused: the burst then says nothing about its tier's limit. */
const REFUSED = new Set([401, 403]);

export const httpRateLimitPerIdentity: Check<HttpSnapshot> = {
  id: 'http.rate-limit.per-identity',
  target: 'http',
  active: true,
  // The catalogue's V is this burst; its A (full tier semantics) needs the app's own e2e tests.
  stage: 'V',
  evaluate(s, spec) {
    if (spec.http.tieredRateLimits.length === 0) return [{ status: 'skip', message: 'No per-tier rate limits to test (spec http.tieredRateLimits is empty).' }];
    if (!s.tierLimits) return [{ status: 'skip', message: 'The bursts act on the live system: they run only with --active.' }];
    return s.tierLimits.map(({ method, path, tier, limit, response }): Finding => {
      const route = `${method} ${path}`;
      const resource = `${route} [${tier}]`;
      const r = unwrap(response, `finish the ${tier}-tier burst on ${route}`);
      if (!r.ok) return { ...r.finding, resource };
      const { limited, statuses } = r.value;
      const expected = `${limit} requests allowed, then 429`;
      const refused = statuses.find((st) => REFUSED.has(st));
      if (refused !== undefined) {
        return { ...cannot(`test the ${tier} tier's limit on ${route}`, `its test identity (targets http.identities.${tier}) was refused with ${refused}`), resource };
      }
      const allowed = statuses.filter((st) => st !== 429).length;
      const found = statusSummary(statuses);
      if (!limited) return { status: 'fail', message: `${route} must stop the ${tier} tier after ${plural(limit, 'request')} (found ${found} for ${limit + 1}).`, expected, actual: found, resource };
      if (allowed < limit) {
        const hint = allowed === 0 ? ': a 429 at once, from a counter another tier (or an earlier run within the window) had spent' : '';
        return { status: 'fail', message: `${route} must allow the ${tier} tier ${plural(limit, 'request')} (it answered 429 after ${allowed}${hint}).`, expected, actual: found, resource };
      }
      return { status: 'pass', message: `${route} allows the ${tier} tier ${plural(allowed, 'request')} and then answers 429 (limit ${limit}).`, expected, actual: found, resource };
    });
  },
};
