/**
 * Route groups of the operator API (`/api/<pathPart>/...`), as data: adding one is one entry
 * here. The operator API stack gives each group a CallbackFunction behind `ANY /api/<pathPart>`
 * and `ANY /api/<pathPart>/{proxy+}`, bound to its tables, behind the stack's authorizer.
 *
 * Example (presence lookups):
 *   { pathPart: 'presence', entryName: 'operator-presence', tables: [{ table: 'presence', access: 'read' }] }
 */
import type { TableKey } from '#shared/store/table-definitions.ts';
import type { TableAccess } from './constructs/callback-function.ts';

export interface OperatorRouteGroup {
  /** First path segment under `/api`. */
  readonly pathPart: string;
  /** Directory under `functions/` with the handler (API Gateway REST proxy events). */
  readonly entryName: string;
  readonly tables?: readonly { readonly table: TableKey; readonly access: TableAccess }[];
  /** Whether it publishes chat events (e.g. moderators' decisions). */
  readonly publishesChatEvents?: boolean;
  /** @default 10 */
  readonly timeoutSeconds?: number;
  readonly environment?: Readonly<Record<string, string>>;
}

export const OPERATOR_ROUTES: readonly OperatorRouteGroup[] = [
  // The moderation policy: GET the version in force, PUT a new one.
  { pathPart: 'moderation', entryName: 'operator-api', tables: [{ table: 'moderationPolicy', access: 'readWrite' }] },
];
