/**
 * The VPC shared by OpenIM on ECS and, for `apiEndpoint=private`, the execute-api endpoint
 * through which OpenIM reaches the callbacks API. Created here, or looked up with `-c vpcId=...`
 * (a lookup needs AWS credentials at synth and an account/region on the stack).
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

export interface NetworkStackProps extends StackProps {
  /** Use this VPC instead of creating one. @default a new VPC */
  readonly vpcId?: string | undefined;
  /** NAT gateways (one per AZ survives an AZ outage). @default 1 */
  readonly natGateways?: number;
  readonly logRetention: logs.RetentionDays;
}

export class NetworkStack extends Stack {
  public readonly vpc: ec2.IVpc;

  constructor(scope: Construct, id: string, props: NetworkStackProps) {
    super(scope, id, props);
    if (props.vpcId) {
      this.vpc = ec2.Vpc.fromLookup(this, 'Vpc', { vpcId: props.vpcId });
      return;
    }
    const flowLogs = new logs.LogGroup(this, 'FlowLogs', { retention: props.logRetention });
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: props.natGateways ?? 1,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
      ],
      flowLogs: { all: { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs) } },
    });
  }
}
