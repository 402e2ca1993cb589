/**
 * The S3 client, built like every other client (request-handler.ts). A module of its own so that the
 * claim checks can import it when the first one is needed (shared/events/s3-claim-check-store.ts):
 * a Lambda bundle then keeps the client out of what a cold start reads.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { type ClientOptions, requestHandler } from './request-handler.ts';

export function createS3Client(options: ClientOptions = {}): S3Client {
  // Claim-checked events are a few hundred KiB: give an attempt more time than a small call's.
  return new S3Client({ maxAttempts: options.maxAttempts ?? 3, requestHandler: requestHandler({ attemptTimeoutMs: options.attemptTimeoutMs ?? 5000 }) });
}
