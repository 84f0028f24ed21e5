import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackSpecSchema, targetsSchema } from '../../../spec/index.js';
import { Redactor } from '../../../report/redact.js';
import { awsCollector, type AwsSnapshot, type RdsState } from '../../../verify/aws/collect.js';
import { startHostileApi, type HostileApi, type Hostility } from '../../helpers/hostile-api.js';

// An AWS API that hangs, floods or fails: each call ends as an error that says what happened, at once.
const INSTANCE_XML = `<DescribeDBInstancesResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><DescribeDBInstancesResult><DBInstances><DBInstance>
<DBInstanceIdentifier>chat-db</DBInstanceIdentifier><DBInstanceStatus>available</DBInstanceStatus><Engine>postgres</Engine><EngineVersion>16.4</EngineVersion>
<DBInstanceClass>db.t4g.medium</DBInstanceClass><PubliclyAccessible>false</PubliclyAccessible><StorageEncrypted>true</StorageEncrypted><BackupRetentionPeriod>7</BackupRetentionPeriod>
<DeletionProtection>true</DeletionProtection><VpcSecurityGroups></VpcSecurityGroups></DBInstance></DBInstances></DescribeDBInstancesResult>
<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></DescribeDBInstancesResponse>`;
const SNAPSHOTS_XML = `<DescribeDBSnapshotsResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><DescribeDBSnapshotsResult><DBSnapshots></DBSnapshots></DescribeDBSnapshotsResult>
<ResponseMetadata><RequestId>req-2</RequestId></ResponseMetadata></DescribeDBSnapshotsResponse>`;
const ok = (body: string): Hostility => ({ kind: 'status', status: 200, body, contentType: 'text/xml' });

let HOSTILITY: Hostility = ok(INSTANCE_XML);
let api: HostileApi;
const saved = { ...process.env };
beforeAll(async () => {
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIAPLANTEDTESTKEY00', AWS_SECRET_ACCESS_KEY: 'planted/secret/key/for/tests/only/0000000', AWS_EC2_METADATA_DISABLED: 'true' });
  delete process.env.AWS_PROFILE;
  api = await startHostileApi(() => HOSTILITY);
});
afterAll(async () => {
  process.env = saved;
  await api.close();
});

const spec = stackSpecSchema.parse({ app: { name: 'chat', domain: 'chat.example.com' }, postgres: { provider: 'rds', network: { allowedCidrs: ['10.60.0.0/16'] } } });

async function rds(timeoutMs = 10_000): Promise<RdsState> {
  const targets = targetsSchema.parse({ aws: { region: 'us-east-1', endpoint: api.url, rdsInstanceId: 'chat-db', timeoutMs } });
  const s: AwsSnapshot = await awsCollector.collect({ spec, targets, active: false, redactor: new Redactor(), signal: new AbortController().signal });
  if ('notOnAws' in s.rds) throw new Error('rds is on aws in this spec');
  return s.rds;
}

describe('the AWS request handler', () => {
  it('reads a well-formed answer', async () => {
    HOSTILITY = ok(INSTANCE_XML);
    const r = await rds();
    expect(r.instance).toMatchObject({ ok: true, value: { status: 'available', engine: 'postgres', backupRetentionDays: 7 } });
    HOSTILITY = ok(SNAPSHOTS_XML);
    expect((await rds()).newestSnapshot).toEqual({ ok: true, value: null });
  });

  it('stops reading a 300 MB body at the cap, as an error naming the cap, without retrying', async () => {
    HOSTILITY = { kind: 'flood', contentType: 'text/xml' };
    const before = api.requests.length;
    expect((await rds()).instance).toEqual({ ok: false, error: 'rds:DescribeDBInstances failed: the AWS API answered with a body larger than 16777216 bytes: prodcheck reads no further' });
    // One DescribeDBInstances and one DescribeDBSnapshots, neither retried.
    expect(api.requests.length - before).toBe(2);
  }, 60_000);

  it('ends a hanging API within aws.timeoutMs, without retrying', async () => {
    HOSTILITY = { kind: 'hang' };
    const before = api.requests.length;
    const r = await rds(300);
    expect(r.instance).toEqual({ ok: false, error: 'rds:DescribeDBInstances failed: the AWS API did not answer within 300 ms' });
    expect(r.newestSnapshot).toEqual({ ok: false, error: 'rds:DescribeDBSnapshots failed: the AWS API did not answer within 300 ms' });
    expect(api.requests.length - before).toBe(2);
  }, 20_000);

  it('ends an answer that trickles forever within aws.timeoutMs (no socket is ever idle)', async () => {
    HOSTILITY = { kind: 'trickle', contentType: 'text/xml' };
    const r = await rds(300);
    expect(r.instance).toEqual({ ok: false, error: 'rds:DescribeDBInstances failed: the AWS API did not answer within 300 ms' });
  }, 20_000);

  it('names the HTTP status and the text of an error page that is not AWS XML', async () => {
    HOSTILITY = { kind: 'status', status: 502, body: '<html><body>502 Bad Gateway</body></html>', contentType: 'text/html' };
    const before = api.requests.length;
    expect((await rds()).instance).toEqual({ ok: false, error: 'rds:DescribeDBInstances failed: HTTP 502 (an answer that is not an AWS error)' });
    // A 5xx is worth the SDK's 3 attempts, for each of the two calls.
    expect(api.requests.length - before).toBe(6);
  }, 30_000);

  it('names the HTTP status, AWS error code and message of a refusal and of a server error', async () => {
    HOSTILITY = {
      kind: 'status',
      status: 403,
      contentType: 'text/xml',
      body: '<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User is not authorized to perform rds:DescribeDBInstances</Message></Error><RequestId>req-9</RequestId></ErrorResponse>',
    };
    expect((await rds()).instance).toEqual({ ok: false, error: "AWS refused rds:DescribeDBInstances (HTTP 403 AccessDenied: User is not authorized to perform rds:DescribeDBInstances): allow rds:DescribeDBInstances for the verifier's credentials" });
    HOSTILITY = {
      kind: 'status',
      status: 500,
      contentType: 'text/xml',
      body: '<ErrorResponse><Error><Type>Receiver</Type><Code>InternalFailure</Code><Message>The request processing has failed</Message></Error><RequestId>req-10</RequestId></ErrorResponse>',
    };
    expect((await rds()).instance).toEqual({ ok: false, error: 'rds:DescribeDBInstances failed: HTTP 500 (InternalFailure: The request processing has failed)' });
  }, 30_000);
});
