/**
 * The SQS client, built like every other client (request-handler.ts). A module of its own so that a worker
 * can import it when it first delays a failed record's return (shared/events/redelivery.ts): its
 * Lambda bundle then keeps the client out of what a cold start reads.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { type ClientOptions, requestHandler } from './request-handler.ts';

export function createSqsClient(options: ClientOptions = {}): SQSClient {
  return new SQSClient({
    maxAttempts: options.maxAttempts ?? 3,
    requestHandler: requestHandler(options),
    // Send to the configured endpoint, not the queue URL's host: fauxqs names queues on
    // sqs.<region>.localhost, which does not resolve here; in AWS both are the regional endpoint.
    useQueueUrlAsEndpoint: false,
  });
}
