/**
 * Claim-checked events in an S3 bucket (fauxqs' S3 locally, at AWS_ENDPOINT_URL_S3). The bucket
 * is encrypted, private and expires objects by lifecycle (infra/stacks/messaging-stack.ts); this
 * adapter only puts and gets, which is all the grants allow.
 *
 * The S3 client is imported on the first claim check, not with this module: few events need one,
 * and the client (its XML protocol and checksums) is the largest part of the callbacks' bundles,
 * which keep it in a chunk of its own that a cold start does not read (docs/benchmarks.md "Cold starts").
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { loadClaimCheckConfig } from '../config/claim-check-config.ts';
import type { ClaimCheckStore } from './claim-check-store.ts';
import { ClaimCheckMissingError } from './errors.ts';

export class S3ClaimCheckStore implements ClaimCheckStore {
  private client: Promise<S3Client> | undefined;

  /** `client`: the client to use, or a function that creates it on the first claim check. */
  constructor(
    client: S3Client | (() => Promise<S3Client>),
    private readonly bucketName: string,
  ) {
    this.createClient = typeof client === 'function' ? client : async () => client;
  }

  private readonly createClient: () => Promise<S3Client>;

  async put(key: string, body: string): Promise<void> {
    const [client, { PutObjectCommand }] = await Promise.all([this.s3(), import('@aws-sdk/client-s3')]);
    await client.send(new PutObjectCommand({ Bucket: this.bucketName, Key: key, Body: body, ContentType: 'application/json' }));
  }

  async get(key: string): Promise<string> {
    const [client, { GetObjectCommand, NoSuchKey }] = await Promise.all([this.s3(), import('@aws-sdk/client-s3')]);
    try {
      const object = await client.send(new GetObjectCommand({ Bucket: this.bucketName, Key: key }));
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

  private s3(): Promise<S3Client> {
    // A failed import is not remembered: the next claim check tries again.
    this.client ??= this.createClient().catch((error: unknown) => {
      this.client = undefined;
      throw error;
    });
    return this.client;
  }
}

/** The store the environment configures (CHAT_EVENT_PAYLOADS_BUCKET), or undefined when it names none. */
export function claimCheckStoreFromEnv(env: NodeJS.ProcessEnv = process.env): ClaimCheckStore | undefined {
  const { bucketName } = loadClaimCheckConfig(env);
  return bucketName ? new S3ClaimCheckStore(async () => (await import('../aws/s3-client.ts')).createS3Client(), bucketName) : undefined;
}
