/**
 * SNS's `PublishBatch`, the only SNS call the chat-event publisher makes, sent over HTTP(S) and
 * signed with aws4 instead of through the SDK's SNS client: that client (its protocol layer,
 * middleware stack and smithy core, ~190 KiB minified) was most of what an after-callback's cold
 * start read, and imported with it took about twice as long as a minimal bundle by itself
 * (docs/benchmarks.md, "Cold starts"). The request is the SDK's (the Query protocol, version
 * 2010-03-31, values encoded as the SDK encodes them); the endpoint comes from the SDK's own
 * variables (`AWS_ENDPOINT_URL_SNS`, then `AWS_ENDPOINT_URL`: how the local mode points at fauxqs);
 * the credentials from the environment, where Lambda puts the function role's; and a call is tried
 * again as the SDK's standard retry mode does: after a network error, a timeout, a 5xx or
 * throttling, up to `maxAttempts`, after a jittered exponential backoff.
 */
import aws4 from 'aws4';
import type { ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { jitteredBackoff } from './jittered-backoff.ts';
import type { ClientOptions } from './request-handler.ts';

export interface PublishBatchEntry {
  readonly Id: string;
  readonly Message: string;
  readonly MessageAttributes?: Readonly<Record<string, { readonly DataType: string; readonly StringValue: string }>>;
}

/** An entry SNS did not take; `SenderFault` false means SNS's own fault, worth another try. */
export interface PublishBatchFailure {
  readonly Id: string;
  readonly Code: string;
  readonly Message: string;
  readonly SenderFault: boolean;
}

export interface PublishBatchOutput {
  readonly successfulIds: readonly string[];
  readonly failed: readonly PublishBatchFailure[];
}

export interface SnsPublishBatch {
  publishBatch(topicArn: string, entries: readonly PublishBatchEntry[]): Promise<PublishBatchOutput>;
}

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
}

export interface SnsPublishBatchOptions extends ClientOptions {
  /** @default AWS_ENDPOINT_URL_SNS, AWS_ENDPOINT_URL, else SNS's regional endpoint */
  readonly endpoint?: string;
  /** @default AWS_REGION, AWS_DEFAULT_REGION */
  readonly region?: string;
  /** @default read from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN at each call */
  readonly credentials?: AwsCredentials;
}

/** A call SNS refused, named by SNS's error code (as the SDK names its exceptions). */
export class SnsServiceError extends Error {
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
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'BandwidthLimitExceeded',
  'LimitExceededException',
  'RequestThrottled',
  'SlowDown',
  'PriorRequestNotComplete',
]);
/** The SDK's pauses between attempts: from 100 ms, from 500 ms after throttling, at most 20 s. */
const PAUSE_MS = { afterFailure: jitteredBackoff(100, 20_000), afterThrottling: jitteredBackoff(500, 20_000) } as const;

export function createSnsPublishBatch(options: SnsPublishBatchOptions = {}): SnsPublishBatch {
  return new SignedSnsPublishBatch(options);
}

class SignedSnsPublishBatch implements SnsPublishBatch {
  private readonly endpoint: URL;
  private readonly region: string;
  private readonly maxAttempts: number;
  private readonly attemptTimeoutMs: number;
  private requester: Promise<(options: RequestOptions) => ClientRequest> | undefined;

  constructor(private readonly options: SnsPublishBatchOptions) {
    const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
    if (!region) throw new Error('SNS needs a region: set AWS_REGION');
    this.region = region;
    this.endpoint = new URL(options.endpoint ?? process.env.AWS_ENDPOINT_URL_SNS ?? process.env.AWS_ENDPOINT_URL ?? `https://sns.${region}.amazonaws.com`);
    this.maxAttempts = options.maxAttempts ?? 3;
    this.attemptTimeoutMs = options.attemptTimeoutMs ?? 2000;
  }

  async publishBatch(topicArn: string, entries: readonly PublishBatchEntry[]): Promise<PublishBatchOutput> {
    const body = publishBatchQuery(topicArn, entries);
    for (let attempt = 1; ; attempt += 1) {
      let error: Error;
      try {
        const { statusCode, text } = await this.post(body);
        if (statusCode < 300) return parsePublishBatchResponse(text);
        error = serviceErrorOf(statusCode, text);
      } catch (thrown) {
        error = thrown as Error;
      }
      if (attempt >= this.maxAttempts || !isRetryable(error)) throw error;
      const throttled = error instanceof SnsServiceError && THROTTLING_CODES.has(error.code);
      await new Promise((resolve) => setTimeout(resolve, (throttled ? PAUSE_MS.afterThrottling : PAUSE_MS.afterFailure)(attempt)));
    }
  }

