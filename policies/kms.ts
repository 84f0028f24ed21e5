import { resourcePolicy } from './lib/define.js';
import { TYPES } from './lib/resources.js';
import { asBoolean, asString, isUnknown } from './lib/values.js';

/** Key specs AWS KMS rotates automatically: symmetric encryption keys (and HMAC keys cannot rotate). */
const ROTATABLE = [undefined, '', 'SYMMETRIC_DEFAULT'];

interface Statement {
  readonly Sid?: string;
  readonly Effect?: string;
  readonly Principal?: unknown;
  readonly Condition?: unknown;
}

function isWildcard(principal: unknown): boolean {
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null) return false;
  const aws = (principal as Record<string, unknown>).AWS;
  return aws === '*' || (Array.isArray(aws) && aws.includes('*'));
}

/** Statements of a key policy that let anyone use the key: Allow, principal *, no condition to narrow it. */
function openStatements(policy: string): string[] | undefined {
  let doc: { Statement?: Statement | Statement[] };
  try {
    doc = JSON.parse(policy) as typeof doc;
  } catch {
    return undefined;
  }
  const statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
  return statements.flatMap((s, i) => (s.Effect === 'Allow' && isWildcard(s.Principal) && (s.Condition === undefined || s.Condition === null) ? [s.Sid ?? `#${i + 1}`] : []));
}

export const platformKmsKeys = resourcePolicy({
  id: 'platform.kms-keys',
  remediation:
    'Set enableKeyRotation: true on every symmetric aws.kms.Key, and give its policy statements named principals (the account root, the roles that use the key) or a Condition; omit policy for the default key policy, which names the account.',
  types: [TYPES.kmsKey],
  config: {},
  check(key) {
    const out: string[] = [];
    const spec = asString(key.props.customerMasterKeySpec ?? key.props.keySpec);
    const rotation = asBoolean(key.props.enableKeyRotation);
    if (!isUnknown(spec) && ROTATABLE.includes(spec) && !isUnknown(rotation) && rotation !== true) {
      out.push(`enableKeyRotation must be true so KMS rotates the key material every year (found ${rotation === undefined ? 'not set' : 'false'})`);
    }
    const policy = asString(key.props.policy);
    if (typeof policy === 'string' && policy !== '') {
      const open = openStatements(policy);
      if (open === undefined) out.push('policy must be a JSON key policy (found text that does not parse)');
      else for (const sid of open) out.push(`key policy statement ${sid} allows Principal "*" without a Condition: anyone in any account could use the key`);
    }
    return out;
  },
});

export const KMS_POLICIES = [platformKmsKeys];
