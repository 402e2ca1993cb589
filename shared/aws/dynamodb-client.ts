/**
 * The DynamoDB document client, built like every other client (request-handler.ts). A module of its own
 * because @aws-sdk/lib-dynamodb does not declare itself free of side effects, so esbuild keeps it
 * (and most of the DynamoDB client) in every bundle that imports its module, used or not.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type ClientOptions, requestHandler } from './request-handler.ts';

export function createDynamoDocumentClient(options: ClientOptions = {}): DynamoDBDocumentClient {
  const client = new DynamoDBClient({ maxAttempts: options.maxAttempts ?? 3, requestHandler: requestHandler(options) });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
