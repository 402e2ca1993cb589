/**
 * Route groups of the operator API (`/api/<pathPart>/...`), as data: adding one is one entry
 * here. The operator API stack gives each group a CallbackFunction behind `ANY /api/<pathPart>`
 * and `ANY /api/<pathPart>/{proxy+}`, bound to its tables, behind the stack's authorizer.
 *
 * Example (presence lookups):
 *   { pathPart: 'presence', entryName: 'operator-presence', tables: [{ table: 'presence', access: 'read' }] }
 */
import type { SettingGroupName } from './config/deployment-settings.ts';
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
  /** MB; Lambda's CPU share grows with it (one vCPU at 1,769 MB). @default 256 */
  readonly memorySize?: number;
  readonly environment?: Readonly<Record<string, string>>;
  /** Deployment settings it needs (infra/config/deployment-settings.ts), from CDK context. */
  readonly settings?: readonly SettingGroupName[];
}

export const OPERATOR_ROUTES: readonly OperatorRouteGroup[] = [
  // The moderation policy: GET the version in force, PUT a new one. A PUT checks every term through
  // the compiler (100,000 terms: about 5 s of one core measured locally), so it gets a whole vCPU and
  // API Gateway's full 29 s.
  {
    pathPart: 'moderation',
    entryName: 'operator-api',
    tables: [{ table: 'moderationPolicy', access: 'readWrite' }],
    memorySize: 1_769,
    timeoutSeconds: 29,
  },
  // Presence: GET /api/presence/{userID}; POST /api/presence:batch (its own path segment, same router).
  { pathPart: 'presence', entryName: 'operator-presence', tables: [{ table: 'presence', access: 'read' }] },
  { pathPart: 'presence:batch', entryName: 'operator-presence-batch', tables: [{ table: 'presence', access: 'read' }] },
  // Audit trail: GET /api/audit?conversationID=...|sendID=...|groupID=..., newest first, paged.
  { pathPart: 'audit', entryName: 'operator-audit', tables: [{ table: 'audit', access: 'read' }] },
  // Push devices: PUT|DELETE /api/devices/{userID}/{deviceID}, GET /api/devices/{userID}.
  { pathPart: 'devices', entryName: 'operator-devices', tables: [{ table: 'pushDevices', access: 'readWrite' }] },
  // Push outbox and preferences: GET /api/push/outbox?userID=..., /api/push/preferences/{userID}[/conversations/{conversationID}].
  {
    pathPart: 'push',
    entryName: 'operator-push',
    tables: [
      { table: 'pushOutbox', access: 'read' },
      { table: 'pushPreferences', access: 'readWrite' },
    ],
  },
  // Review queue: /api/review/items[/{itemId}[/claim|/decision]], /counts, /log, /penalties/lift; calls OpenIM's admin API.
  {
    pathPart: 'review',
    entryName: 'operator-review',
    publishesChatEvents: true,
    settings: ['openimAdmin'],
    // Up to three OpenIM calls with retries; API Gateway's integration timeout is 29 s.
    timeoutSeconds: 29,
    tables: [
      { table: 'reviewItems', access: 'readWrite' },
      { table: 'moderationLog', access: 'readWrite' },
      { table: 'moderationPenalties', access: 'readWrite' },
      { table: 'moderationViolations', access: 'readWrite' },
      { table: 'audit', access: 'read' },
    ],
  },
  // GET /api/openapi.json: the operator API's OpenAPI document, generated from the zod schemas.
  { pathPart: 'openapi.json', entryName: 'operator-openapi' },
];
