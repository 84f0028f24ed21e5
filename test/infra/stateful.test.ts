import { beforeAll, describe, expect, test } from 'vitest';
import type { MockResource, StackRun } from './helpers/mock-stack.js';
import { plain, resource, runMockStack, stackConfig, STACK_FILES, stubProviderSerialization } from './helpers/mock-stack.js';

const RG = 'aws:elasticache/replicationGroup:ReplicationGroup';
const SG = 'aws:ec2/securityGroup:SecurityGroup';
const KMS = 'aws:kms/key:Key';
const RDS = 'aws:rds/instance:Instance';
/** What holds data or cannot be recreated without losing it. */
const STATEFUL = [RDS, RG, KMS, 'vercel:index/project:Project', 'pulumi-nodejs:dynamic/postgres:Access', 'aws:secretsmanager/secret:Secret', 'random:index/randomPassword:RandomPassword'];

/** The prod stack file's config with some of its prodcheck: keys changed, run under mocks. */
async function runProd(change: (config: Record<string, unknown>) => void = () => {}, extra: Record<string, string> = {}): Promise<StackRun> {
  const { deploy } = await import('../../infra/program.js');
  const { config, secretKeys } = stackConfig(STACK_FILES.prod);
  const parsed = Object.fromEntries(Object.entries(config).map(([k, v]) => [k, k.startsWith('prodcheck:') ? JSON.parse(v) : v]));
  change(parsed);
  const engine = Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  return runMockStack({ ...engine, ...extra }, secretKeys, deploy);
}

type Obj = Record<string, Record<string, unknown>>;

let prod: StackRun;
let privateVpc: StackRun;
beforeAll(async () => {
  stubProviderSerialization();
  prod = await runProd();
  privateVpc = await runProd((c) => {
    (c['prodcheck:postgres'] as Obj).network = { ...(c['prodcheck:postgres'] as Obj).network, vpcId: 'vpc-private', subnetIds: ['subnet-p1', 'subnet-p2'] };
  });
});

describe('ElastiCache keeps its data', () => {
  test('a final snapshot on delete, protect, and at-rest encryption with the stack’s own rotated key', () => {
    const rg = resource(prod, RG, 'chat-cache-redis');
    const inputs = plain(rg.inputs) as Record<string, unknown>;
    expect(inputs.finalSnapshotIdentifier).toBe('chat-prod-redis-final');
    expect(inputs.kmsKeyId).toBe('arn:aws:kms:us-east-1:123456789012:key/chat-cache-kms');
    expect(inputs.atRestEncryptionEnabled).toBe(true);
    expect(rg.options.protect).toBe(true);
    const key = resource(prod, KMS, 'chat-cache-kms');
    expect(key.options.protect).toBe(true);
    expect(plain(key.inputs)).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 30 });
  });

  test('without persistence the group has no final snapshot and is not protected', async () => {
    const run = await runProd((c) => {
      (c['prodcheck:redis'] as Record<string, unknown>).persistence = 'none';
    });
    const rg = resource(run, RG, 'chat-cache-redis');
    expect((plain(rg.inputs) as Record<string, unknown>).finalSnapshotIdentifier).toBeUndefined();
    expect(rg.options.protect).toBe(false);
  });
});

describe('keys and the Vercel project are protected', () => {
  test('the database key and the Vercel project carry protect', () => {
    expect(resource(prod, KMS, 'chat-db-kms').options.protect).toBe(true);
    expect(resource(prod, 'vercel:index/project:Project', 'chat-app-project').options.protect).toBe(true);
    expect(resource(prod, RDS, 'chat-db-instance').options).toMatchObject({ protect: true, ignoreChanges: ['identifier'] });
  });
});

