/**
 * Amazon DocumentDB 5.0 for OpenIM's and chat's MongoDB (managed mode): TLS on, reached through
 * the URI of mongo-uri.ts (retryable writes off, the RDS CA bundle).
 */
import { Duration, RemovalPolicy, type Stack } from 'aws-cdk-lib';
import * as docdb from 'aws-cdk-lib/aws-docdb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { NagSuppressions } from 'cdk-nag';
import type { StorePlacement } from './store-settings.ts';

export const DOCUMENTDB_USERNAME = 'openim';

/** Everything but letters and digits: the password is spliced into a URI by a shell, unescaped. */
const NOT_ALPHANUMERIC = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~ ';

/** Two instances in the private subnets, in `stack` (logical IDs `DocDb...`), reachable from the task only. */
export function documentDb(stack: Stack, props: StorePlacement): docdb.DatabaseCluster {
  const parameterGroup = new docdb.ClusterParameterGroup(stack, 'DocDbParameters', {
    family: 'docdb5.0',
    parameters: { tls: 'enabled', audit_logs: 'enabled' },
    description: 'OpenIM: TLS required, audit logs on',
  });
  const cluster = new docdb.DatabaseCluster(stack, 'DocDb', {
    masterUser: { username: DOCUMENTDB_USERNAME, excludeCharacters: NOT_ALPHANUMERIC },
    engineVersion: '5.0.0',
    // Not 27017: port obfuscation against untargeted scans (the address is passed to OpenIM anyway).
    port: 27117,
    instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE),
    instances: 2,
    vpc: props.vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    parameterGroup,
    storageEncrypted: true,
    deletionProtection: true,
    backup: { retention: Duration.days(7) },
    exportAuditLogsToCloudWatch: true,
    exportProfilerLogsToCloudWatch: true,
    removalPolicy: RemovalPolicy.SNAPSHOT,
  });
  cluster.connections.allowDefaultPortFrom(props.taskSecurityGroup, 'OpenIM task');
  NagSuppressions.addResourceSuppressions(
    cluster,
    [
      {
        id: 'AwsSolutions-DOC4',
        reason: 'Master password rotation would break OpenIM, which reads the password only at start; rotate by redeploying the service after a manual rotation.',
      },
      {
        id: 'AwsSolutions-SMG4',
        reason: 'See AwsSolutions-DOC4: the password is rotated together with an OpenIM restart.',
      },
      {
        id: 'AwsSolutions-DOC5',
        reason: 'DocumentDB exports only the "audit" and "profiler" log types, and both are exported; the audit log (audit_logs=enabled in the parameter group) records the authenticate, createIndex and dropCollection events this rule names.',
        appliesTo: ['LogExport::authenticate', 'LogExport::createIndex', 'LogExport::dropCollection'],
      },
      {
        id: 'CdkNagValidationFailure',
        reason: 'AwsSolutions-DOC3 cannot resolve the master username, a Secrets Manager dynamic reference; the username is "openim", not a default.',
      },
    ],
    true,
  );
  return cluster;
}
