/**
 * Tables the two callback Lambdas use, as data: binding one is one entry here (the table's
 * variable, e.g. POLICY_TABLE_NAME, is set and only `access`'s actions are granted). The table
 * itself is an entry of TABLE_DEFINITIONS whose `envVar` is the variable the handler reads.
 *
 */
import type { TableKey } from '#shared/store/table-definitions.ts';
import type { TableAccess } from './constructs/callback-function.ts';

export interface TableBinding {
  readonly table: TableKey;
  readonly access: TableAccess;
}

export const CALLBACK_TABLES: { readonly before: readonly TableBinding[]; readonly after: readonly TableBinding[] } = {
  // Moderation: reads (and seeds) the policy; violations are counted by the review worker.
  before: [
    { table: 'moderationPolicy', access: 'readWrite' },
    // Push, PUSH_MODE=enrich: drops recipients whose preferences keep the notification from them.
    { table: 'pushPreferences', access: 'read' },
  ],
  after: [],
};
