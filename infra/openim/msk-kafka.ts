/**
 * Amazon MSK for OpenIM's Kafka (managed mode). OpenIM v3.8.3 and main (kafka.yml,
 * pkg/common/storage/kafka/sarama.go) have a TLS switch (`tls.enableTLS`; system CAs when
 * `tls.caCrt` is empty) and a SASL username/password, but never set sarama's SASL mechanism, so
 * SASL would be PLAIN, which MSK does not offer (only SCRAM-SHA-512, IAM and mTLS). Clients
 * therefore connect over TLS without SASL, and only the OpenIM task's security group reaches the
 * brokers.
 */
import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as msk from 'aws-cdk-lib/aws-msk';
import * as cr from 'aws-cdk-lib/custom-resources';
import { NagSuppressions } from 'cdk-nag';
import { mskServerProperties } from './kafka-settings.ts';
import { PORTS, type StorePlacement, type StoreSettings } from './store-settings.ts';

/** The Kafka version of the container image, so both modes run the same broker version. */
const MSK_KAFKA_VERSION = '3.5.1';

/** Construct ID of the Lambda that CDK shares among a stack's AwsCustomResources. */
const AWS_CUSTOM_RESOURCE_SINGLETON = 'AWS679f53fac002430cb0da5b7982bd2287';

/** One broker per private subnet's AZ (at least 2), in `stack` (logical IDs `Kafka...`). */
export function mskKafka(stack: Stack, props: StorePlacement & { readonly prefix: string; readonly logRetention: logs.RetentionDays }): StoreSettings {
  const subnets = props.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, onePerAz: true });
  const brokerCount = subnets.subnetIds.length;
  if (brokerCount < 2) throw new Error('openimDependencies=managed needs private subnets in at least 2 AZs for Amazon MSK');
  const securityGroup = new ec2.SecurityGroup(stack, 'KafkaSg', { vpc: props.vpc, description: 'MSK brokers from the OpenIM task' });
  securityGroup.addIngressRule(props.taskSecurityGroup, ec2.Port.tcp(PORTS.mskTls), 'OpenIM task, Kafka over TLS');
  const configuration = new msk.CfnConfiguration(stack, 'KafkaConfiguration', {
    name: `${props.prefix}-openim`,
    description: 'OpenIM: topics created on first use, replication fitted to the broker count',
    kafkaVersionsList: [MSK_KAFKA_VERSION],
    serverProperties: mskServerProperties(brokerCount),
  });
  const brokerLogs = new logs.LogGroup(stack, 'KafkaBrokerLogs', { retention: props.logRetention });
  const cluster = new msk.CfnCluster(stack, 'Kafka', {
    clusterName: `${props.prefix}-openim`,
    kafkaVersion: MSK_KAFKA_VERSION,
    numberOfBrokerNodes: brokerCount,
    brokerNodeGroupInfo: {
      instanceType: 'kafka.m5.large',
      clientSubnets: subnets.subnetIds,
      securityGroups: [securityGroup.securityGroupId],
      storageInfo: { ebsStorageInfo: { volumeSize: 100 } },
    },
    clientAuthentication: { unauthenticated: { enabled: true } },
    encryptionInfo: { encryptionInTransit: { clientBroker: 'TLS', inCluster: true } },
    configurationInfo: { arn: configuration.attrArn, revision: configuration.attrLatestRevisionRevision },
    loggingInfo: { brokerLogs: { cloudWatchLogs: { enabled: true, logGroup: brokerLogs.logGroupName } } },
    enhancedMonitoring: 'PER_BROKER',
  });
  // The bootstrap brokers are no CloudFormation attribute: read them at deploy time, again
  // whenever the cluster is replaced (its ARN is the physical ID).
  const bootstrap = new cr.AwsCustomResource(stack, 'KafkaBootstrapBrokers', {
    onUpdate: {
      service: 'Kafka',
      action: 'getBootstrapBrokers',
      parameters: { ClusterArn: cluster.attrArn },
      physicalResourceId: cr.PhysicalResourceId.of(cluster.attrArn),
      outputPaths: ['BootstrapBrokerStringTls'],
    },
    policy: cr.AwsCustomResourcePolicy.fromStatements([
      new iam.PolicyStatement({ actions: ['kafka:GetBootstrapBrokers'], resources: [cluster.attrArn] }),
    ]),
    installLatestAwsSdk: false,
  });
  NagSuppressions.addResourceSuppressionsByPath(
    stack,
    `${stack.node.path}/${AWS_CUSTOM_RESOURCE_SINGLETON}`,
    [
      {
        id: 'AwsSolutions-IAM4',
        reason: 'CDK\'s AwsCustomResource provider uses AWSLambdaBasicExecutionRole, which only allows writing its own logs; its one API call (kafka:GetBootstrapBrokers) is granted on this cluster\'s ARN only.',
        appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
      },
    ],
    true,
  );
  return {
    // A comma-separated list, which OpenIM's viper loader splits into kafka.yml's `address`.
    environment: { IMENV_KAFKA_ADDRESS: bootstrap.getResponseField('BootstrapBrokerStringTls'), IMENV_KAFKA_TLS_ENABLETLS: 'true' },
    secrets: {},
  };
}
