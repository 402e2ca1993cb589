/**
 * An AWS service's HTTP API called directly, each request signed with aws4, instead of through the
 * SDK's client: the SDK's protocol layers, middleware stack and smithy core were most of what a
 * callback's cold start read (docs/benchmarks-history.md, "Cold starts"). What the SDK's client would do
 * around a call is done here the same way: the endpoint from the SDK's own variables
 * (`AWS_ENDPOINT_URL_<SERVICE>`, then `AWS_ENDPOINT_URL`: how the local mode points at its
 * stand-ins), the credentials from the environment, where Lambda puts the function role's,
 * keep-alive connections, and a call tried again as the SDK's standard retry mode does: after a
 * network error, a timeout, a 5xx or throttling, up to `maxAttempts`, after a jittered exponential
 * backoff. The protocols (SNS's Query, DynamoDB's JSON) are the callers' (sns-publish-batch.ts,
 * dynamodb-client.ts).
 */
import aws4 from 'aws4';
import type { ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { jitteredBackoff } from './jittered-backoff.ts';
import type { ClientOptions } from './request-handler.ts';

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
}

export interface SignedClientOptions extends ClientOptions {
  /** @default AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, else the service's regional endpoint */
  readonly endpoint?: string;
  /** @default AWS_REGION, AWS_DEFAULT_REGION */
  readonly region?: string;
  /** @default read from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN at each call */
  readonly credentials?: AwsCredentials;
}

/** A call the service refused, named by its error code (as the SDK names its exceptions). */
export class AwsServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode: number,
  ) {
    super(message);
    this.name = code;
  }
}

/** Error codes the SDK's standard retry mode retries as throttling (it backs off longer for them). */
const THROTTLING_CODES = new Set([
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException',
]);
/** Error codes it retries as transient, whatever their HTTP status. */
const TRANSIENT_CODES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
/** The SDK's pauses between attempts: from 100 ms, from 500 ms after throttling, at most 20 s. */
const PAUSE_MS = { afterFailure: jitteredBackoff(100, 20_000), afterThrottling: jitteredBackoff(500, 20_000) } as const;

export interface ServiceDescription {
  /** The signing name and the host's first label: `sns`, `dynamodb`. */
  readonly service: string;
  /** The SDK's endpoint variable for it: `AWS_ENDPOINT_URL_SNS`. */
  readonly endpointVariable: string;
  /** The error a non-2xx answer stands for, from its status and body in the service's protocol. */
  readonly errorOf: (statusCode: number, text: string) => AwsServiceError;
}

export class SignedAwsService {
  private readonly endpoint: URL;
  private readonly region: string;
  private readonly maxAttempts: number;
  private readonly attemptTimeoutMs: number;
  private requester: Promise<(options: RequestOptions) => ClientRequest> | undefined;

  constructor(
    private readonly description: ServiceDescription,
    private readonly options: SignedClientOptions,
  ) {
    const { service, endpointVariable } = description;
    const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
    if (!region) throw new Error(`${service} needs a region: set AWS_REGION`);
    this.region = region;
    this.endpoint = new URL(options.endpoint ?? process.env[endpointVariable] ?? process.env.AWS_ENDPOINT_URL ?? regionalEndpoint(service, region, endpointVariable));
    this.maxAttempts = options.maxAttempts ?? 3;
    this.attemptTimeoutMs = options.attemptTimeoutMs ?? 2000;
  }

  /** POSTs `body` and answers the text of the first 2xx answer; throws the last error once no attempt is left or another would not help. */
  async post(body: string, headers: Readonly<Record<string, string>>): Promise<string> {
    for (let attempt = 1; ; attempt += 1) {
      let error: Error;
      try {
        const { statusCode, text } = await this.attempt(body, headers);
        if (statusCode < 300) return text;
        error = this.description.errorOf(statusCode, text);
      } catch (thrown) {
        error = thrown as Error;
      }
      if (attempt >= this.maxAttempts || !isRetryable(error)) throw error;
      const throttled = error instanceof AwsServiceError && THROTTLING_CODES.has(error.code);
      await new Promise((resolve) => setTimeout(resolve, (throttled ? PAUSE_MS.afterThrottling : PAUSE_MS.afterFailure)(attempt)));
    }
  }

