/**
 * State: one DynamoDB table per TABLE_DEFINITIONS entry (on-demand, PITR, TTL, GSIs, RETAIN).
 * Termination-protected, because losing this stack loses audit and moderation history.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { TABLE_DEFINITIONS, type TableDefinition, type TableKey } from '#shared/store/table-definitions.ts';
import { DefinedTable } from '../constructs/defined-table.ts';

export interface DataStackProps extends StackProps {
  /** @default TABLE_DEFINITIONS */
  readonly definitions?: Readonly<Record<string, TableDefinition>>;
}

export class DataStack extends Stack {
  public readonly tables: Readonly<Record<TableKey, DefinedTable>>;

  constructor(scope: Construct, id: string, props: DataStackProps = {}) {
    super(scope, id, { terminationProtection: true, ...props });
    const definitions = props.definitions ?? TABLE_DEFINITIONS;
    const tables: Record<string, DefinedTable> = {};
    for (const [key, definition] of Object.entries(definitions)) {
      tables[key] = new DefinedTable(this, tableId(key), { definition });
    }
    this.tables = tables as Record<TableKey, DefinedTable>;
  }
}

/** `moderationPolicy` -> `ModerationPolicyTable`: construct IDs stay stable as the map grows. */
function tableId(key: string): string {
  return `${key.charAt(0).toUpperCase()}${key.slice(1)}Table`;
}
