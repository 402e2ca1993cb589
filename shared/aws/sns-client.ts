/**
 * The SDK's SNS client, built like every other client (request-handler.ts), for the calls other
 * than publishing chat events (the local mode's topic and subscriptions): those go through
 * sns-publish-batch.ts, which keeps the SDK's SNS code out of the functions that publish.
 */
import { SNSClient } from '@aws-sdk/client-sns';
import { type ClientOptions, requestHandler } from './request-handler.ts';

export function createSnsClient(options: ClientOptions = {}): SNSClient {
  return new SNSClient({ maxAttempts: options.maxAttempts ?? 3, requestHandler: requestHandler(options) });
}
