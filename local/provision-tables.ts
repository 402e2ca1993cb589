/**
 * Creates the service's DynamoDB tables in dynalite from the same definitions the CDK data stack
 * reads, so local and AWS tables share keys and indexes. Idempotent: a table that exists is kept.
 * TTL is not set: dynalite has no UpdateTimeToLive, and readers filter expired items themselves.
 * Returns once every table is ACTIVE: CreateTable answers while the table is still CREATING, and
 * until it is ACTIVE every item call on it fails with ResourceNotFoundException.
 */
import {
  type AttributeDefinition,
  CreateTableCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
  type Projection,
  ResourceInUseException,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import {
  type IndexProjection,
  type KeyAttribute,
  TABLE_DEFINITIONS,
  type TableDefinition,
} from '#shared/store/table-definitions.ts';

const TABLE_ACTIVE_WITHIN_SECONDS = 30;

/** Creates every table that does not exist yet; returns the names of the tables, by key. */
export async function ensureTables<K extends string>(
  client: DynamoDBClient,
  definitions: Readonly<Record<K, TableDefinition>>,
): Promise<Record<K, string>> {
  const names = {} as Record<K, string>;
  for (const [key, definition] of Object.entries(definitions) as [K, TableDefinition][]) {
    try {
      await client.send(new CreateTableCommand(createTableInput(definition)));
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
    // Checked at once, then every 10-200 ms: a table is usually ACTIVE by the first check.
    await waitUntilTableExists({ client, maxWaitTime: TABLE_ACTIVE_WITHIN_SECONDS, minDelay: 0.01, maxDelay: 0.2 }, { TableName: definition.localName });
    names[key] = definition.localName;
  }
  return names;
}

/** The service's own tables, for `npm start`. */
export function ensureServiceTables(client: DynamoDBClient): Promise<Record<keyof typeof TABLE_DEFINITIONS, string>> {
  return ensureTables(client, TABLE_DEFINITIONS);
}

/** The variables that name the service's tables, as ensureServiceTables creates them (under their local names). */
export const SERVICE_TABLE_ENVIRONMENT: Readonly<Record<string, string>> = Object.fromEntries(
  Object.values(TABLE_DEFINITIONS).map((table) => [table.envVar, table.localName]),
);

function createTableInput(definition: TableDefinition) {
  const indexes = definition.globalSecondaryIndexes ?? [];
  const keyAttributes = [
    definition.partitionKey,
    definition.sortKey,
    ...indexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  ].filter((attribute): attribute is KeyAttribute => attribute !== undefined);
  // An attribute used by several keys is declared once.
  const attributeDefinitions = [...new Map(keyAttributes.map((a) => [a.name, a])).values()].map(
    (a): AttributeDefinition => ({ AttributeName: a.name, AttributeType: a.type }),
  );
  return {
    TableName: definition.localName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: attributeDefinitions,
    KeySchema: keySchema(definition.partitionKey, definition.sortKey),
    ...(indexes.length > 0
      ? {
          GlobalSecondaryIndexes: indexes.map(
            (index): GlobalSecondaryIndex => ({
              IndexName: index.indexName,
              KeySchema: keySchema(index.partitionKey, index.sortKey),
              Projection: projection(index.projection),
            }),
          ),
        }
      : {}),
  };
}

function keySchema(partitionKey: KeyAttribute, sortKey: KeyAttribute | undefined): KeySchemaElement[] {
  return [
    { AttributeName: partitionKey.name, KeyType: 'HASH' },
    ...(sortKey ? [{ AttributeName: sortKey.name, KeyType: 'RANGE' as const }] : []),
  ];
}

function projection(value: IndexProjection): Projection {
  if (value === 'ALL' || value === 'KEYS_ONLY') return { ProjectionType: value };
  return { ProjectionType: 'INCLUDE', NonKeyAttributes: [...value.include] };
}
