/**
 * Alarms and the dashboard, in one place with one alarm topic: every DLQ's depth, each callback
 * Lambda's error rate, the before-callback's p99 duration (it is in OpenIM's send path), the
 * service's own AfterEventPublishFailed and BeforeFallbackReply metrics, a moderation policy store
 * that cannot be read or a stored version that cannot be used, and per push provider
 * the rate of notifications that failed or whose outcome is unknown (shared/push/push-metrics.ts).
 */
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { METRIC_NAMES, type MetricName } from '#shared/observability/metrics.ts';
import { PUSH_PROVIDER_NAMES } from '#shared/push/device.ts';
import { PUSH_METRICS } from '#shared/push/push-metrics.ts';
import { type CallbackFunction, METRICS_NAMESPACE } from '../constructs/callback-function.ts';
import type { SubscribedQueue } from '../constructs/subscribed-queue.ts';
import { pascal } from './messaging-stack.ts';

export interface ObservabilityStackProps extends StackProps {
  readonly prefix: string;
  readonly callbacksApi: apigateway.RestApi;
  readonly beforeCallback: CallbackFunction;
  readonly afterCallback: CallbackFunction;
  /** Workers and route functions: error-rate alarms and dashboard lines like the callbacks'. */
  readonly otherFunctions: readonly CallbackFunction[];
  readonly queues: readonly SubscribedQueue[];
  /** E-mail subscribed to the alarm topic. @default none */
  readonly alarmEmail?: string | undefined;
  /** @default 1000 ms: OpenIM waits 5 s, the handler budget is 300 ms; p99 above 1 s means trouble. */
  readonly beforeP99ThresholdMs?: number;
  /** @default 1 (%) */
  readonly errorRateThresholdPercent?: number;
  /** Push notifications refused or surely failed, per provider. @default 5 (%) */
  readonly pushFailureRateThresholdPercent?: number;
  /** Push notifications sent without an answer (possibly not shown), per provider. @default 1 (%) */
  readonly pushUnknownRateThresholdPercent?: number;
}

/** Providers that push metrics name: the registrable ones and the outbox of `PUSH_DELIVERY=outbox`. */
const PUSH_PROVIDERS = [...PUSH_PROVIDER_NAMES, 'outbox'] as const;

const PERIOD = Duration.minutes(5);

