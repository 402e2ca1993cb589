/**
 * Every DynamoDB table of the service, as plain data: keys, indexes and TTL. The CDK data stack
 * builds its `dynamodb.Table`s from this map and the local mode creates the same tables in
 * dynalite from it, so the two cannot drift. Adding a table is one entry here; the infra README's
 * "Table design" section documents its access patterns.
 */

/** DynamoDB scalar key types: string, number, binary. */
export type KeyType = 'S' | 'N' | 'B';

export interface KeyAttribute {
  readonly name: string;
  readonly type: KeyType;
}

/** Which attributes an index copies: all, keys only, or keys plus the listed ones. */
export type IndexProjection = 'ALL' | 'KEYS_ONLY' | { readonly include: readonly string[] };

export interface GlobalSecondaryIndexDefinition {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly projection: IndexProjection;
}

export interface TableDefinition {
  /** Table name in the local stand-ins; in AWS CloudFormation names it and the Lambdas get it here. */
  readonly localName: string;
  /** Environment variable that carries the table's name to the functions bound to it. */
  readonly envVar: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly globalSecondaryIndexes?: readonly GlobalSecondaryIndexDefinition[];
  /** Epoch-seconds attribute after which DynamoDB deletes the item (AWS only; readers filter locally). */
  readonly timeToLiveAttribute?: string;
}