  private async post(body: string): Promise<{ statusCode: number; text: string }> {
    const signed = aws4.sign(
      {
        host: this.endpoint.host,
        path: this.endpoint.pathname,
        method: 'POST',
        service: 'sns',
        region: this.region,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body,
      },
      this.options.credentials ?? environmentCredentials(),
    );
    const send = await (this.requester ??= requestFunction(this.endpoint.protocol));
    return new Promise((resolve, reject) => {
      // URL keeps an IPv6 literal's brackets ([::1]); Node's request wants the address alone.
      const hostname = this.endpoint.hostname.replace(/^\[(.*)\]$/, '$1');
      const request = send({ ...signed, hostname, port: this.endpoint.port || undefined, host: undefined }).on('error', reject);
      request.setTimeout(this.attemptTimeoutMs, () => request.destroy(new SnsServiceError('TimeoutError', `no answer from SNS within ${this.attemptTimeoutMs} ms`, 0)));
      request.on('response', (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk)).on('error', reject);
        response.on('end', () => resolve({ statusCode: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      });
      request.end(body);
    });
  }
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

function environmentCredentials(): AwsCredentials {
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = process.env;
  if (!accessKeyId || !secretAccessKey) throw new Error('SNS needs credentials in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), as Lambda gives them');
  return { accessKeyId, secretAccessKey, sessionToken };
}

/** What another try may change: SNS's own faults, throttling, a timeout, and network errors (Node's carry an errno `code`). */
function isRetryable(error: Error): boolean {
  if (!(error instanceof SnsServiceError)) return typeof (error as NodeJS.ErrnoException).code === 'string';
  return error.statusCode === 0 || error.statusCode >= 500 || error.statusCode === 429 || THROTTLING_CODES.has(error.code);
}

/** RFC 3986 encoding, as the SDK's `extendedEncodeURIComponent` does it. */
const encode = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The form body of a PublishBatch call in the Query protocol's flattening of its members. */
export function publishBatchQuery(topicArn: string, entries: readonly PublishBatchEntry[]): string {
  const fields: [string, string][] = [
    ['Action', 'PublishBatch'],
    ['Version', '2010-03-31'],
    ['TopicArn', topicArn],
  ];
  entries.forEach((entry, index) => {
    const member = `PublishBatchRequestEntries.member.${index + 1}`;
    fields.push([`${member}.Id`, entry.Id], [`${member}.Message`, entry.Message]);
    Object.entries(entry.MessageAttributes ?? {}).forEach(([name, value], attribute) => {
      const prefix = `${member}.MessageAttributes.entry.${attribute + 1}`;
      fields.push([`${prefix}.Name`, name], [`${prefix}.Value.DataType`, value.DataType], [`${prefix}.Value.StringValue`, value.StringValue]);
    });
  });
  return fields.map(([name, value]) => `${encode(name)}=${encode(value)}`).join('&');
}

const XML_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const decodeXml = (text: string) =>
  text.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_, entity: string) =>
    entity.startsWith('#x') ? String.fromCodePoint(parseInt(entity.slice(2), 16)) : entity.startsWith('#') ? String.fromCodePoint(Number(entity.slice(1))) : XML_ENTITIES[entity]!,
  );
/** The text of the first `<tag>` in `xml`, decoded; undefined when it has none (or it is empty, `<tag/>`). */
const textOf = (xml: string, tag: string) => {
  const found = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(xml)?.[1];
  return found === undefined ? undefined : decodeXml(found);
};
/** The members of a `<list>`, each as its XML. */
const membersOf = (xml: string, list: string) => [...(new RegExp(`<${list}>([\\s\\S]*?)</${list}>`).exec(xml)?.[1] ?? '').matchAll(/<member>([\s\S]*?)<\/member>/g)].map((match) => match[1]!);

export function parsePublishBatchResponse(xml: string): PublishBatchOutput {
  if (!xml.includes('<PublishBatchResult')) throw new SnsServiceError('InvalidResponse', 'SNS answered PublishBatch without a PublishBatchResult', 200);
  return {
    successfulIds: membersOf(xml, 'Successful').map((member) => textOf(member, 'Id') ?? ''),
    failed: membersOf(xml, 'Failed').map((member) => ({
      Id: textOf(member, 'Id') ?? '',
      Code: textOf(member, 'Code') ?? 'Unknown',
      Message: textOf(member, 'Message') ?? '',
      SenderFault: textOf(member, 'SenderFault') === 'true',
    })),
  };
}

/** An error answer (`<ErrorResponse><Error><Code>`), or the HTTP status where the body is not one. */
function serviceErrorOf(statusCode: number, text: string): SnsServiceError {
  const code = textOf(text, 'Code') ?? `Http${statusCode}`;
  return new SnsServiceError(code, textOf(text, 'Message') ?? `SNS answered ${statusCode}`, statusCode);
}