  private async attempt(body: string, headers: Readonly<Record<string, string>>): Promise<{ statusCode: number; text: string }> {
    const { service } = this.description;
    const signed = aws4.sign(
      { host: this.endpoint.host, path: this.endpoint.pathname, method: 'POST', service, region: this.region, headers: { ...headers }, body },
      this.options.credentials ?? environmentCredentials(service),
    );
    const send = await (this.requester ??= requestFunction(this.endpoint.protocol));
    return new Promise((resolve, reject) => {
      // URL keeps an IPv6 literal's brackets ([::1]); Node's request wants the address alone.
      const hostname = this.endpoint.hostname.replace(/^\[(.*)\]$/, '$1');
      const request = send({ ...signed, hostname, port: this.endpoint.port || undefined, host: undefined }).on('error', reject);
      request.setTimeout(this.attemptTimeoutMs, () => request.destroy(new AwsServiceError('TimeoutError', `no answer from ${service} within ${this.attemptTimeoutMs} ms`, 0)));
      request.on('response', (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk)).on('error', reject);
        response.on('end', () => resolve({ statusCode: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      });
      request.end(body);
    });
  }
}

/**
 * The service's public endpoint in the region: `.amazonaws.com`, `.amazonaws.com.cn` in China's
 * regions. FIPS and dual-stack endpoints, which the SDK picks when AWS_USE_FIPS_ENDPOINT or
 * AWS_USE_DUALSTACK_ENDPOINT says so, are not derived here: asked for, the client refuses to start
 * rather than quietly call the plain endpoint, and the refusal names the variable to set instead.
 */
export function regionalEndpoint(service: string, region: string, endpointVariable: string, env: NodeJS.ProcessEnv = process.env): string {
  for (const variable of ['AWS_USE_FIPS_ENDPOINT', 'AWS_USE_DUALSTACK_ENDPOINT']) {
    if (env[variable]?.toLowerCase() === 'true') {
      throw new Error(`${variable} is set, and the ${service} client does not derive that endpoint: set ${endpointVariable} to the endpoint to call`);
    }
  }
  return `https://${service}.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
}

/** Keep-alive connections, as the SDK's clients here have (request-handler.ts). */
const KEEP_ALIVE = { keepAlive: true, maxSockets: 64 } as const;

/** node:http only for a plain-HTTP endpoint (the local stand-ins): a cold start in AWS does not load it. */
async function requestFunction(protocol: string): Promise<(options: RequestOptions) => ClientRequest> {
  if (protocol === 'https:') {
    const agent = new HttpsAgent(KEEP_ALIVE);
    return (options) => httpsRequest({ ...options, agent });
  }
  const { Agent, request } = await import('node:http');
  const agent = new Agent(KEEP_ALIVE);
  return (options) => request({ ...options, agent });
}

function environmentCredentials(service: string): AwsCredentials {
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = process.env;
  if (!accessKeyId || !secretAccessKey) throw new Error(`${service} needs credentials in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), as Lambda gives them`);
  return { accessKeyId, secretAccessKey, sessionToken };
}

/** What another try may change: the service's own faults, throttling, a timeout, and network errors (Node's carry an errno `code`). */
function isRetryable(error: Error): boolean {
  if (!(error instanceof AwsServiceError)) return typeof (error as NodeJS.ErrnoException).code === 'string';
  return error.statusCode === 0 || error.statusCode >= 500 || error.statusCode === 429 || THROTTLING_CODES.has(error.code) || TRANSIENT_CODES.has(error.code);
}
