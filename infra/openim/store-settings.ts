/** What OpenIM needs to reach one store, and what the stack builds for it. */
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';

/** Plain settings (IMENV_*, CHATENV_*) and ECS secrets for the containers. */
export interface StoreSettings {
  readonly environment: Record<string, string>;
  readonly secrets: Record<string, ecs.Secret>;
}

/** Where a managed store lives: the VPC's private subnets, reachable from the OpenIM task only. */
export interface StorePlacement {
  readonly vpc: ec2.IVpc;
  readonly taskSecurityGroup: ec2.ISecurityGroup;
}

/** Ports of OpenIM and its dependencies inside the task. */
export const PORTS = { mongo: 27017, redis: 6379, etcd: 2379, kafka: 9092, mskTls: 9094, api: 10002, gateway: 10001, chatApi: 10008, adminApi: 10009 } as const;
