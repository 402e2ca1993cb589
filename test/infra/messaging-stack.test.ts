import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataStack } from '../../infra/stacks/data-stack.ts';
import { MessagingStack } from '../../infra/stacks/messaging-stack.ts';
import { WORKERS } from '../../infra/workers.ts';
import { actionsOfRole, appWithoutBundling, AUDIT_SUBSCRIPTION, AUDIT_WORKER, LOG_RETENTION } from './helpers.ts';

function build(overrides: Partial<ConstructorParameters<typeof MessagingStack>[2]> = {}) {
  const app = appWithoutBundling();
  const data = new DataStack(app, 'Data');
  const messaging = new MessagingStack(app, 'Messaging', {
    prefix: 'openim-hooks-test',
    tables: data.tables,
    logRetention: LOG_RETENTION,
    subscriptions: [AUDIT_SUBSCRIPTION],
    workers: [AUDIT_WORKER],
    ...overrides,
  });
  return { data, messaging };
}

describe('Stack: MessagingStack', () => {
  let template: Template;

  beforeAll(() => {
    template = Template.fromStack(build().messaging);
  });

  it('names the chat-events topic per stage and encrypts it', () => {
    template.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: 'openim-hooks-test-chat-events',
      KmsMasterKeyId: Match.anyValue(),
    });
  });

  it('creates a queue and a DLQ per subscription', () => {
    template.resourceCountIs('AWS::SQS::Queue', 2);
  });

  it('redrives the audit queue to its DLQ after 5 receives', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'openim-hooks-test-audit',
      VisibilityTimeout: 180,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('AuditQueueDeadLetterQueue'), 'Arn'] },
        maxReceiveCount: 5,
      },
    });
  });

  it('gives every queue a DLQ: only DLQs lack a redrive policy, and each is someone\'s target', () => {
    const queues = Object.entries(template.findResources('AWS::SQS::Queue'));
    const targets = queues.flatMap(([, q]) => (q.Properties.RedrivePolicy ? [q.Properties.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0]] : []));
    const withoutRedrive = queues.filter(([, q]) => !q.Properties.RedrivePolicy).map(([id]) => id);
    expect(withoutRedrive.sort()).toEqual([...targets].sort());
  });

  it('encrypts every queue with SSE-SQS', () => {
    for (const queue of Object.values(template.findResources('AWS::SQS::Queue'))) {
      expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
    }
  });

  it('denies non-TLS requests on every queue', () => {
    const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy'));
    const denyingQueues = policies.flatMap((policy) =>
      (policy.Properties.PolicyDocument.Statement as { Effect: string; Condition?: unknown }[]).some(
        (s) => s.Effect === 'Deny' && JSON.stringify(s.Condition) === JSON.stringify({ Bool: { 'aws:SecureTransport': 'false' } }),
      )
        ? policy.Properties.Queues
        : [],
    );
    expect(denyingQueues).toHaveLength(2);
  });

  it('subscribes the queue with raw delivery and the eventType filter policy', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs',
      RawMessageDelivery: true,
      FilterPolicy: { eventType: ['callbackAfterSendSingleMsgCommand', { prefix: 'callbackAfterUser' }] },
    });
  });

  it('consumes every worker\'s queue with partial batch responses', () => {
    const app = appWithoutBundling();
    const all = Template.fromStack(new MessagingStack(app, 'AllWorkers', { prefix: 'p', tables: new DataStack(app, 'AllData').tables, logRetention: LOG_RETENTION }));
    const mappings = Object.values(all.findResources('AWS::Lambda::EventSourceMapping'));
    expect(mappings).toHaveLength(WORKERS.length);
    for (const mapping of mappings) expect(mapping.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
  });

  it('runs the push worker one job per invocation on at most its reserved concurrency, and polls for no more', () => {
    const app = appWithoutBundling();
    const all = Template.fromStack(new MessagingStack(app, 'PushSizing', { prefix: 'p', tables: new DataStack(app, 'PushData').tables, logRetention: LOG_RETENTION }));
    const push = WORKERS.find((worker) => worker.entryName === 'push-worker')!;
    all.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'p-push-worker', ReservedConcurrentExecutions: push.reservedConcurrency });
    const [pushMapping] = Object.values(all.findResources('AWS::Lambda::EventSourceMapping')).filter((mapping) =>
      JSON.stringify(mapping.Properties.FunctionName).includes('PushWorker'),
    );
    expect(pushMapping?.Properties.BatchSize).toBe(1);
    // Maximum concurrency within the reserved concurrency: no receive is throttled into maxReceiveCount.
    expect(push.maxConcurrency).toBeLessThanOrEqual(push.reservedConcurrency!);
    expect(pushMapping?.Properties.ScalingConfig).toEqual({ MaximumConcurrency: push.maxConcurrency });
  });

  it('lets the push worker bring a failed job back sooner: sqs:ChangeMessageVisibility on its queue', () => {
    const app = appWithoutBundling();
    const all = Template.fromStack(new MessagingStack(app, 'PushRetry', { prefix: 'p', tables: new DataStack(app, 'PushRetryData').tables, logRetention: LOG_RETENTION }));
    expect(actionsOfRole(all, 'PushWorker')).toContain('sqs:ChangeMessageVisibility');
  });

  it('consumes the queue with partial batch responses', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 10,
    });
  });

  it('keeps claim-checked events in a private, SSE-encrypted bucket that expires them after 21 days, past the DLQs\' 14', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 21, Status: 'Enabled' })]) },
    });
  });

  it('denies non-TLS requests on the claim-check bucket', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });

  it('lets the worker get claim-checked events under chat-events/ and nothing else on the bucket', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
    );
    const s3Statements = statements.filter((statement) => [statement.Action].flat().some((action) => action.startsWith('s3:')));
    expect(s3Statements.map((statement) => statement.Action)).toEqual(['s3:GetObject']);
    expect(JSON.stringify(s3Statements[0]!.Resource)).toContain('/chat-events/*');
  });

  it('lets the worker write but not read its table', () => {
    const actions = actionsOfRole(template, 'AfterCallbackServiceRole');
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem']));
    expect(actions).not.toEqual(expect.arrayContaining(['dynamodb:GetItem']));
    expect(actions).not.toEqual(expect.arrayContaining(['dynamodb:Query']));
  });

  it('grants no wildcard action', () => {
    const actions = actionsOfRole(template, 'AfterCallbackServiceRole');
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
  });

  it('passes the table name to the worker in its definition\'s variable', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ AUDIT_TABLE_NAME: { 'Fn::ImportValue': Match.stringLikeRegexp('AuditTable') } }) },
    });
  });

  it("gathers full batches for a worker's batching window", () => {
    const gathering = Template.fromStack(
      build({
        subscriptions: [{ ...AUDIT_SUBSCRIPTION, visibilityTimeoutSeconds: 181 }],
        workers: [{ ...AUDIT_WORKER, batchSize: 100, batchingWindowSeconds: 1 }],
      }).messaging,
    );
    gathering.hasResourceProperties('AWS::Lambda::EventSourceMapping', { BatchSize: 100, MaximumBatchingWindowInSeconds: 1 });
  });

  it('throws every topology problem at once', () => {
    expect(() =>
      build({
        subscriptions: [{ ...AUDIT_SUBSCRIPTION, visibilityTimeoutSeconds: 30 }],
        workers: [AUDIT_WORKER, { entryName: 'before-callback', queue: 'push' }],
      }),
    ).toThrow(/visibility timeout 30s[\s\S]*queue push, which QUEUE_SUBSCRIPTIONS does not declare/);
  });

  it('refuses a maximum concurrency above the reserved concurrency or outside Lambda\'s 2-1000', () => {
    expect(() => build({ workers: [{ ...AUDIT_WORKER, reservedConcurrency: 5, maxConcurrency: 6 }] })).toThrow(/maxConcurrency 6 is above its reserved concurrency 5/);
    expect(() => build({ workers: [{ ...AUDIT_WORKER, maxConcurrency: 1 }] })).toThrow(/maxConcurrency 1 is not an integer from 2 to 1000/);
  });

  it('refuses a batch above 10 without a window, and a visibility timeout that leaves no room for the window', () => {
    expect(() => build({ workers: [{ ...AUDIT_WORKER, batchSize: 100 }] })).toThrow(/batch size above 10 needs a batching window/);
    expect(() => build({ workers: [{ ...AUDIT_WORKER, batchSize: 100, batchingWindowSeconds: 5 }] })).toThrow(
      /visibility timeout 180s is below 6x the timeout of worker after-callback \(30s\) plus its batching window \(5s\)/,
    );
  });
});