export class ObservabilityStack extends Stack {
  public readonly alarmTopic: sns.Topic;
  public readonly alarms: cloudwatch.Alarm[] = [];
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ObservabilityStackProps) {
    super(scope, id, props);

    // 1. Where alarms go.
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      topicName: `${props.prefix}-alarms`,
      masterKey: kms.Alias.fromAliasName(this, 'SnsManagedKey', 'alias/aws/sns'),
      enforceSSL: true,
    });
    if (props.alarmEmail) this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));

    // 2. DLQ depth: any message there is an event a consumer gave up on.
    for (const { subscription, deadLetterQueue } of props.queues) {
      this.alarm(`${subscription.name}DlqDepth`, {
        alarmDescription: `Messages in the ${subscription.name} DLQ: inspect, fix, then redrive`,
        metric: deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
      });
    }

    // 3. Error rate of every function.
    const functions = [props.beforeCallback, props.afterCallback, ...props.otherFunctions];
    for (const fn of functions) {
      this.alarm(`${functionKey(fn)}ErrorRate`, {
        alarmDescription: `Error rate of ${fn.node.id} above ${props.errorRateThresholdPercent ?? 1}%`,
        metric: errorRate(fn),
        threshold: props.errorRateThresholdPercent ?? 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
      });
    }

    // 4. Before-callback latency: OpenIM blocks the sender while it waits.
    const beforeP99 = props.beforeCallback.metricDuration({ period: PERIOD, statistic: 'p99' });
    this.alarm('BeforeCallbackP99', {
      alarmDescription: 'before-callback p99 duration: senders wait for it',
      metric: beforeP99,
      threshold: props.beforeP99ThresholdMs ?? 1000,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
    });

    // 5. The service's own metrics, summed over their dimensions (eventType, reason, ...).
    const publishFailed = this.alarmOnServiceCount(
      METRIC_NAMES.afterEventPublishFailed,
      props.prefix,
      1,
      'After-callbacks that could not be published to chat-events (events lost)',
    );
    const fallbackReplies = this.alarmOnServiceCount(
      METRIC_NAMES.beforeFallbackReply,
      props.prefix,
      5,
      'Callbacks answered with the fail-open/fail-closed fallback instead of a decision',
    );

    // 6. The moderation policy: a store that cannot be read keeps the last good version in force and
    // holds newer ones back; a stored version that cannot be used at all keeps the one before it.
    const policyStoreUnreachable = this.alarmOnServiceCount(
      METRIC_NAMES.moderationPolicyStoreUnreachable,
      props.prefix,
      5,
      'Reads of the moderation policy store failing (retried with backoff): the last good policy stays in force, newer versions wait',
    );
    const policyUnreadable = this.alarmOnServiceCount(
      METRIC_NAMES.moderationPolicyUnreadable,
      props.prefix,
      1,
      'The newest stored moderation policy cannot be read or compiled: the version before it stays in force',
    );

    // 7. Push, per provider: a broken key or an overloaded provider shows here before users notice.
    const push = PUSH_PROVIDERS.map((provider) => ({ provider, rates: pushRates(props.prefix, provider) }));
    for (const { provider, rates } of push) {
      this.alarm(`Push${pascal(provider)}FailureRate`, {
        alarmDescription: `Push through ${provider}: over ${props.pushFailureRateThresholdPercent ?? 5}% refused or failed after every attempt (credentials, payload, outage)`,
        metric: rates.failure,
        threshold: props.pushFailureRateThresholdPercent ?? 5,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
      });
      this.alarm(`Push${pascal(provider)}UnknownRate`, {
        alarmDescription: `Push through ${provider}: over ${props.pushUnknownRateThresholdPercent ?? 1}% sent without an answer; not resent, so possibly not shown`,
        metric: rates.unknown,
        threshold: props.pushUnknownRateThresholdPercent ?? 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 2,
        datapointsToAlarm: 2,
      });
    }

    // 8. The dashboard.
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: `${props.prefix}` });
    const api = props.callbacksApi;
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Callbacks API: requests and errors',
        left: [api.metricCount({ period: PERIOD }), api.metricClientError({ period: PERIOD }), api.metricServerError({ period: PERIOD })],
      }),
      new cloudwatch.GraphWidget({
        title: 'Callbacks API: latency p99',
        left: [api.metricLatency({ period: PERIOD, statistic: 'p99' }), api.metricIntegrationLatency({ period: PERIOD, statistic: 'p99' })],
      }),
      new cloudwatch.GraphWidget({ title: 'before-callback duration p99', left: [beforeP99] }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Invocations',
        left: functions.map((fn) => fn.metricInvocations({ period: PERIOD, label: fn.node.id })),
      }),
      new cloudwatch.GraphWidget({
        title: 'Error rate (%)',
        left: functions.map((fn) => errorRate(fn)),
      }),
      new cloudwatch.GraphWidget({
        title: 'Fallback replies, publish failures, unknown commands, invalid after-events',
        left: [
          fallbackReplies,
          publishFailed,
          serviceMetric(METRIC_NAMES.unknownCommand, props.prefix),
          serviceMetric(METRIC_NAMES.afterEventInvalid, props.prefix),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'Moderation policy: versions applied, store unreachable, versions unreadable, terms dropped',
        left: [
          serviceMetric(METRIC_NAMES.moderationPolicyApplied, props.prefix),
          policyStoreUnreachable,
          policyUnreadable,
          serviceMetric(METRIC_NAMES.moderationPolicyTermDropped, props.prefix),
        ],
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Push failure rate (%)', left: push.map(({ rates }) => rates.failure) }),
      new cloudwatch.GraphWidget({ title: 'Push unknown-outcome rate (%)', left: push.map(({ rates }) => rates.unknown) }),
      new cloudwatch.GraphWidget({
        title: 'Push: sent, refused, invalid tokens removed, retries (all providers)',
        left: [PUSH_METRICS.sent, PUSH_METRICS.refused, PUSH_METRICS.invalidTokensRemoved, PUSH_METRICS.retries, PUSH_METRICS.failed].map((name) =>
          serviceMetric(name, props.prefix),
        ),
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Push provider latency p50 / p99 (ms)',
        left: PUSH_PROVIDERS.flatMap((provider) =>
          ['p50', 'p99'].map((statistic) => pushMetric(props.prefix, provider, PUSH_METRICS.providerLatency, statistic)),
        ),
      }),
      new cloudwatch.GraphWidget({
        title: 'Push end-to-end delay from the callback p50 / p99 (ms)',
        left: PUSH_PROVIDERS.flatMap((provider) =>
          ['p50', 'p99'].map((statistic) => pushMetric(props.prefix, provider, PUSH_METRICS.endToEndDelay, statistic)),
        ),
      }),
    );
    if (props.queues.length > 0) {
      this.dashboard.addWidgets(
        new cloudwatch.GraphWidget({
          title: 'Queue depth',
          left: props.queues.map(({ subscription, queue }) =>
            queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), label: subscription.name }),
          ),
        }),
        new cloudwatch.GraphWidget({
          title: 'Oldest message age (s)',
          left: props.queues.map(({ subscription, queue }) =>
            queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1), label: subscription.name }),
          ),
        }),
        new cloudwatch.GraphWidget({
          title: 'DLQ depth',
          left: props.queues.map(({ subscription, deadLetterQueue }) =>
            deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), label: `${subscription.name}-dlq` }),
          ),
        }),
      );
    }
  }

  /** Alarms (the metric's name as its ID) when one of the service's counts, summed over its dimensions, reaches `threshold` in a period; returns the metric for the dashboard. */
  private alarmOnServiceCount(name: MetricName, service: string, threshold: number, alarmDescription: string): cloudwatch.MathExpression {
    const metric = serviceMetric(name, service);
    this.alarm(name, {
      alarmDescription,
      metric,
      threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
    });
    return metric;
  }

  private alarm(id: string, props: cloudwatch.AlarmProps): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      ...props,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.alarmTopic));
    alarm.addOkAction(new actions.SnsAction(this.alarmTopic));
    this.alarms.push(alarm);
    return alarm;
  }
}

