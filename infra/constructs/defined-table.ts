/**
 * A DynamoDB table built from its plain definition in `shared/store/table-definitions.ts`, with
 * the data stack's safe defaults: on-demand, point-in-time recovery, AWS-owned encryption at rest,
 * RETAIN on delete, TTL and GSIs exactly as defined. It carries the name of the environment
 * variable through which bound functions learn its name (see CallbackFunction.bindTable).
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import type { IndexProjection, KeyAttribute, TableDefinition } from '#shared/store/table-definitions.ts';

export interface DefinedTableProps {
  readonly definition: TableDefinition;
  /** @default RemovalPolicy.RETAIN: data outlives the stack; see infra/README.md "Teardown". */
  readonly removalPolicy?: RemovalPolicy;
}

const ATTRIBUTE_TYPES: Record<KeyAttribute['type'], dynamodb.AttributeType> = {
  S: dynamodb.AttributeType.STRING,
  N: dynamodb.AttributeType.NUMBER,
  B: dynamodb.AttributeType.BINARY,
};

export class DefinedTable extends dynamodb.Table {
  /** Environment variable that carries this table's name to bound functions. */
  public readonly envVar: string;

  constructor(scope: Construct, id: string, props: DefinedTableProps) {
    const { definition } = props;
    super(scope, id, {
      partitionKey: attribute(definition.partitionKey),
      ...(definition.sortKey ? { sortKey: attribute(definition.sortKey) } : {}),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      ...(definition.timeToLiveAttribute ? { timeToLiveAttribute: definition.timeToLiveAttribute } : {}),
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.envVar = definition.envVar;
    for (const index of definition.globalSecondaryIndexes ?? []) {
      this.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        ...(index.sortKey ? { sortKey: attribute(index.sortKey) } : {}),
        ...projection(index.projection),
      });
    }
  }
}

function attribute(key: KeyAttribute): dynamodb.Attribute {
  return { name: key.name, type: ATTRIBUTE_TYPES[key.type] };
}

function projection(value: IndexProjection): Pick<dynamodb.GlobalSecondaryIndexProps, 'projectionType' | 'nonKeyAttributes'> {
  if (value === 'ALL') return { projectionType: dynamodb.ProjectionType.ALL };
  if (value === 'KEYS_ONLY') return { projectionType: dynamodb.ProjectionType.KEYS_ONLY };
  return { projectionType: dynamodb.ProjectionType.INCLUDE, nonKeyAttributes: [...value.include] };
}