export const TABLE_DEFINITIONS = {
  /**
   * The moderation policy, never overwritten: per version a head item (`policyId = "active"`) and
   * its body in chunk items (`policyId = "body#<version>#<saveId>"`, the sort key holding the chunk
   * index). The newest is a one-item query on the heads (descending); a save writes the chunks,
   * then a conditional put of the next version's head (`dynamodb-policy-store.ts`).
   */
  moderationPolicy: {
    localName: 'moderation-policy',
    envVar: 'POLICY_TABLE_NAME',
    partitionKey: { name: 'policyId', type: 'S' },
    sortKey: { name: 'version', type: 'N' },
  },
  /**
   * Blocked and flagged messages per user, for repeat-offender rules: "violations of user U since
   * T" is one key-range count on `occurredAtMessage` (`<ISO time>#<messageID>`, idempotent per message).
   */
  moderationViolations: {
    localName: 'moderation-violations',
    envVar: 'VIOLATIONS_TABLE_NAME',
    partitionKey: { name: 'userID', type: 'S' },
    sortKey: { name: 'occurredAtMessage', type: 'S' },
    timeToLiveAttribute: 'expiresAt',
  },
  /**
   * Presence: per user, one item per platform (`entry = "platform#<platformID>"`) holding its
   * newest event, and one `entry = "kickoff"` item holding the newest kick-off time. Writes are
   * conditional on the event being newer; the user summary is derived from the user's items at
   * read time (one Query), so racing writers can never leave a stale summary behind.
   */
  presence: {
    localName: 'presence',
    envVar: 'PRESENCE_TABLE_NAME',
    partitionKey: { name: 'userID', type: 'S' },
    sortKey: { name: 'entry', type: 'S' },
  },
  /**
   * Audit trail: one item per natural key (`recordID`, e.g. `sent#<serverMsgID>`), so redelivery
   * overwrites the same item. Sparse GSIs list a conversation's, a sender's or a group's records
   * newest first on `timeKey` (`<13-digit unix ms>#<recordID>`); `expiresAt` is the retention TTL.
   */
  audit: {
    localName: 'audit',
    envVar: 'AUDIT_TABLE_NAME',
    partitionKey: { name: 'recordID', type: 'S' },
    globalSecondaryIndexes: [
      { indexName: 'byConversation', partitionKey: { name: 'conversationID', type: 'S' }, sortKey: { name: 'timeKey', type: 'S' }, projection: 'ALL' },
      { indexName: 'bySender', partitionKey: { name: 'sendID', type: 'S' }, sortKey: { name: 'timeKey', type: 'S' }, projection: 'ALL' },
      { indexName: 'byGroup', partitionKey: { name: 'groupID', type: 'S' }, sortKey: { name: 'timeKey', type: 'S' }, projection: 'ALL' },
    ],
    timeToLiveAttribute: 'expiresAt',
  },
  /**
   * Push device registry: one item per user with a map of its devices (`devices.<deviceID>` =
   * {platform, provider, token, updatedAt}), so the push worker reads 100 users per BatchGetItem
   * and the per-user cap is a condition on the map's size.
   */
  pushDevices: {
    localName: 'push-devices',
    envVar: 'PUSH_DEVICES_TABLE_NAME',
    partitionKey: { name: 'userID', type: 'S' },
  },
  /**
   * Push preferences: one item per user (muted, doNotDisturb {start, end}, timeZone, and the
   * string set mutedConversations), read 100 users per BatchGetItem by the push worker.
   */
  pushPreferences: {
    localName: 'push-preferences',
    envVar: 'PUSH_PREFERENCES_TABLE_NAME',
    partitionKey: { name: 'userID', type: 'S' },
  },
  /**
   * Push delivery log: one item per delivery window of a push job (up to 50 recipients), holding
   * each of their devices' outcome (`deliveryID = "<messageID>#window#<hash of its users>"`), so a
   * redelivered job skips them.
   */
  pushDeliveries: {
    localName: 'push-deliveries',
    envVar: 'PUSH_DELIVERIES_TABLE_NAME',
    partitionKey: { name: 'deliveryID', type: 'S' },
    timeToLiveAttribute: 'expiresAt',
  },
  /**
   * Push outbox (the local default provider): per user, oldest first on
   * `entry = "<queuedAt>#<messageID>#<deviceID>"`, idempotent per (message, device).
   */
  pushOutbox: {
    localName: 'push-outbox',
    envVar: 'PUSH_OUTBOX_TABLE_NAME',
    partitionKey: { name: 'userID', type: 'S' },
    sortKey: { name: 'entry', type: 'S' },
    timeToLiveAttribute: 'expiresAt',
  },
  /**
   * Review queue: one item per flagged message (`itemId` = clientMsgID), claimed and decided with
   * conditional writes. GSI `byQueue` lists `queue = "open"` (pending + claimed) by flag time and
   * `queue = "decided"` by decision time, oldest first on `queuedAt` (`<ISO>#<itemId>`); decided
   * items expire through `expiresAt` (the moderation log keeps every decision).
   */
  reviewItems: {
    localName: 'review-items',
    envVar: 'REVIEW_ITEMS_TABLE_NAME',
    partitionKey: { name: 'itemId', type: 'S' },
    globalSecondaryIndexes: [{ indexName: 'byQueue', partitionKey: { name: 'queue', type: 'S' }, sortKey: { name: 'queuedAt', type: 'S' }, projection: 'ALL' }],
    timeToLiveAttribute: 'expiresAt',
  },
  /**
   * Moderation log, append-only: one item per decision, penalty or lift (`entryId`), put once.
   * GSIs `byUser` and `byItem` (sparse: penalties have no item) list entries newest first on
   * `atEntry` (`<ISO>#<entryId>`). No TTL: the log is kept for good.
   */
  moderationLog: {
    localName: 'moderation-log',
    envVar: 'MODERATION_LOG_TABLE_NAME',
    partitionKey: { name: 'entryId', type: 'S' },
    globalSecondaryIndexes: [
      { indexName: 'byUser', partitionKey: { name: 'userID', type: 'S' }, sortKey: { name: 'atEntry', type: 'S' }, projection: 'ALL' },
      { indexName: 'byItem', partitionKey: { name: 'itemId', type: 'S' }, sortKey: { name: 'atEntry', type: 'S' }, projection: 'ALL' },
    ],
  },
  /**
   * Repeat-offender penalties in force and their cooldown: one item per `penaltyKey`
   * (`forbid#<userID>` or `mute#<groupID>#<userID>`); a conditional put starts one only when none
   * is in its cooldown, so concurrent workers start it once.
   */
  moderationPenalties: {
    localName: 'moderation-penalties',
    envVar: 'PENALTIES_TABLE_NAME',
    partitionKey: { name: 'penaltyKey', type: 'S' },
  },
} as const satisfies Record<string, TableDefinition>;

export type TableKey = keyof typeof TABLE_DEFINITIONS;

export const TABLE_KEYS = Object.keys(TABLE_DEFINITIONS) as TableKey[];
