/**
 * SNS's `PublishBatch`, the only SNS call the chat-event publisher makes, sent signed by
 * signed-aws-service.ts instead of through the SDK's SNS client: that client (its protocol layer,
 * middleware stack and smithy core, ~190 KiB minified) was most of what an after-callback's cold
 * start read, and imported with it took about twice as long as a minimal bundle by itself
 * (docs/benchmarks-history.md, "Cold starts"). The request is the SDK's: the Query protocol, version
 * 2010-03-31, values encoded as the SDK encodes them.
 */
import { AwsServiceError, SignedAwsService, type SignedClientOptions } from './signed-aws-service.ts';

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

export type SnsPublishBatchOptions = SignedClientOptions;

const QUERY_HEADERS = { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' } as const;

export function createSnsPublishBatch(options: SnsPublishBatchOptions = {}): SnsPublishBatch {
  const sns = new SignedAwsService({ service: 'sns', endpointVariable: 'AWS_ENDPOINT_URL_SNS', errorOf: serviceErrorOf }, options);
  return {
    publishBatch: async (topicArn, entries) => parsePublishBatchResponse(await sns.post(publishBatchQuery(topicArn, entries), QUERY_HEADERS)),
  };
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
  if (!xml.includes('<PublishBatchResult')) throw new AwsServiceError('InvalidResponse', 'SNS answered PublishBatch without a PublishBatchResult', 200);
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
function serviceErrorOf(statusCode: number, text: string): AwsServiceError {
  const code = textOf(text, 'Code') ?? `Http${statusCode}`;
  return new AwsServiceError(code, textOf(text, 'Message') ?? `SNS answered ${statusCode}`, statusCode);
}
