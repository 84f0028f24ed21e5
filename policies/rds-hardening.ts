import { boolean, integer } from './lib/config.js';
import { resourcePolicy } from './lib/define.js';
import { TYPES } from './lib/resources.js';
import { asBoolean, asNumber, asString, found, isUnknown } from './lib/values.js';
import { isReplica } from './database.js';

// RDS settings the peers (AWSGuard, Checkov) check and a production database needs: policies/README.md maps them.


export const pgMultiAz = resourcePolicy({
  id: 'pg.multi-az',
  remediation: 'Set multiAz: true on the instance (prodcheck:postgres.multiAz): RDS keeps a synchronous standby in another Availability Zone and fails over to it.',
  types: [TYPES.rdsInstance],
  config: { required: boolean(true, 'RDS instances must be Multi-AZ (false only for a stack that is not production and does not ask for it).') },
  // A production stack always needs it; another stack only when it says multiAz: true.
  fromSpec: (spec, d) => ({ required: d.required && (spec.app.environment === 'production' || spec.postgres?.multiAz === true) }),
  outOfScope: (db, config) => (!config.required ? 'the stack is not production and does not ask for Multi-AZ' : isReplica(db) ? 'a read replica fails over with its source' : undefined),
  check(db) {
    const on = asBoolean(db.props.multiAz);
    if (isUnknown(on) || on === true) return [];
    return [`multiAz must be true so a standby in another Availability Zone takes over when the primary's zone fails (found ${found(db.props.multiAz)})`];
  },
});

export const pgEnhancedMonitoring = resourcePolicy({
  id: 'pg.enhanced-monitoring',
  remediation: 'Set monitoringInterval (1, 5, 10, 15, 30 or 60 seconds) and monitoringRoleArn to a role that trusts monitoring.rds.amazonaws.com with the AmazonRDSEnhancedMonitoringRole policy.',
  types: [TYPES.rdsInstance],
  config: { maxIntervalSeconds: integer(60, 'Longest acceptable enhanced-monitoring interval in seconds.', { minimum: 1, maximum: 60 }) },
  check(db, config) {
    const out: string[] = [];
    const interval = asNumber(db.props.monitoringInterval);
    if (!isUnknown(interval) && !(interval !== undefined && interval > 0 && interval <= config.maxIntervalSeconds)) {
      out.push(`monitoringInterval must be between 1 and ${config.maxIntervalSeconds} seconds so RDS publishes OS metrics (found ${found(db.props.monitoringInterval)})`);
    }
    const role = asString(db.props.monitoringRoleArn);
    if (!isUnknown(role) && (role === undefined || role === '')) out.push('monitoringRoleArn must name the role RDS publishes enhanced monitoring with (found not set)');
    return out;
  },
});

export const pgIamAuth = resourcePolicy({
  id: 'pg.iam-auth',
  remediation:
    'Set iamDatabaseAuthenticationEnabled: true. People and tools then connect with short-lived rds-db:connect tokens; the app keeps its generated password through the pooler, which IAM authentication does not disable.',
  types: [TYPES.rdsInstance, TYPES.rdsCluster],
  config: {},
  outOfScope: (db) => (isReplica(db) ? 'a read replica takes the setting of its source' : undefined),
  check(db) {
    const on = asBoolean(db.props.iamDatabaseAuthenticationEnabled);
    if (isUnknown(on) || on === true) return [];
    return [`iamDatabaseAuthenticationEnabled must be true so people and tools connect with short-lived IAM tokens instead of a shared password (found ${found(db.props.iamDatabaseAuthenticationEnabled)})`];
  },
});

export const RDS_HARDENING_POLICIES = [pgMultiAz, pgEnhancedMonitoring, pgIamAuth];
