/**
 * The moderation policy in DynamoDB, one version per save, never overwritten. A version is a small
 * head item plus its body (the document's JSON, `policy-body.ts`) in chunk items, because a
 * 100,000-term policy is megabytes and an item holds at most 400 KB:
 *
 *   policyId = "active"                | version = N     | body = "body#N#<saveId>" | chunkCount | byteLength | sha256 | updatedAt | updatedBy
 *   policyId = "body#N#<saveId>"       | version = 0..k  (the chunk's index)        | bytes (B)
 *
 * A save writes the chunks first, under a key no other save uses, and then the head, with a
 * conditional put of the next version. Readers follow heads only, so they never see a half-written
 * body, and of two concurrent saves one head wins. The loser deletes its chunks; chunks left by a
 * save that stopped between the two steps belong to no head and are never read. (No transaction
 * could write both: TransactWriteItems takes 4 MB in all, and dynalite has none.) Heads written
 * before bodies were chunked hold the document inline (`policy`) and are still read.
 */
import { randomUUID } from 'node:crypto';
import { DeleteCommand, PutCommand, QueryCommand, type DynamoDocumentClient } from '../aws/dynamodb-client.ts';
import * as z from 'zod/mini';
import { StoredPolicyDocument, type ModerationPolicy } from '../moderation/policy.ts';
import { batchPutAll } from './batch-items.ts';
import { conditionHeld } from './conditional-write.ts';
import { PolicyVersionConflictError, StoredPolicyUnreadableError } from './errors.ts';
import { decodePolicyBody, encodePolicyBody } from './policy-body.ts';
import type { PolicyStore, PolicyVersionInfo, StoredPolicy } from './policy-store.ts';

const HEAD_ID = 'active';
const isNewVersion = 'attribute_not_exists(policyId)';

interface HeadItem extends PolicyVersionInfo {
  readonly body?: string;
  readonly chunkCount?: number;
  readonly byteLength?: number;
  readonly sha256?: string;
  /** Inline document of a version saved before bodies were chunked. */
  readonly policy?: unknown;
}

export class DynamoDbPolicyStore implements PolicyStore {
  constructor(
    private readonly client: DynamoDocumentClient,
    private readonly tableName: string,
  ) {}

  async latestVersion(): Promise<PolicyVersionInfo | undefined> {
    const head = await this.newestHead('#version, updatedAt, updatedBy');
    return head && { version: head.version, updatedAt: head.updatedAt, updatedBy: head.updatedBy };
  }

  async latest(): Promise<StoredPolicy | undefined> {
    const head = await this.newestHead();
    if (!head) return undefined;
    const json = head.policy ?? (await this.readBody(head));
    const document = StoredPolicyDocument.safeParse(json);
    if (!document.success) throw new StoredPolicyUnreadableError(head.version, z.prettifyError(document.error));
    return {
      version: head.version,
      policy: { ...document.data, version: head.version },
      updatedAt: head.updatedAt,
      updatedBy: head.updatedBy,
    };
  }

  async save(policy: ModerationPolicy, expectedVersion: number, updatedBy: string): Promise<StoredPolicy> {
    // Versions stay consecutive: a caller ahead of or behind the newest version is refused here,
    // and the conditional put of the head refuses the loser of a race between two callers.
    const current = (await this.latestVersion())?.version ?? 0;
    if (current !== expectedVersion) throw new PolicyVersionConflictError(expectedVersion, current);
    const version = expectedVersion + 1;
    const stored: StoredPolicy = { version, policy: { ...policy, version }, updatedAt: new Date().toISOString(), updatedBy };
    const { chunks, byteLength, sha256 } = encodePolicyBody(stored.policy);
    const body = `body#${version}#${randomUUID()}`;
    try {
      await batchPutAll(this.client, this.tableName, chunks.map((bytes, index) => ({ policyId: body, version: index, bytes })));
    } catch (error) {
      await this.deleteChunks(body, chunks.length);
      throw error;
    }
    const head = { policyId: HEAD_ID, version, body, chunkCount: chunks.length, byteLength, sha256, updatedAt: stored.updatedAt, updatedBy };
    const saved = await conditionHeld(
      this.client.send(new PutCommand({ TableName: this.tableName, Item: head, ConditionExpression: isNewVersion })),
    );
    // Only a refused head is known not to point at the chunks; after any other failure they stay.
    if (!saved) {
      await this.deleteChunks(body, chunks.length);
      throw new PolicyVersionConflictError(expectedVersion, (await this.latestVersion())?.version);
    }
    return stored;
  }

  private async newestHead(projection?: string): Promise<HeadItem | undefined> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'policyId = :policyId',
        ExpressionAttributeValues: { ':policyId': HEAD_ID },
        ...(projection ? { ProjectionExpression: projection, ExpressionAttributeNames: { '#version': 'version' } } : {}),
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    return result.Items?.[0] as HeadItem | undefined;
  }

  /** The document the head's chunks hold (a query returns them sorted by index, a page per MB). */
  private async readBody({ version, body, chunkCount, byteLength, sha256 }: HeadItem): Promise<unknown> {
    if (body === undefined || chunkCount === undefined || byteLength === undefined || sha256 === undefined) {
      throw new StoredPolicyUnreadableError(version, 'its head names no body');
    }
    const chunks: Uint8Array[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'policyId = :body',
          ExpressionAttributeValues: { ':body': body },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) chunks.push(item.bytes as Uint8Array);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    if (chunks.length !== chunkCount) throw new StoredPolicyUnreadableError(version, `${chunks.length} of its ${chunkCount} chunks were found`);
    return decodePolicyBody(version, chunks, { byteLength, sha256 });
  }

  /** Best effort: chunks that no head names are never read, so a failed delete leaves only garbage. */
  private async deleteChunks(body: string, count: number): Promise<void> {
    await Promise.allSettled(
      Array.from({ length: count }, (_, index) =>
        this.client.send(new DeleteCommand({ TableName: this.tableName, Key: { policyId: body, version: index } })),
      ),
    );
  }
}