function errorRate(fn: CallbackFunction): cloudwatch.MathExpression {
  // IDs are per function: several rates share one graph, and IDs must be unique there.
  const name = functionKey(fn);
  const key = `${name.charAt(0).toLowerCase()}${name.slice(1)}`;
  return new cloudwatch.MathExpression({
    expression: `IF(${key}Invocations > 0, 100 * ${key}Errors / ${key}Invocations, 0)`,
    usingMetrics: {
      [`${key}Errors`]: fn.metricErrors({ period: PERIOD, statistic: 'Sum' }),
      [`${key}Invocations`]: fn.metricInvocations({ period: PERIOD, statistic: 'Sum' }),
    },
    label: `${fn.node.id} error rate`,
    period: PERIOD,
  });
}

/** Unique per function across stacks (`OpenimHooks-dev-callbacks/BeforeCallback` -> ...BeforeCallback). */
function functionKey(fn: CallbackFunction): string {
  return pascal(fn.node.path);
}

/**
 * One of the service's metrics summed over every dimension set it is emitted with (Powertools
 * adds `service`; the code adds eventType, reason...). A Metrics Insights query does that in one
 * alarmable expression; `service` is the stage's prefix, so stages sharing an account stay apart.
 */
function serviceMetric(name: string, service: string): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: `SELECT SUM(${name}) FROM "${METRICS_NAMESPACE}" WHERE service = '${service}'`,
    usingMetrics: {},
    label: name,
    period: PERIOD,
  });
}

/** One push metric of one provider, as the push worker emits it (dimensions service + provider). */
function pushMetric(service: string, provider: string, metricName: string, statistic: string): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service, provider },
    statistic,
    period: PERIOD,
    label: `${provider} ${metricName} ${statistic}`,
  });
}

/** Per provider, the share (%) of notifications that failed (refused or after every attempt) and whose outcome is unknown. */
function pushRates(service: string, provider: string): { failure: cloudwatch.MathExpression; unknown: cloudwatch.MathExpression } {
  const sum = (name: string) => pushMetric(service, provider, name, 'Sum');
  const usingMetrics = {
    [`${provider}Sent`]: sum(PUSH_METRICS.sent),
    [`${provider}Refused`]: sum(PUSH_METRICS.refused),
    [`${provider}Failed`]: sum(PUSH_METRICS.failed),
    [`${provider}Unknown`]: sum(PUSH_METRICS.unknownOutcomes),
  };
  const total = `(${Object.keys(usingMetrics).join(' + ')})`;
  const rate = (numerator: string, label: string) =>
    new cloudwatch.MathExpression({ expression: `IF(${total} > 0, 100 * ${numerator} / ${total}, 0)`, usingMetrics, label, period: PERIOD });
  return {
    failure: rate(`(${provider}Refused + ${provider}Failed)`, `${provider} push failure rate`),
    unknown: rate(`${provider}Unknown`, `${provider} push unknown-outcome rate`),
  };
}
