/**
 * OpenIM's synchronous `before*` callbacks (contract §1 "Sync vs async", §2 "Judging the reply").
 * Event: API Gateway REST proxy, `POST /openim/{secret}/{command}`; the local server sends the same.
 *
 * OpenIM blocks the user's operation on a timeout, an empty body or non-JSON, whatever its
 * `failedContinue` says, so the chain always answers JSON within BEFORE_BUDGET_MS (push callbacks,
 * which do not hold up a sender: BEFORE_PUSH_BUDGET_MS): the decision is raced against the budget,
 * and any failure becomes the fail-open/fail-closed reply.
 */
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { createDynamoDocumentClient, createSnsClient } from '#shared/aws/clients.ts';
import { deciderFor } from '#shared/callbacks/before-decisions.ts';
import { createBeforeDeciders } from '#shared/callbacks/before-deciders.ts';
import { parseJsonBody, validateRequest } from '#shared/callbacks/callback-body.ts';
import { withinBudget } from '#shared/callbacks/time-budget.ts';
import { noteUnknownCommand } from '#shared/callbacks/unknown-commands.ts';
import { loadCallbackConfig } from '#shared/config/callback-config.ts';
import { loadModerationConfig } from '#shared/config/moderation-config.ts';
import { loadPushCallbackConfig } from '#shared/config/push-config.ts';
import { SnsChatEventPublisher } from '#shared/events/sns-chat-event-publisher.ts';
import { jsonResponse } from '#shared/http/json-response.ts';
import { bodyText, callbackCommandOf, operationIdOf } from '#shared/http/request-parts.ts';
import { callbackSecret } from '#shared/middleware/callback-secret.ts';
import { createMessageModeration } from '#shared/moderation/create-message-moderation.ts';
import { openimReply } from '#shared/middleware/openim-reply.ts';
import { CALLBACK_COMMANDS, isKnownCommand } from '#shared/openim/commands.ts';
import { continueReply } from '#shared/openim/replies.ts';
import { offlinePushDeciderFor } from '#shared/push/create-offline-push-decider.ts';

const config = loadCallbackConfig();
const publisher = new SnsChatEventPublisher(
  createSnsClient({ maxAttempts: config.publishMaxAttempts, attemptTimeoutMs: config.publishAttemptTimeoutMs }),
  config.chatEventsTopicArn,
  { lingerMs: config.beforePublishLingerMs },
);
const dynamo = createDynamoDocumentClient();
const deciders = createBeforeDeciders({
  moderation: createMessageModeration(loadModerationConfig(), dynamo, publisher),
  offlinePush: offlinePushDeciderFor(loadPushCallbackConfig(), dynamo, publisher),
});

async function beforeCallback(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const command = callbackCommandOf(event);
  const operationID = operationIdOf(event);
  if (!isKnownCommand(command)) {
    noteUnknownCommand(command, operationID);
    return jsonResponse(200, continueReply());
  }
  const request = validateRequest(command, parseJsonBody(bodyText(event)));
  const decide = deciderFor(deciders, command);
  if (!decide) return jsonResponse(200, continueReply());
  const budgetMs = CALLBACK_COMMANDS[command].area === 'push' ? config.pushBudgetMs : config.beforeBudgetMs;
  const deadline = Date.now() + budgetMs;
  const reply = await withinBudget((signal) => decide(request, { operationID, signal, deadline }), budgetMs);
  return jsonResponse(200, reply);
}

// Our own budget (BEFORE_BUDGET_MS) is far shorter than the Lambda timeout, so middy's is off.
export const handler = middy(beforeCallback, { timeoutEarlyInMillis: 0 })
  // First, so that its onError runs last: every failure still answers JSON.
  .use(openimReply({ failureMode: config.beforeFailureMode }))
  // A wrong secret gets 404 before anything is parsed or logged.
  .use(callbackSecret({ secret: config.callbackSecret }));
