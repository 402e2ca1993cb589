/**
 * Amazon ElastiCache for Redis for OpenIM's and chat's cache (managed mode), with an AUTH token.
 * OpenIM's and chat's redis.yml have a password but no TLS settings, and ElastiCache accepts an
 * AUTH token only with in-transit encryption on; the `preferred` mode takes TLS and plain
 * connections, so OpenIM connects plain, inside the VPC, and authenticates. Without a token,
 * OpenIM would send its default `openIM123`, since viper treats an empty variable as unset.
 */
import type { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { NagSuppressions } from 'cdk-nag';
import { PORTS, type StorePlacement } from './store-settings.ts';

/** A primary and a replica in two AZs, in `stack` (logical IDs `Redis...`); returns `host:port`. */
export function elastiCache(stack: Stack, props: StorePlacement & { readonly authToken: secretsmanager.ISecret }): string {
  const securityGroup = new ec2.SecurityGroup(stack, 'RedisSg', { vpc: props.vpc, description: 'Redis from the OpenIM task' });
  securityGroup.addIngressRule(props.taskSecurityGroup, ec2.Port.tcp(PORTS.redis), 'OpenIM task');
  const subnets = new elasticache.CfnSubnetGroup(stack, 'RedisSubnets', {
    description: 'OpenIM Redis',
    subnetIds: props.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnetIds,
  });
  const redis = new elasticache.CfnReplicationGroup(stack, 'Redis', {
    replicationGroupDescription: 'OpenIM cache and sequence store',
    engine: 'redis',
    engineVersion: '7.1',
    cacheNodeType: 'cache.r7g.large',
    numCacheClusters: 2,
    automaticFailoverEnabled: true,
    multiAzEnabled: true,
    atRestEncryptionEnabled: true,
    transitEncryptionEnabled: true,
    transitEncryptionMode: 'preferred',
    authToken: props.authToken.secretValue.unsafeUnwrap(),
    cacheSubnetGroupName: subnets.ref,
    securityGroupIds: [securityGroup.securityGroupId],
    snapshotRetentionLimit: 7,
  });
  NagSuppressions.addResourceSuppressions(redis, [
    {
      id: 'AwsSolutions-AEC5',
      reason: 'OpenIM and openim-chat address Redis on 6379 in their shipped configs; the security group admits only the OpenIM task.',
    },
  ]);
  return `${redis.attrPrimaryEndPointAddress}:${redis.attrPrimaryEndPointPort}`;
}
