/**
 * The signed PublishBatch client against a recording HTTP server standing in for SNS: it sends what
 * the SDK's SNS client sends for the same call (the body byte for byte, signed as the SDK's own
 * signer signs it), reads SNS's answers (entries taken and refused, error answers), and tries a
 * call again only where the SDK's standard retry mode would.
 */
import { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash, createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createSnsPublishBatch, type PublishBatchEntry } from '#shared/aws/sns-publish-batch.ts';
import { AwsServiceError } from '#shared/aws/signed-aws-service.ts';
import { closeRecordingStandIns, recordingStandIn as standIn, recordingStandInOn as standInOn } from '../helpers/recording-aws-stand-in.ts';

const TOPIC = 'arn:aws:sns:eu-west-1:000000000000:chat-events';
const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'session-token' };
const ENTRIES: PublishBatchEntry[] = [
  { Id: '0', Message: '{"text":"a & b < c ✓ 🙂 (x) * !\'"}', MessageAttributes: { eventType: { DataType: 'String', StringValue: 'callbackAfterSendGroupMsgCommand' }, valid: { DataType: 'String', StringValue: 'true' } } },
  { Id: '1', Message: 'plain' },
];
const OK = `<PublishBatchResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishBatchResult><Successful><member><Id>0</Id><MessageId>m-0</MessageId></member></Successful><Failed><member><Id>1</Id><Code>InternalError</Code><Message>busy &amp; &lt;sorry&gt;</Message><SenderFault>false</SenderFault></member></Failed></PublishBatchResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PublishBatchResponse>`;
const errorAnswer = (code: string) => `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${code} happened</Message></Error><RequestId>r</RequestId></ErrorResponse>`;

afterEach(closeRecordingStandIns);

const client = (endpoint: string, maxAttempts = 3, attemptTimeoutMs = 2_000) =>
  createSnsPublishBatch({ endpoint, region: 'eu-west-1', credentials: CREDENTIALS, maxAttempts, attemptTimeoutMs });

type Bytes = string | ArrayBuffer | ArrayBufferView;
const bytesOf = (data: Bytes) =>
  typeof data === 'string' ? data : data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

/** SHA-256 and HMAC-SHA-256 from node:crypto, in the shape the SDK's signer takes. */
class Sha256 {
  private readonly hash;
  constructor(key?: Bytes) {
    this.hash = key === undefined ? createHash('sha256') : createHmac('sha256', bytesOf(key));
  }
  update(data: Bytes) {
    this.hash.update(bytesOf(data));
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
}

describe('createSnsPublishBatch', () => {
  it("sends the SDK's body for the same PublishBatch, signed as the SDK's signer signs it", async () => {
    // Prepare
    const sns = await standIn({ status: 200, body: OK });
    const sdk = new SNSClient({ endpoint: sns.endpoint, region: 'eu-west-1', credentials: CREDENTIALS, maxAttempts: 1 });

    // Act
    await client(sns.endpoint).publishBatch(TOPIC, ENTRIES);
    await sdk.send(new PublishBatchCommand({ TopicArn: TOPIC, PublishBatchRequestEntries: ENTRIES.map((entry) => ({ ...entry })) }));

    // Assess
    const [ours, theirs] = sns.requests;
    expect(ours!.body).toBe(theirs!.body);
    const amzDate = String(ours!.headers['x-amz-date']);
    const signingDate = new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
    // aws4 leaves out the x-amz-content-sha256 header, which SigV4 requires of S3 only (the SDK adds it).
    const signer = new SignatureV4({ service: 'sns', region: 'eu-west-1', credentials: CREDENTIALS, sha256: Sha256, applyChecksum: false });
    const signedHeaders = /SignedHeaders=([^,]+)/.exec(String(ours!.headers.authorization))![1]!.split(';');
    const expected = await signer.sign(
      {
        method: 'POST',
        protocol: 'http:',
        hostname: '127.0.0.1',
        path: '/',
        headers: Object.fromEntries(signedHeaders.map((name) => [name, String(ours!.headers[name])])),
        body: ours!.body,
      },
      { signingDate },
    );
    expect(ours!.headers.authorization).toBe(expected.headers.authorization);
    expect(ours!.headers['x-amz-security-token']).toBe(CREDENTIALS.sessionToken);
  });

  it('reaches an endpoint given as an IPv6 literal', async () => {
    const sns = await standInOn('::1', { status: 200, body: OK });

    const output = await client(sns.endpoint).publishBatch(TOPIC, ENTRIES);

    expect(output.successfulIds).toEqual(['0']);
    expect(sns.requests[0]!.headers.host).toBe(new URL(sns.endpoint).host);
  });

  it('reads the entries SNS took and those it refused, with their decoded messages', async () => {
    const sns = await standIn({ status: 200, body: OK });

    const output = await client(sns.endpoint).publishBatch(TOPIC, ENTRIES);

    expect(output).toEqual({ successfulIds: ['0'], failed: [{ Id: '1', Code: 'InternalError', Message: 'busy & <sorry>', SenderFault: false }] });
  });

  it('tries again after a 5xx, throttling and a reset connection, and answers from the try that worked', async () => {
    const sns = await standIn({ status: 500, body: errorAnswer('InternalError') }, { status: 400, body: errorAnswer('Throttling') }, 'reset', { status: 200, body: OK });

    const output = await client(sns.endpoint, 4).publishBatch(TOPIC, ENTRIES);

    expect(output.successfulIds).toEqual(['0']);
    expect(sns.requests).toHaveLength(4);
  });

  it("refuses at once, named by SNS's code, what another try cannot change", async () => {
    const sns = await standIn({ status: 400, body: errorAnswer('InvalidParameter') });

    const outcome = client(sns.endpoint).publishBatch(TOPIC, ENTRIES);

    await expect(outcome).rejects.toBeInstanceOf(AwsServiceError);
    await expect(outcome).rejects.toMatchObject({ name: 'InvalidParameter', statusCode: 400, message: 'InvalidParameter happened' });
    expect(sns.requests).toHaveLength(1);
  });

  it('gives up after maxAttempts tries that each outlast attemptTimeoutMs', async () => {
    const sns = await standIn('silence');

    const outcome = client(sns.endpoint, 2, 100).publishBatch(TOPIC, ENTRIES);

    await expect(outcome).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(sns.requests).toHaveLength(2);
  });

  it('says which variables it needs where the environment has no credentials', async () => {
    const sns = await standIn({ status: 200, body: OK });
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    try {
      const outcome = createSnsPublishBatch({ endpoint: sns.endpoint, region: 'eu-west-1' }).publishBatch(TOPIC, ENTRIES);

      await expect(outcome).rejects.toThrow(/AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY/);
      expect(sns.requests).toHaveLength(0);
    } finally {
      if (saved.id !== undefined) process.env.AWS_ACCESS_KEY_ID = saved.id;
      if (saved.secret !== undefined) process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
    }
  });
});
