import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { appUrl, loadStackFile } from '../../spec/index.js';

const root = new URL('../../', import.meta.url).pathname;
const examples = readdirSync(`${root}examples`).filter((f) => /^Pulumi\..+\.yaml$/.test(f));

describe('shipped stack configs', () => {
  it('ships Pulumi.prod.yaml modelled on seed 000', () => {
    const { spec } = loadStackFile(`${root}Pulumi.prod.yaml`);
    expect(spec.stripe?.products.map((p) => [p.key, p.price.unitAmount, p.price.interval])).toEqual([
      ['pro', 2000, 'month'],
      ['premium', 5000, 'month'],
    ]);
    expect(spec.stripe?.webhook.events).toEqual([
      'checkout.session.completed',
      'customer.subscription.created',
      'customer.subscription.updated',
      'customer.subscription.deleted',
      'invoice.payment_succeeded',
      'invoice.payment_failed',
    ]);
    expect(spec.postgres?.indexes.map((i) => `${i.table}.${i.columns.join('+')}`)).toEqual(['User.email', 'Chat.userId', 'Message.chatId', 'UserTier.userId', 'UsageRecord.userId']);
    expect(spec.redis?.evictionPolicy).toBe('allkeys-lru');
    expect(spec.postgres?.backups.retentionDays).toBe(30);
    expect(appUrl(spec.app)).toBe('https://chat.example.com');
  });

  it('ships one example per other seed system, each valid', () => {
    expect(examples.sort()).toEqual(['Pulumi.commerce.yaml', 'Pulumi.llm-gateway.yaml', 'Pulumi.metered.yaml', 'Pulumi.neon.yaml', 'Pulumi.phonepe.yaml']);
    const specs = Object.fromEntries(examples.map((f) => [f, loadStackFile(`${root}examples/${f}`).spec]));
    expect(specs['Pulumi.llm-gateway.yaml']?.stripe?.products.map((p) => p.key)).toHaveLength(3);
    expect(specs['Pulumi.commerce.yaml']?.redis?.provider).toBe('upstash');
    expect(specs['Pulumi.phonepe.yaml']?.stripe).toBeUndefined();
    expect(specs['Pulumi.neon.yaml']?.postgres?.provider).toBe('neon');
    expect(specs['Pulumi.metered.yaml']?.postgres?.appendOnly).toContain('audit_events');
    expect(specs['Pulumi.metered.yaml']?.stripe?.products.some((p) => p.price.usageType === 'metered')).toBe(true);
  });
});
