/**
 * The operator API's operations outside the review queue: policy, presence, audit, devices, push
 * outbox and preferences, and the API's own documentation (its page is the local server's own route,
 * local/reference-page.ts). The review queue's are in
 * shared/review/review-operations.ts.
 */
import * as z from 'zod';
import { AuditQuery } from '../audit/audit-routes.ts';
import { ModerationPolicy } from '../moderation/policy.ts';
import { PresenceBatchRequest } from '../presence/presence-routes.ts';
import { DeviceRegistration, PathId } from '../push/device.ts';
import { PreferencesUpdate } from '../push/preferences.ts';
import { OutboxQuery } from '../push/push-routes.ts';
import type { Operation } from './operation.ts';
import { roleForMethod } from './require-role.ts';
import {
  AuditPage,
  DeviceList,
  DeviceRemoved,
  OutboxPage,
  Preferences,
  Presence,
  PresenceBatchReply,
  RegisteredDevice,
} from './operator-api-schemas.ts';

const StoredPolicy = z.object({ version: z.number().int(), policy: ModerationPolicy, updatedAt: z.string(), updatedBy: z.string() });
const userID = { userID: PathId };
const conversation = { userID: PathId, conversationID: PathId };

const OPERATIONS_WITHOUT_ROLES: readonly Operation[] = [
  {
    method: 'get',
    path: '/api/moderation/policy',
    summary: 'The moderation policy in force',
    reply: StoredPolicy,
    errors: { 404: 'no policy has been saved yet (the callbacks then use MODERATION_POLICY_FILE or none)' },
    role: 'triage',
  },
  {
    method: 'put',
    path: '/api/moderation/policy',
    summary: 'Save a new policy version',
    description:
      'The body is the policy document; its `version`, when given, is the version the change was based on. 400 lists every problem in `errors` (path, message, and list, index, term for a term).',
    body: ModerationPolicy,
    reply: StoredPolicy,
    errors: { 409: 'another save came first; `currentVersion` names the newest version', 413: 'the policy is larger than a stored policy may be' },
    role: 'admin',
  },
  { method: 'get', path: '/api/presence/{userID}', summary: "A user's presence: online platforms and last seen", reply: Presence },
  {
    method: 'post',
    path: '/api/presence:batch',
    summary: 'The presence of up to 100 users at once',
    body: PresenceBatchRequest,
    reply: PresenceBatchReply,
  },
  {
    method: 'get',
    path: '/api/audit',
    summary: 'The audit trail of one conversation, sender or group, newest first, paged',
    description: 'Give exactly one of conversationID, sendID, groupID.',
    query: AuditQuery,
    reply: AuditPage,
  },
  {
    method: 'put',
    path: '/api/devices/{userID}/{deviceID}',
    summary: "Register (or replace) one of a user's push devices",
    pathParameters: { userID: PathId, deviceID: PathId },
    body: DeviceRegistration,
    reply: RegisteredDevice,
    errors: { 409: 'the user already has PUSH_MAX_DEVICES_PER_USER devices; `limit` names it' },
  },
  {
    method: 'delete',
    path: '/api/devices/{userID}/{deviceID}',
    summary: 'Remove a push device',
    pathParameters: { userID: PathId, deviceID: PathId },
    reply: DeviceRemoved,
    errors: { 404: 'no such device' },
  },
  { method: 'get', path: '/api/devices/{userID}', summary: "A user's push devices", pathParameters: userID, reply: DeviceList },
  {
    method: 'get',
    path: '/api/push/outbox',
    summary: "The local outbox provider's notifications for a user, oldest first, paged",
    query: OutboxQuery,
    reply: OutboxPage,
  },
  { method: 'get', path: '/api/push/preferences/{userID}', summary: "A user's push preferences", pathParameters: userID, reply: Preferences },
  {
    method: 'put',
    path: '/api/push/preferences/{userID}',
    summary: "Replace a user's mute, do-not-disturb hours and time zone (omitted: the default)",
    pathParameters: userID,
    body: PreferencesUpdate,
    reply: Preferences,
  },
  {
    method: 'put',
    path: '/api/push/preferences/{userID}/conversations/{conversationID}',
    summary: 'Mute one conversation for a user',
    pathParameters: conversation,
    reply: Preferences,
  },
  {
    method: 'delete',
    path: '/api/push/preferences/{userID}/conversations/{conversationID}',
    summary: 'Unmute one conversation for a user',
    pathParameters: conversation,
    reply: Preferences,
  },
  {
    method: 'get',
    path: '/api/openapi.json',
    summary: 'This document',
    reply: z.record(z.string(), z.unknown()).describe('OpenAPI 3.1'),
  },
  {
    method: 'get',
    path: '/api/docs/',
    summary: 'This document as a browsable page (swagger-ui); served by npm start only, its files need no token',
    reply: z.string().describe('HTML'),
    replyMediaType: 'text/html',
    public: true,
    errors: { 404: 'no such file of the page' },
  },
];

/** The groups whose handlers check roles by method (require-role.ts); presence (batch included) and audit only read. */
const ROLE_BY_METHOD_GROUPS = ['/api/presence', '/api/audit', '/api/devices', '/api/push'];
const READ_ONLY_GROUPS = ['/api/presence', '/api/audit'];
const inGroup = (path: string, groups: readonly string[]) => groups.some((prefix) => path.startsWith(prefix));

export const OPERATOR_OPERATIONS: readonly Operation[] = OPERATIONS_WITHOUT_ROLES.map((operation) =>
  inGroup(operation.path, ROLE_BY_METHOD_GROUPS) ? { ...operation, role: roleForMethod(operation.method, { readOnly: inGroup(operation.path, READ_ONLY_GROUPS) }) } : operation,
);
