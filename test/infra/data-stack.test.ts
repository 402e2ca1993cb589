import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { TABLE_DEFINITIONS, type TableDefinition } from '#shared/store/table-definitions.ts';
import { DataStack } from '../../infra/stacks/data-stack.ts';
import { appWithoutBundling } from './helpers.ts';

const WITH_INDEX: Record<string, TableDefinition> = {
  presence: {
    localName: 'presence',
    envVar: 'PRESENCE_TABLE_NAME',
    partitionKey: { name: 'userID', type: 'S' },
    sortKey: { name: 'platformID', type: 'N' },
    globalSecondaryIndexes: [
      { indexName: 'byLastSeen', partitionKey: { name: 'status', type: 'S' }, sortKey: { name: 'lastSeen', type: 'N' }, projection: { include: ['platform'] } },
    ],
    timeToLiveAttribute: 'expiresAt',
  },
};

describe('Stack: DataStack', () => {
  let template: Template;
  let stack: DataStack;
  let indexed: Template;

  beforeAll(() => {
    stack = new DataStack(appWithoutBundling(), 'Data');
    template = Template.fromStack(stack);
    indexed = Template.fromStack(new DataStack(appWithoutBundling(), 'Indexed', { definitions: WITH_INDEX }));
  });

  it('creates one table per TABLE_DEFINITIONS entry', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', Object.keys(TABLE_DEFINITIONS).length);
  });

  it('keys the violations table on user and time, with TTL on expiresAt', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'userID', KeyType: 'HASH' },
        { AttributeName: 'occurredAtMessage', KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('bills every table on demand with point-in-time recovery', () => {
    for (const table of Object.values(template.findResources('AWS::DynamoDB::Table'))) {
      expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST');
      expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    }
  });

  it('retains every table when the stack is deleted', () => {
    for (const table of Object.values(template.findResources('AWS::DynamoDB::Table'))) {
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.UpdateReplacePolicy).toBe('Retain');
    }
  });

  it('is termination-protected', () => {
    expect(stack.terminationProtection).toBe(true);
  });

  it('builds sort keys and GSIs with their projection from the definition', () => {
    indexed.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'userID', KeyType: 'HASH' },
        { AttributeName: 'platformID', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byLastSeen',
          KeySchema: [
            { AttributeName: 'status', KeyType: 'HASH' },
            { AttributeName: 'lastSeen', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['platform'] },
        },
      ],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });
});
