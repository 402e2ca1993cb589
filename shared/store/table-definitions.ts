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
   * Powertools Idempotency's DynamoDBPersistenceLayer in its default layout: one item per
   * idempotency key in `id`, expired records removed through `expiration`.
   */
  idempotency: {
    localName: 'idempotency',
    envVar: 'IDEMPOTENCY_TABLE_NAME',
    partitionKey: { name: 'id', type: 'S' },
    timeToLiveAttribute: 'expiration',
  },
  /**
   * The moderation policy, one item per version (never overwritten): the newest is a one-item
   * query (`policyId = "active"`, descending); a save is a conditional put of the next version.
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
} as const satisfies Record<string, TableDefinition>;

export type TableKey = keyof typeof TABLE_DEFINITIONS;

export const TABLE_KEYS = Object.keys(TABLE_DEFINITIONS) as TableKey[];