describe('renaming app.name', () => {
  test('with app:previousNames, each component takes an alias from its old name and every stateful resource keeps its name below it', async () => {
    const renamed = await runProd(
      (c) => {
        (c['prodcheck:app'] as Record<string, unknown>).name = 'talk';
      },
      { 'app:previousNames': 'chat' },
    );
    const components = renamed.resources.filter((r) => r.type.startsWith('prodcheck:'));
    expect(components.map((r) => [r.name, r.options.aliases])).toEqual([
      ['talk-db', [{ name: 'chat-db' }]],
      ['talk-cache', [{ name: 'chat-cache' }]],
      ['talk-billing', [{ name: 'chat-billing' }]],
      ['talk-monitoring', [{ name: 'chat-monitoring' }]],
      ['talk-app', [{ name: 'chat-app' }]],
      ['talk-logs', [{ name: 'chat-logs' }]],
      ['talk-uptime', [{ name: 'chat-uptime' }]],
      ['talk-datadog', [{ name: 'chat-datadog' }]],
      ['talk-ci', [{ name: 'chat-ci' }]],
    ]);
    // The engine's rule (inheritedChildAlias): a child named <parent>-x aliases to <old parent>-x.
    const inherited = (r: MockResource) => {
      const parent = components.find((c) => c.name === r.parent);
      if (!parent || !r.name.startsWith(parent.name)) return undefined;
      return `${(parent.options.aliases?.[0] as { name: string }).name}${r.name.slice(parent.name.length)}`;
    };
    const stateful = renamed.resources.filter((r) => STATEFUL.includes(r.type));
    expect(stateful.length).toBeGreaterThan(8);
    const before = new Set(prod.resources.map((r) => `${r.type}::${r.name}`));
    for (const r of stateful) expect(before.has(`${r.type}::${inherited(r)}`), `${r.type} ${r.name}`).toBe(true);
    // Names set at creation are not changed in place: the identifier of the instance and the proxy's name.
    expect((plain(resource(renamed, RDS, 'talk-db-instance').inputs) as Record<string, unknown>).identifier).toBe('talk-prod-postgres');
    expect(resource(renamed, RDS, 'talk-db-instance').options.ignoreChanges).toEqual(['identifier']);
  });

  test('without previous names there are no aliases', () => {
    expect(prod.resources.filter((r) => r.options.aliases !== undefined && r.options.aliases.length > 0)).toEqual([]);
  });
});

describe('the cache network', () => {
  test('the cache’s security group is in the database’s VPC (postgres.network.vpcId), on its subnets', () => {
    expect((plain(resource(privateVpc, SG, 'chat-cache-sg').inputs) as Record<string, unknown>).vpcId).toBe('vpc-private');
    expect((plain(resource(privateVpc, SG, 'chat-db-sg').inputs) as Record<string, unknown>).vpcId).toBe('vpc-private');
    expect((plain(resource(privateVpc, 'aws:elasticache/subnetGroup:SubnetGroup', 'chat-cache-subnets').inputs) as Record<string, unknown>).subnetIds).toEqual(['subnet-p1', 'subnet-p2']);
  });

  test('the cache admits its own sources on 6379 when redis.elasticache.allowedCidrs is set, else the database’s', async () => {
    const ingress = (run: StackRun) => (plain(resource(run, SG, 'chat-cache-sg').inputs) as { ingress: unknown[] }).ingress;
    expect(ingress(prod)).toEqual([{ protocol: 'tcp', fromPort: 6379, toPort: 6379, cidrBlocks: ['10.60.0.0/16'], securityGroups: [], description: 'app networks' }]);
    const own = await runProd((c) => {
      (c['prodcheck:redis'] as Obj).elasticache = { ...(c['prodcheck:redis'] as Obj).elasticache, allowedCidrs: ['10.70.0.0/16'], allowedSecurityGroupIds: ['sg-worker'] };
    });
    expect(ingress(own)).toEqual([{ protocol: 'tcp', fromPort: 6379, toPort: 6379, cidrBlocks: ['10.70.0.0/16'], securityGroups: ['sg-worker'], description: 'app networks' }]);
  });

  test('a cache in a VPC of its own (redis.elasticache.vpcId) does not take the database’s subnets', async () => {
    const run = await runProd((c) => {
      (c['prodcheck:postgres'] as Obj).network = { ...(c['prodcheck:postgres'] as Obj).network, vpcId: 'vpc-private', subnetIds: ['subnet-p1'] };
      (c['prodcheck:redis'] as Obj).elasticache = { ...(c['prodcheck:redis'] as Obj).elasticache, vpcId: 'vpc-cache' };
    });
    expect((plain(resource(run, SG, 'chat-cache-sg').inputs) as Record<string, unknown>).vpcId).toBe('vpc-cache');
    expect((plain(resource(run, 'aws:elasticache/subnetGroup:SubnetGroup', 'chat-cache-subnets').inputs) as Record<string, unknown>).subnetIds).toEqual(['subnet-a', 'subnet-b', 'subnet-c']);
  });
});
