/**
 * OpenIM's synchronous `before*` callbacks (contract §1 "Sync vs async", §2 "Judging the reply").
 * Event: API Gateway REST proxy, `POST /openim/{secret}/{command}`; the local server sends the same.
 *
 * OpenIM blocks the user's operation on a timeout, an empty body or non-JSON, whatever its
 * `failedContinue` says, so the chain always answers JSON within BEFORE_BUDGET_MS (push callbacks,
 * which do not hold up a sender: BEFORE_PUSH_BUDGET_MS): the decision is raced against the budget,
 * and any failure becomes the fail-open/fail-closed reply. A command nobody decides gets the
 * identity reply, which leaves the operation exactly as the user asked (shared/openim/reply-semantics.ts).
 */
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { createDynamoDocumentClient } from '#shared/aws/dynamodb-client.ts';
import { createSnsPublishBatch } from '#shared/aws/sns-publish-batch.ts';
import { BudgetedDecisionContext, deciderFor } from '#shared/callbacks/before-decisions.ts';
import { createBeforeDeciders } from '#shared/callbacks/before-deciders.ts';
import { parseRequestObject, validateRequest } from '#shared/callbacks/callback-body.ts';
import { SELF_TEST_COMMAND, selfTestReply } from '#shared/callbacks/self-test.ts';
import { withinBudget } from '#shared/callbacks/time-budget.ts';
import { noteUnknownCommand } from '#shared/callbacks/unknown-commands.ts';
import { loadCallbackConfig } from '#shared/config/callback-config.ts';
import { loadModerationConfig } from '#shared/config/moderation-config.ts';
import { loadPushCallbackConfig } from '#shared/config/push-callback-config.ts';
import { journaledWhenConfigured } from '#shared/events/journaled-when-configured.ts';
import { claimCheckStoreFromEnv } from '#shared/events/s3-claim-check-store.ts';
import { SnsChatEventPublisher } from '#shared/events/sns-chat-event-publisher.ts';
import { frozenJsonResponse, jsonResponse } from '#shared/http/json-response.ts';
import { bodyText, callbackCommandOf, operationIdOf } from '#shared/http/request-parts.ts';
import { callbackSecret } from '#shared/middleware/callback-secret.ts';
import { createMessageModeration } from '#shared/moderation/create-message-moderation.ts';
import { openimReply } from '#shared/middleware/openim-reply.ts';
import { logger } from '#shared/observability/logger.ts';
import { countEvent, METRIC_NAMES } from '#shared/observability/metrics.ts';
import { CALLBACK_COMMANDS, type CallbackCommandName, isKnownCommand } from '#shared/openim/commands.ts';
import { checkedReply, continueReply, identityReply, type CommonCallbackResp } from '#shared/openim/replies.ts';
import { offlinePushDeciderFor } from '#shared/push/create-offline-push-decider.ts';

const config = loadCallbackConfig();
const topic = new SnsChatEventPublisher(
  createSnsPublishBatch({ maxAttempts: config.publishMaxAttempts, attemptTimeoutMs: config.publishAttemptTimeoutMs }),
  config.chatEventsTopicArn,
  // A blocked or flagged message of over ~256 KiB makes an event SNS cannot carry: claim-check it.
  { lingerMs: config.beforePublishLingerMs, claimChecks: claimCheckStoreFromEnv() },
);
// Locally (npm start sets EVENT_JOURNAL_DIR) the journal the after-callback shares: a blocked or
// flagged message's answer then waits for a local write, not for the topic.
const publisher = await journaledWhenConfigured(topic);
const dynamo = createDynamoDocumentClient();
const moderation = createMessageModeration(loadModerationConfig(), dynamo, publisher);
// Started now, so that the first message of an instance does not spend its budget on it.
void moderation.loadPolicy();
const deciders = createBeforeDeciders({
  moderation,
  offlinePush: offlinePushDeciderFor(loadPushCallbackConfig(), dynamo, publisher),
});
const selfTest = frozenJsonResponse(
  200,
  selfTestReply({
    beforeBudgetMs: config.beforeBudgetMs,
    pushBudgetMs: config.pushBudgetMs,
    failureMode: config.beforeFailureMode,
    decidedCommands: Object.keys(deciders) as CallbackCommandName[],
  }),
);
const CONTINUE_RESPONSE = frozenJsonResponse(200, continueReply());
const answer = (reply: CommonCallbackResp) => (reply === continueReply() ? CONTINUE_RESPONSE : jsonResponse(200, reply));

async function beforeCallback(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const command = callbackCommandOf(event);
  const operationID = operationIdOf(event);
  if (!isKnownCommand(command)) {
    if (command === SELF_TEST_COMMAND) return selfTest;
    noteUnknownCommand(command, operationID);
    return CONTINUE_RESPONSE;
  }
  const raw = parseRequestObject(bodyText(event));
  const decide = deciderFor(deciders, command);
  if (!decide) return answer(identityReply(command, raw));
  const request = validateRequest(command, raw);
  const budgetMs = CALLBACK_COMMANDS[command].area === 'push' ? config.pushBudgetMs : config.beforeBudgetMs;
  const context = new BudgetedDecisionContext(operationID, budgetMs);
  const outcome = withinBudget(context, decide(request, context));
  // Awaited only when the decision waits for something: most messages are answered in this turn.
  const { value: reply, overranBy } = outcome instanceof Promise ? await outcome : outcome;
  if (overranBy > 0) {
    // The decision is right but late: synchronous work ran past the budget where no timer could stop it.
    const { stages } = context;
    countEvent(METRIC_NAMES.beforeBudgetOverrun, { stage: stages.current, outcome: 'late' });
    logger.warn('before-callback decided after its budget', { operationID, command, budgetMs, overranByMs: Math.round(overranBy), stageMs: stages.durations() });
  }
  return answer(checkedReply(command, raw, reply));
}

// Our own budget (BEFORE_BUDGET_MS) is far shorter than the Lambda timeout, so middy's is off.
export const handler = middy(beforeCallback, { timeoutEarlyInMillis: 0 })
  // First, so that its onError runs last: every failure still answers JSON.
  .use(openimReply({ failureMode: config.beforeFailureMode }))
  // A wrong secret gets 404 before anything is parsed or logged.
  .use(callbackSecret({ secret: config.callbackSecret }));
