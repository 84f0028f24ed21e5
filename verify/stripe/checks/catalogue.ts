import type { StackSpec, StripeProductSpec, StripeSpec } from '../../../spec/index.js';
import type { Check, Finding } from '../../types.js';
import type { PriceView, StripeSnapshot } from '../snapshot.js';
import { cannot, isProduction, priceTerms, specTerms, termsMatch, withStripe } from './common.js';

/** What is off about a price compared with the spec product it should carry. */
function priceProblems(p: PriceView, product: StripeProductSpec, production: boolean): string[] {
  return [
    ...(p.product.active ? [] : ['product archived']),
    ...(p.product.name === product.name || !p.product.name ? [] : [`product name "${p.product.name}"`]),
    ...(p.active ? [] : ['price inactive']),
    ...(termsMatch(p, product.price) ? [] : [`price ${priceTerms(p)}`]),
    ...(production && !p.livemode ? ['a test-mode price'] : []),
  ];
}

export const stripeProductsPrices: Check<StripeSnapshot> = {
  id: 'stripe.products-prices',
  target: 'stripe',
  evaluate: (s, spec) =>
    withStripe(spec, (stripe) => {
      if (stripe.products.length === 0) return [{ status: 'skip', message: 'The stack config lists no Stripe products.' }];
      if (!s.prices.ok) return [cannot('read Stripe prices', s.prices.error)];
      const prices = s.prices.value;
      return stripe.products.map((product): Finding => {
        const expected = specTerms(product.price);
        const label = `Stripe product "${product.name}" (${product.key})`;
        const price = prices.find((p) => p.lookupKey === product.key);
        if (!price) {
          return { status: 'fail', message: `${label} must have a price with lookup key "${product.key}" (found none).`, expected, actual: 'no price with that lookup key', resource: product.key };
        }
        const problems = priceProblems(price, product, isProduction(spec));
        if (problems.length > 0) {
          return { status: 'fail', message: `${label} must be active with an active price of ${expected} (found ${price.id}: ${problems.join(', ')}).`, expected, actual: priceTerms(price), resource: product.key };
        }
        return { status: 'pass', message: `${label} is active with price ${price.id}: ${expected}.`, expected, actual: priceTerms(price), resource: product.key };
      });
    }),
};

/** Env vars the spec fills with a price id, and the product key each one names. */
function priceVars(spec: StackSpec): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, v] of Object.entries(spec.env.vars)) {
    const key = /^stripe\.price\.(.+)$/.exec(v.from)?.[1];
    if (key !== undefined) out.set(name, key);
  }
  return out;
}

export const envStripePriceIds: Check<StripeSnapshot> = {
  id: 'env.stripe-price-ids',
  target: 'stripe',
  evaluate: (s, spec) =>
    withStripe(spec, (stripe) => {
      const vars = priceVars(spec);
      if (s.envPrices === undefined) {
        return [
          vars.size > 0
            ? { status: 'skip', message: `Skipped: targets stripe.priceIds is not set (map each price env var to its value, e.g. ${[...vars.keys()][0]}: \${output:stripe.price.${[...vars.values()][0]}}).` }
            : { status: 'skip', message: 'No env var takes a Stripe price id (no env.vars with from: stripe.price.<key>).' },
        ];
      }
      if (!s.envPrices.ok) return [cannot('read the Stripe prices the env vars name', s.envPrices.error)];
      const given = new Map(s.envPrices.value.map((e) => [e.envVar, e]));
      const names = [...new Set([...vars.keys(), ...given.keys()])].sort();
      return names.map((name) => judgeEnvPrice(name, given.get(name), vars.get(name), stripe, isProduction(spec)));
    }),
};

