/**
 * Push preferences in DynamoDB, one item per user, read 100 users at a time by the push worker.
 * Muted conversations are a string set, so muting one is an atomic ADD/DELETE that never
 * overwrites a concurrent change to another (DynamoDB has no empty sets: none muted = absent).
 *
 *   userID | muted | doNotDisturb? = {start, end} | timeZone | mutedConversations? (SS) | updatedAt
 */
import { GetCommand, UpdateCommand, type DynamoDocumentClient } from '../aws/dynamodb-client.ts';
import type { PreferencesUpdate, PushPreferences } from '../push/preferences.ts';
import { batchGetAll } from './batch-items.ts';
import { defaultPreferences, type PreferenceStore } from './preference-store.ts';

export class DynamoDbPreferenceStore implements PreferenceStore {
  constructor(
    private readonly client: DynamoDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(userID: string): Promise<PushPreferences> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { userID }, ConsistentRead: true }));
    return Item ? preferencesIn(Item) : defaultPreferences(userID);
  }

  async put(userID: string, update: PreferencesUpdate, now: Date): Promise<PushPreferences> {
    const setDnd = update.doNotDisturb !== null;
    return this.update(userID, {
      // Names throughout: several of these words are DynamoDB reserved words.
      UpdateExpression: `SET #muted = :muted, #timeZone = :timeZone, updatedAt = :now${setDnd ? ', #dnd = :dnd' : ' REMOVE #dnd'}`,
      ExpressionAttributeNames: { '#muted': 'muted', '#timeZone': 'timeZone', '#dnd': 'doNotDisturb' },
      ExpressionAttributeValues: {
        ':muted': update.muted,
        ':timeZone': update.timeZone,
        ':now': now.toISOString(),
        ...(setDnd ? { ':dnd': update.doNotDisturb } : {}),
      },
    });
  }

  async muteConversation(userID: string, conversationID: string, now: Date): Promise<PushPreferences> {
    return this.update(userID, {
      UpdateExpression: 'ADD mutedConversations :one SET updatedAt = :now',
      ExpressionAttributeValues: { ':one': new Set([conversationID]), ':now': now.toISOString() },
    });
  }

  async unmuteConversation(userID: string, conversationID: string, now: Date): Promise<PushPreferences> {
    return this.update(userID, {
      UpdateExpression: 'DELETE mutedConversations :one SET updatedAt = :now',
      ExpressionAttributeValues: { ':one': new Set([conversationID]), ':now': now.toISOString() },
    });
  }

  async preferencesOf(userIDs: readonly string[]): Promise<Map<string, PushPreferences>> {
    const items = await batchGetAll(this.client, this.tableName, [...new Set(userIDs)].map((userID) => ({ userID })));
    return new Map(items.map((item) => [item.userID as string, preferencesIn(item)]));
  }

  private async update(
    userID: string,
    expression: {
      readonly UpdateExpression: string;
      readonly ExpressionAttributeNames?: Record<string, string>;
      readonly ExpressionAttributeValues: Record<string, unknown>;
    },
  ): Promise<PushPreferences> {
    const { Attributes } = await this.client.send(
      new UpdateCommand({ TableName: this.tableName, Key: { userID }, ...expression, ReturnValues: 'ALL_NEW' }),
    );
    return preferencesIn(Attributes ?? { userID });
  }
}

function preferencesIn(item: Record<string, unknown>): PushPreferences {
  const defaults = defaultPreferences(item.userID as string);
  const muted = item.mutedConversations;
  return {
    userID: defaults.userID,
    muted: typeof item.muted === 'boolean' ? item.muted : defaults.muted,
    doNotDisturb: (item.doNotDisturb as PushPreferences['doNotDisturb'] | undefined) ?? null,
    timeZone: typeof item.timeZone === 'string' ? item.timeZone : defaults.timeZone,
    mutedConversations: muted instanceof Set ? [...(muted as Set<string>)].sort() : [],
  };
}
