/** Shared builders for the infra tests: apps that skip bundling, fixtures, policy readers. */
import { App, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { QueueSubscription } from '#shared/events/topology.ts';
import type { WorkerSpec } from '../../infra/workers.ts';
import { cdkJsonContext } from './cdk-json-context.ts';

/**
 * An App that does not run esbuild: assertion tests check templates, not bundles (the whole-app
 * test bundles for real). `aws:cdk:bundling-stacks: []` is CDK's switch for that. It carries
 * cdk.json's feature flags, as the CLI's synth does.
 */
export function appWithoutBundling(context: Record<string, unknown> = {}): App {
  return new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [], ...context } });
}

export const LOG_RETENTION = logs.RetentionDays.TWO_WEEKS;

export const AUDIT_SUBSCRIPTION: QueueSubscription = {
  name: 'audit',
  eventTypes: ['callbackAfterSendSingleMsgCommand', { prefix: 'callbackAfterUser' }],
  maxReceiveCount: 5,
  visibilityTimeoutSeconds: 180,
};

/** A worker on the audit queue; its entry is an existing handler since bundling is skipped. */
export const AUDIT_WORKER: WorkerSpec = {
  entryName: 'after-callback',
  queue: 'audit',
  tables: [{ table: 'audit', access: 'write' }],
};

/** A topic in a stack of its own, for stacks that only consume one. */
export function topicStack(app: App): sns.Topic {
  return new sns.Topic(new Stack(app, 'TopicStack'), 'Topic');
}

/** The chat-events topic and its claim-check bucket, in a stack of their own, as the callbacks stack takes them. */
export function chatEventResources(app: App): { chatEventsTopic: sns.Topic; chatEventPayloads: s3.Bucket } {
  const stack = new Stack(app, 'ChatEventsStack');
  return { chatEventsTopic: new sns.Topic(stack, 'Topic'), chatEventPayloads: new s3.Bucket(stack, 'Payloads') };
}

interface PolicyStatementJson {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource?: unknown;
}

/** Every Allow statement of every IAM policy in the template. */
export function allowStatements(template: Template): PolicyStatementJson[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (policy) => (policy.Properties.PolicyDocument.Statement as PolicyStatementJson[]).filter((s) => s.Effect === 'Allow'),
  );
}

export function actionsOf(statement: PolicyStatementJson): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

/** Allowed actions of the policies attached to the role whose logical ID starts with `rolePrefix`. */
export function actionsOfRole(template: Template, rolePrefix: string): string[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) =>
      (policy.Properties.Roles as { Ref: string }[]).some((role) => role.Ref.startsWith(rolePrefix)),
    )
    .flatMap((policy) => (policy.Properties.PolicyDocument.Statement as PolicyStatementJson[]).flatMap(actionsOf));
}
