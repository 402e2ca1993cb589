import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataStack } from '../../infra/stacks/data-stack.ts';
import { MessagingStack } from '../../infra/stacks/messaging-stack.ts';
import { CallbacksApiStack } from '../../infra/stacks/callbacks-api-stack.ts';
import { ObservabilityStack } from '../../infra/stacks/observability-stack.ts';
import { appWithoutBundling, AUDIT_SUBSCRIPTION, AUDIT_WORKER, LOG_RETENTION } from './helpers.ts';

describe('Stack: ObservabilityStack', () => {
  let template: Template;

  beforeAll(() => {
    const app = appWithoutBundling();
    const data = new DataStack(app, 'Data');
    const messaging = new MessagingStack(app, 'Messaging', {
      prefix: 'openim-hooks-test',
      tables: data.tables,
      logRetention: LOG_RETENTION,
      subscriptions: [AUDIT_SUBSCRIPTION, { ...AUDIT_SUBSCRIPTION, name: 'push' }],
      workers: [AUDIT_WORKER],
    });
    const callbacks = new CallbacksApiStack(app, 'Callbacks', {
      prefix: 'openim-hooks-test',
      stageName: 'test',
      chatEventsTopic: messaging.chatEventsTopic,
      chatEventPayloads: messaging.chatEventPayloads,
      logRetention: LOG_RETENTION,
      tables: data.tables,
    });
    template = Template.fromStack(
      new ObservabilityStack(app, 'Observability', {
        prefix: 'openim-hooks-test',
        callbacksApi: callbacks.api,
        beforeCallback: callbacks.beforeCallback,
        afterCallback: callbacks.afterCallback,
        otherFunctions: messaging.workers,
        queues: messaging.queues,
        alarmEmail: 'ops@example.com',
      }),
    );
  });

  it('alarms on the depth of every DLQ', () => {
    const dlqAlarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter(
      (alarm) => alarm.Properties.MetricName === 'ApproximateNumberOfMessagesVisible',
    );
    expect(dlqAlarms).toHaveLength(2);
    expect(dlqAlarms.every((alarm) => alarm.Properties.Threshold === 1)).toBe(true);
  });

  it('alarms on the error rate of both callbacks and every worker', () => {
    const rates = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter((alarm) =>
      JSON.stringify(alarm.Properties.Metrics ?? []).includes('Errors / '),
    );
    expect(rates).toHaveLength(3);
  });

  it.each(['fcm', 'apns', 'sns', 'outbox'])('alarms on the failure and unknown-outcome rates of push through %s', (provider) => {
    const pushAlarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter((alarm) => {
      const metrics = JSON.stringify(alarm.Properties.Metrics ?? []);
      return metrics.includes('"PushSent"') && metrics.includes(`"Value":"${provider}"`);
    });
    const expressions = pushAlarms.map((alarm) => (alarm.Properties.Metrics as { Expression?: string }[]).find((m) => m.Expression)!.Expression);
    expect(expressions.sort()).toEqual([
      expect.stringContaining(`100 * (${provider}Refused + ${provider}Failed) /`),
      expect.stringContaining(`100 * ${provider}Unknown /`),
    ]);
  });

  it('shows push latency and end-to-end delay at p50 and p99 on the dashboard', () => {
    const body = JSON.stringify(template.findResources('AWS::CloudWatch::Dashboard'));
    for (const text of ['PushProviderLatency', 'PushEndToEndDelay', 'p50', 'p99', 'Push failure rate']) expect(body).toContain(text);
  });

  it('alarms on the before-callback p99 duration', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Duration',
      ExtendedStatistic: 'p99',
      Threshold: 1000,
    });
  });

  it.each([
    { case: 'AfterEventPublishFailed', metric: 'AfterEventPublishFailed' },
    { case: 'BeforeFallbackReply', metric: 'BeforeFallbackReply' },
    { case: 'ModerationPolicyStoreUnreachable', metric: 'ModerationPolicyStoreUnreachable' },
    { case: 'ModerationPolicyUnreadable', metric: 'ModerationPolicyUnreadable' },
  ])('alarms on $case summed over its dimensions for this stage', ({ metric }) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: [
        Match.objectLike({
          Expression: `SELECT SUM(${metric}) FROM "OpenimHooks" WHERE service = 'openim-hooks-test'`,
          Period: 300,
        }),
      ],
    });
  });

  it('sends every alarm to the alarm topic', () => {
    for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^AlarmTopic/) }]);
    }
  });

  it('subscribes the alarm e-mail', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
  });

  it('creates the dashboard', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });
});
