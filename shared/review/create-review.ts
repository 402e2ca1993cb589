/** Builds the moderator workflow from its configuration, with the DynamoDB stores and OpenIM behind it. */
import type { DynamoDocumentClient } from '../aws/dynamodb-client.ts';
import type { ConversationHistory } from '../audit/conversation-history.ts';
import type { SnsPublishBatch } from '../aws/sns-publish-batch.ts';
import { capabilityOff, type Capability } from '../config/capability.ts';
import type { ReviewConfig } from '../config/review-config.ts';
import { SnsChatEventPublisher } from '../events/sns-chat-event-publisher.ts';
import { logger } from '../observability/logger.ts';
import { OpenImAdminClient } from '../openim/admin/admin-client.ts';
import type { OpenImAdminConfig } from '../openim/admin/admin-config.ts';
import { DynamoDbModerationLogStore } from '../store/dynamodb-moderation-log-store.ts';
import { DynamoDbPenaltyStore } from '../store/dynamodb-penalty-store.ts';
import { DynamoDbReviewStore } from '../store/dynamodb-review-store.ts';
import { DynamoDbViolationStore } from '../store/dynamodb-violation-store.ts';
import { OpenImActions } from './openim-actions.ts';
import { RepeatOffenders } from './repeat-offenders.ts';
import { ReviewIntake } from './review-intake.ts';
import { ReviewService } from './review-service.ts';
import { UserReports } from './user-reports.ts';

export interface ReviewWiring {
  readonly items: DynamoDbReviewStore;
  readonly log: DynamoDbModerationLogStore;
  readonly service: ReviewService;
  readonly intake: ReviewIntake;
  readonly repeatOffenders: RepeatOffenders;
  readonly reports: UserReports;
}

export function createReview(
  config: ReviewConfig,
  openimAccess: Capability<OpenImAdminConfig>,
  clients: { dynamo: DynamoDocumentClient; sns: SnsPublishBatch; history?: ConversationHistory },
): ReviewWiring {
  const openim = openimAccess.on ? openimAccess.settings : undefined;
  const items = new DynamoDbReviewStore(clients.dynamo, config.itemsTableName, { decidedRetentionSeconds: config.decidedRetentionSeconds });
  const log = new DynamoDbModerationLogStore(clients.dynamo, config.logTableName);
  const violations = new DynamoDbViolationStore(clients.dynamo, config.violationsTableName, config.violationRetentionSeconds);
  const publisher = new SnsChatEventPublisher(clients.sns, config.chatEventsTopicArn);
  const actions = openimAccess.on
    ? new OpenImActions(new OpenImAdminClient(openimAccess.settings), clients.history)
    : new OpenImActions(undefined, clients.history, openimAccess.reason);
  const penaltiesOff = penaltiesOffReason(config.repeatOffenders.penalty, openimAccess);
  if (penaltiesOff) capabilityOff('repeat-offender penalties', penaltiesOff);
  const penalties = new DynamoDbPenaltyStore(clients.dynamo, config.penaltiesTableName);
  const repeatOffenders = new RepeatOffenders({
    rules: penaltiesOff ? { ...config.repeatOffenders, penalty: 'off' } : config.repeatOffenders,
    violations,
    penalties,
    log,
    actions,
    publisher,
  });
  const service = new ReviewService({
    items,
    log,
    violations,
    actions,
    repeatOffenders,
    penalties,
    publisher,
    ...(clients.history ? { history: clients.history } : {}),
    claimMs: config.claimMs,
    decisionLeaseMs: config.decisionLeaseMs,
    muteSeconds: config.muteSeconds,
  });
  return { items, log, service, intake: new ReviewIntake(items, repeatOffenders, violations), repeatOffenders, reports: new UserReports(items, log) };
}

/** Why the configured penalty cannot be carried out here, if it cannot. */
function penaltiesOffReason(penalty: ReviewConfig['repeatOffenders']['penalty'], openim: Capability<OpenImAdminConfig>): string | undefined {
  if (penalty === 'off') return undefined;
  if (!openim.on) return `REPEAT_OFFENDER_PENALTY=${penalty} needs OpenIM admin access, which is off (${openim.reason})`;
  if (penalty === 'forbid' && !openim.settings.chat) return `REPEAT_OFFENDER_PENALTY=forbid needs OpenIM chat (${openim.settings.chatOffReason})`;
  return undefined;
}
