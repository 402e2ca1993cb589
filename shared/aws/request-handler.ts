/**
 * How every AWS SDK client here sends: keep-alive connections and bounded attempts. Each client
 * has a module of its own (sns-client.ts, sqs-client.ts, s3-client.ts), so that
 * a Lambda bundle holds only the clients its code imports, and one imported on first use (`await
 * import()`) stays out of what a cold start reads. Endpoints come from the SDK's own
 * `AWS_ENDPOINT_URL_<SERVICE>` variables, which is how the local mode points the very same clients
 * at dynalite and fauxqs.
 */
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
    // smithy 4 only logs a warning when an attempt outlasts requestTimeout unless told to throw
    // (the option long meant an idle timeout): without this, no attempt ever failed for taking too long.
    throwOnRequestTimeout: true,
  });
}
