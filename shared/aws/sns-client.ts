/**
 * The SNS client, built like every other client (request-handler.ts). A module of its own so that
 * the before-callback, which publishes only for a blocked or flagged message or a push it takes
 * over, can import it then (SnsChatEventPublisher's `snsClientOnFirstUse`).
 */
import { SNSClient } from '@aws-sdk/client-sns';
import { type ClientOptions, requestHandler } from './request-handler.ts';

// For the publisher, which imports this module on first use: an `await import()` of the package
// itself would keep every command of SNS's in the bundle.
export { PublishBatchCommand } from '@aws-sdk/client-sns';

export function createSnsClient(options: ClientOptions = {}): SNSClient {
  return new SNSClient({ maxAttempts: options.maxAttempts ?? 3, requestHandler: requestHandler(options) });
}