function judgeEnvPrice(name: string, env: { priceId: string; price: PriceView | null } | undefined, key: string | undefined, stripe: StripeSpec, production: boolean): Finding {
  if (env === undefined) return { status: 'skip', message: `Skipped: targets stripe.priceIds has no ${name}.`, resource: name };
  const product = key === undefined ? undefined : stripe.products.find((p) => p.key === key);
  const live = production ? ' live' : '';
  const want = product ? `an active${live} price of "${product.name}" (${specTerms(product.price)})` : `an active${live} price`;
  const expected = product ? `${product.key}: ${specTerms(product.price)}` : `an active${live} price`;
  const p = env.price;
  if (p === null) return { status: 'fail', message: `${name} must refer to ${want} (found ${env.priceId}: no such price).`, expected, actual: `${env.priceId}: no such price`, resource: name };
  const problems = [
    ...(p.active ? [] : ['inactive']),
    ...(production && !p.livemode ? ['a test-mode price'] : []),
    ...(product && p.product.key !== product.key && p.lookupKey !== product.key ? [`a price of product "${p.product.name || p.product.id}"`] : []),
    ...(product && !termsMatch(p, product.price) ? [priceTerms(p)] : []),
  ];
  if (problems.length > 0) return { status: 'fail', message: `${name} must refer to ${want} (found ${p.id}: ${problems.join(', ')}).`, expected, actual: `${p.id}: ${problems.join(', ')}`, resource: name };
  return { status: 'pass', message: `${name} refers to ${p.id}, ${want}.`, expected, actual: `${p.id}: ${priceTerms(p)}`, resource: name };
}

export const stripeUsageReporting: Check<StripeSnapshot> = {
  id: 'stripe.usage-reporting',
  target: 'stripe',
  evaluate: (s, spec) =>
    withStripe(spec, (stripe) => {
      const metered = stripe.products.filter((p) => p.price.usageType === 'metered');
      if (metered.length === 0) return [{ status: 'skip', message: 'The stack config has no metered Stripe price.' }];
      if (!s.prices.ok) return [cannot('read the metered Stripe prices', s.prices.error)];
      if (!s.meters) return [cannot('read Stripe billing meters', 'they were not collected')];
      if (!s.meters.ok) return [cannot('read Stripe billing meters', s.meters.error)];
      const meters = s.meters.value;
      const prices = s.prices.value;
      return metered.flatMap((product): Finding[] => {
        const event = product.price.meterEventName ?? '';
        const expected = `an active Billing meter for event "${event}"`;
        const price = prices.find((p) => p.lookupKey === product.key);
        const label = `Stripe metered price ${price?.id ?? `"${product.key}"`} (${product.key})`;
        const meter = price?.meter ? meters.find((m) => m.id === price.meter) : undefined;
        const problem = !price
          ? `no price with lookup key "${product.key}"`
          : !price.meter
            ? 'no meter on the price'
            : !meter
              ? `meter ${price.meter} missing`
              : meter.eventName !== event
                ? `meter ${meter.id} for event "${meter.eventName}"`
                : !meter.active
                  ? `meter ${meter.id} inactive`
                  : undefined;
        if (problem !== undefined || !meter) {
          return [{ status: 'fail', message: `${label} must report to ${expected} (found ${problem}).`, expected, actual: problem ?? '', resource: product.key }];
        }
        return [
          { status: 'pass', message: `${label} reports to active Billing meter ${meter.id} for event "${event}".`, expected, actual: meter.id, resource: product.key },
          judgeUsage(s, meter.id, event, product.key),
        ];
      });
    }),
};

function judgeUsage(s: StripeSnapshot, meter: string, event: string, key: string): Finding {
  const resource = `${key} usage`;
  if (s.usage === undefined) {
    return { status: 'skip', message: `Skipped: recent usage of "${event}" is not checked (set targets stripe.usageCustomer to a customer that reports usage).`, resource };
  }
  if (!s.usage.ok) return { ...cannot(`read the usage of meter ${meter}`, s.usage.error), resource };
  const u = s.usage.value.find((x) => x.meter === meter);
  if (!u) return { ...cannot(`read the usage of meter ${meter}`, 'no summary was returned'), resource };
  const expected = `usage reported in the last ${u.windowHours} h`;
  if (u.total > 0) {
    return { status: 'pass', message: `Stripe meter ${meter} ("${event}") recorded ${u.total} for customer ${u.customer} in the last ${u.windowHours} h.`, expected, actual: String(u.total), resource };
  }
  return { status: 'fail', message: `Stripe meter ${meter} ("${event}") must have usage reported in the last ${u.windowHours} h (found none for customer ${u.customer}).`, expected, actual: '0', resource };
}
