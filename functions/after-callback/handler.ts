/**
 * OpenIM's fire-and-forget `after*` callbacks (contract §1 "Sync vs async").
 * Event: API Gateway REST proxy, `POST /openim/{secret}/{command}[?key=…]`.
 *
 * OpenIM sends these from a 2-worker, 100-slot queue and drops events when we are slow, so the
 * request does nothing but publish the event to the `chat-events` topic (an event over SNS's
 * message limit through a claim check in S3) and answer; the topic's subscribers (presence,
 * audit, push, review) do the work. In the local server (EVENT_JOURNAL_DIR) the event is
 * journaled on disk before the answer and forwarded to the topic in the background.
 */
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { buildChatEvent } from '#shared/callbacks/after-event.ts';
import { publishOrRecord } from '#shared/callbacks/publish-after-event.ts';
import { loadCallbackConfig } from '#shared/config/callback-config.ts';
import { afterEventTopicPublisher } from '#shared/events/after-event-topic.ts';
import { journaledWhenConfigured } from '#shared/events/journaled-when-configured.ts';
import { frozenJsonResponse } from '#shared/http/json-response.ts';
import { bodyText, callbackCommandOf, operationIdOf } from '#shared/http/request-parts.ts';
import { callbackSecret } from '#shared/middleware/callback-secret.ts';
import { openimReply } from '#shared/middleware/openim-reply.ts';
import { logger } from '#shared/observability/logger.ts';
import { countEvent, METRIC_NAMES } from '#shared/observability/metrics.ts';
import { continueReply } from '#shared/openim/replies.ts';

const config = loadCallbackConfig();
const topic = afterEventTopicPublisher(config);
// Locally (npm start sets EVENT_JOURNAL_DIR) a journal on disk that forwards to the topic.
const publisher = await journaledWhenConfigured(topic);
// Every after-callback is answered continue (OpenIM discards the reply): one response for all.
const CONTINUE_RESPONSE = frozenJsonResponse(200, continueReply());

async function afterCallback(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const chatEvent = buildChatEvent({
    command: callbackCommandOf(event),
    body: bodyText(event),
    operationID: operationIdOf(event),
    key: event.queryStringParameters?.key,
  });
  if (!chatEvent.valid) {
    countEvent(METRIC_NAMES.afterEventInvalid, { eventType: chatEvent.eventType });
    logger.warn('after-callback body does not match the contract; published as invalid', {
      operationID: chatEvent.operationID,
      eventType: chatEvent.eventType,
    });
  }
  await publishOrRecord(publisher, chatEvent);
  return CONTINUE_RESPONSE;
}

// The SDK's per-attempt timeouts bound the publish; middy's own timeout race would only add cost.
export const handler = middy(afterCallback, { timeoutEarlyInMillis: 0 })
  // OpenIM discards after-replies, but an answer must still be JSON and never an error page.
  .use(openimReply({ failureMode: 'open' }))
  .use(callbackSecret({ secret: config.callbackSecret }));
