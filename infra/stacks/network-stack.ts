/**
 * The VPC shared by OpenIM on ECS and, for `apiEndpoint=private`, the execute-api endpoint
 * through which OpenIM reaches the callbacks API. Created here, or looked up with `-c vpcId=...`
 * (a lookup needs AWS credentials at synth and an account/region on the stack). With
 * `openimAdminApi`, it also holds what the review Lambdas need to act on OpenIM: the internal load
 * balancer in front of its admin APIs and its generated admin secrets.
 */
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { OpenimAdminSecrets } from '../openim/secrets.ts';

/** OpenIM's REST API (openim-server) and the chat admin API (openim-chat). */
export const OPENIM_ADMIN_PORTS = { api: 10002, chatAdmin: 10009 } as const;

export interface NetworkStackProps extends StackProps {
  /** Use this VPC instead of creating one. @default a new VPC */
  readonly vpcId?: string | undefined;
  /** NAT gateways (one per AZ survives an AZ outage). @default 1 */
  readonly natGateways?: number;
  readonly logRetention: logs.RetentionDays;
  /** Adds the internal load balancer in front of OpenIM's admin APIs and OpenIM's admin secrets. @default false */
  readonly openimAdminApi?: boolean;
  /** Prefix of the admin secrets' names (`<prefix>/openim/...`). @default 'openim-hooks' */
  readonly prefix?: string;
}

/** The internal load balancer in front of OpenIM's admin APIs; the OpenIM stack registers its task. */
export interface OpenimAdminLoadBalancer {
  /** `http://<internal DNS name>:10002`, OpenIM's API. */
  readonly apiUrl: string;
  /** `http://<internal DNS name>:10009`, the chat admin API. */
  readonly chatApiUrl: string;
  readonly apiTargetGroup: elbv2.NetworkTargetGroup;
  readonly chatAdminTargetGroup: elbv2.NetworkTargetGroup;
  /**
   * OpenIM's share secret and chat's admin account: here, deployed before the Lambdas' stacks that
   * resolve them by name, for the reason the load balancer is here.
   */
  readonly secrets: OpenimAdminSecrets;
}

export class NetworkStack extends Stack {
  public readonly vpc: ec2.IVpc;
  public readonly openimAdmin: OpenimAdminLoadBalancer | undefined;

  constructor(scope: Construct, id: string, props: NetworkStackProps) {
    super(scope, id, props);
    this.vpc = props.vpcId ? ec2.Vpc.fromLookup(this, 'Vpc', { vpcId: props.vpcId }) : this.createVpc(props);
    this.openimAdmin = props.openimAdminApi ? this.openimAdminLoadBalancer(props.prefix ?? 'openim-hooks') : undefined;
  }

  private createVpc(props: NetworkStackProps): ec2.Vpc {
    const flowLogs = new logs.LogGroup(this, 'FlowLogs', { retention: props.logRetention });
    return new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: props.natGateways ?? 1,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
      ],
      flowLogs: { all: { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs) } },
    });
  }

  /**
   * Here rather than in the OpenIM stack: the review Lambdas (messaging and operator stacks) need
   * its address, and the OpenIM stack already depends on those stacks through the callbacks API,
   * so a reference the other way would be a cycle. Internal, in the private subnets, TCP only.
   */
  private openimAdminLoadBalancer(prefix: string): OpenimAdminLoadBalancer {
    const securityGroup = new ec2.SecurityGroup(this, 'OpenimAdminLbSg', {
      vpc: this.vpc,
      description: 'OpenIM admin API load balancer: from inside the VPC',
    });
    for (const port of Object.values(OPENIM_ADMIN_PORTS)) {
      securityGroup.addIngressRule(ec2.Peer.ipv4(this.vpc.vpcCidrBlock), ec2.Port.tcp(port), `OpenIM admin port ${port}`);
    }
    NagSuppressions.addResourceSuppressions(securityGroup, [
      {
        id: 'CdkNagValidationFailure',
        reason: 'AwsSolutions-EC23 cannot resolve the VPC CIDR token; every ingress rule admits the VPC\'s own CIDR only, never 0.0.0.0/0.',
      },
    ]);
    const loadBalancer = new elbv2.NetworkLoadBalancer(this, 'OpenimAdminLb', {
      vpc: this.vpc,
      internetFacing: false,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [securityGroup],
      crossZoneEnabled: true,
    });
    NagSuppressions.addResourceSuppressions(loadBalancer, [
      {
        id: 'AwsSolutions-ELB2',
        reason: 'Network Load Balancers write access logs only for TLS listeners; both listeners are plain TCP inside the VPC, and the VPC flow logs record the connections.',
      },
    ]);
    const targetGroup = (name: string, port: number): elbv2.NetworkTargetGroup => {
      const group = new elbv2.NetworkTargetGroup(this, `${name}Targets`, {
        vpc: this.vpc,
        port,
        protocol: elbv2.Protocol.TCP,
        // Fargate tasks (awsvpc) register by IP.
        targetType: elbv2.TargetType.IP,
        healthCheck: { protocol: elbv2.Protocol.TCP, interval: Duration.seconds(30), healthyThresholdCount: 3, unhealthyThresholdCount: 3 },
        deregistrationDelay: Duration.seconds(30),
      });
      loadBalancer.addListener(`${name}Listener`, { port, protocol: elbv2.Protocol.TCP, defaultTargetGroups: [group] });
      return group;
    };
    return {
      apiUrl: `http://${loadBalancer.loadBalancerDnsName}:${OPENIM_ADMIN_PORTS.api}`,
      chatApiUrl: `http://${loadBalancer.loadBalancerDnsName}:${OPENIM_ADMIN_PORTS.chatAdmin}`,
      apiTargetGroup: targetGroup('OpenimApi', OPENIM_ADMIN_PORTS.api),
      chatAdminTargetGroup: targetGroup('OpenimChatAdmin', OPENIM_ADMIN_PORTS.chatAdmin),
      secrets: new OpenimAdminSecrets(this, 'OpenimAdminSecrets', { prefix }),
    };
  }
}
