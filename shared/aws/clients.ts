/**
 * AWS SDK clients, built once per process with keep-alive connections and bounded attempts.
 * Endpoints come from the SDK's own `AWS_ENDPOINT_URL_<SERVICE>` variables, which is how the
 * local mode points the very same clients at dynalite and fauxqs. DynamoDB's document client has
 * a module of its own (dynamodb-client.ts): its package cannot be left out of a bundle that imports
 * this one without using it. So do S3's (s3-client.ts), which the claim checks import only once
 * they need it, and SQS's (sqs-client.ts), which a worker imports only to delay a record's return.
 */
import { SNSClient } from '@aws-sdk/client-sns';
import { NodeHttpHandler } from '@smithy/node-http-handler';

export interface ClientOptions {
  /** Attempts per call, including the first (SDK standard retry: transient and network errors). */
  readonly maxAttempts?: number;
  /** Time one attempt may take before it counts as failed. */
  readonly attemptTimeoutMs?: number;
}

export function requestHandler({ attemptTimeoutMs = 2000 }: ClientOptions): NodeHttpHandler {
  return new NodeHttpHandler({
    // Agent options, not agents: the handler imports node:http only for the first plain-HTTP request
    // (the local stand-ins). Importing it here would make every cold start load it, and an ESM
    // import of node:http also loads Node's undici through its lazy WebSocket getters.
    httpAgent: { keepAlive: true, maxSockets: 64 },
    httpsAgent: { keepAlive: true, maxSockets: 64 },
    connectionTimeout: attemptTimeoutMs,
    requestTimeout: attemptTimeoutMs,
  });
}

export function createSnsClient(options: ClientOptions = {}): SNSClient {
  return new SNSClient({ maxAttempts: options.maxAttempts ?? 3, requestHandler: requestHandler(options) });
}
