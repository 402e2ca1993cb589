/**
 * Claim-checked events in an S3 bucket (fauxqs' S3 locally, at AWS_ENDPOINT_URL_S3). The bucket
 * is encrypted, private and expires objects by lifecycle (infra/stacks/messaging-stack.ts); this
 * adapter only puts and gets, which is all the grants allow.
 */
import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../aws/clients.ts';
import { loadClaimCheckConfig } from '../config/claim-check-config.ts';
import type { ClaimCheckStore } from './claim-check-store.ts';
import { ClaimCheckMissingError } from './errors.ts';

export class S3ClaimCheckStore implements ClaimCheckStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucketName: string,
  ) {}

  async put(key: string, body: string): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.bucketName, Key: key, Body: body, ContentType: 'application/json' }));
  }

  async get(key: string): Promise<string> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucketName, Key: key }));
      if (!object.Body) throw new ClaimCheckMissingError(key);
      return await object.Body.transformToString('utf8');
    } catch (error) {
      // Without s3:ListBucket (the consumers are not given it), S3 in AWS answers a missing key with
      // AccessDenied rather than NoSuchKey: the record is then retried like any failed read, and
      // still reaches the DLQ after maxReceiveCount, with that error logged.
      if (error instanceof NoSuchKey) throw new ClaimCheckMissingError(key);
      throw error;
    }
  }
}

/** The store the environment configures (CHAT_EVENT_PAYLOADS_BUCKET), or undefined when it names none. */
export function claimCheckStoreFromEnv(env: NodeJS.ProcessEnv = process.env): ClaimCheckStore | undefined {
  const { bucketName } = loadClaimCheckConfig(env);
  return bucketName ? new S3ClaimCheckStore(createS3Client(), bucketName) : undefined;
}
