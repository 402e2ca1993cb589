/**
 * Zod schemas of the operator API's requests and replies that the routes' own modules keep as
 * TypeScript interfaces (presence, audit, devices, push). The OpenAPI document is generated from
 * them; each `Conforms` line fails the type check if the interface a route really returns drifts
 * from its schema.
 */
import * as z from 'zod';
import type { AuditRecord } from '../audit/audit-record.ts';
import type { UserPresence } from '../presence/user-presence.ts';
import type { Device } from '../push/device.ts';
import { PUSH_PLATFORMS, PUSH_PROVIDER_NAMES } from '../push/device.ts';
import { DoNotDisturb } from '../push/do-not-disturb.ts';
import type { PushPreferences } from '../push/preferences.ts';
import type { OutboxItem, OutboxPage as OutboxPageOfStore } from '../store/outbox-store.ts';

type DeepReadonly<T> = T extends readonly (infer E)[] ? readonly DeepReadonly<E>[] : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;

/** Compiles only when `Actual` (what a route returns) is assignable to what `Schema` documents. */
type Conforms<Schema extends z.core.$ZodType, Actual extends DeepReadonly<z.output<Schema>>> = [Schema, Actual];

const isoTime = z.string().describe('ISO 8601 time');

export const Presence = z.object({
  userID: z.string(),
  online: z.boolean(),
  platforms: z.array(z.object({ platformID: z.number().int(), platform: z.string(), isAppBackground: z.boolean(), lastOnlineAt: isoTime })),
  lastSeen: isoTime.nullable().describe('null for a user never seen'),
  isAppBackground: z.boolean(),
});
export type PresenceConforms = Conforms<typeof Presence, UserPresence>;

export const PresenceBatchReply = z.object({ users: z.array(Presence).describe('in the order asked') });

export const AuditItem = z.looseObject({
  recordID: z.string(),
  kind: z.string().describe('e.g. message.sent, moderation.decided'),
  eventType: z.string(),
  eventId: z.string(),
  operationID: z.string(),
  occurredAt: isoTime.describe("the message's sendTime when usable, else when the event arrived"),
  expiresAt: isoTime.describe('when retention removes the record'),
  unusableSendTime: z.string().optional().describe('the sendTime as sent, when it is no usable time'),
  conversationID: z.string().optional(),
  sendID: z.string().optional(),
  recvID: z.string().optional(),
  groupID: z.string().optional(),
  serverMsgID: z.string().optional(),
  clientMsgID: z.string().optional(),
  seq: z.number().optional(),
  sessionType: z.number().optional(),
  contentType: z.number().optional(),
  content: z.string().optional().describe('the message element JSON as OpenIM sent it'),
  senderNickname: z.string().optional(),
  senderPlatformID: z.number().optional(),
  revokedBy: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});
/** The stored record with its two times as ISO strings (audit-routes.ts). */
export type AuditItemConforms = Conforms<typeof AuditItem, Omit<AuditRecord, 'occurredAt'> & { occurredAt: string; expiresAt: string }>;

export const AuditPage = z.object({ items: z.array(AuditItem).describe('newest first'), cursor: z.string().nullable().describe('null on the last page') });

const DeviceSchema = z.object({
  deviceID: z.string(),
  platform: z.enum(PUSH_PLATFORMS),
  provider: z.enum(PUSH_PROVIDER_NAMES),
  token: z.string(),
  updatedAt: isoTime,
});
export type DeviceConforms = Conforms<typeof DeviceSchema, Device>;

export const RegisteredDevice = DeviceSchema.extend({ userID: z.string() });
export const DeviceList = z.object({ userID: z.string(), devices: z.array(DeviceSchema) });
export const DeviceRemoved = z.object({ removed: z.literal(true) });

export const Preferences = z.object({
  userID: z.string(),
  muted: z.boolean(),
  doNotDisturb: z.nullable(DoNotDisturb),
  timeZone: z.string().describe('IANA time zone name'),
  mutedConversations: z.array(z.string()).describe('OpenIM conversationIDs'),
});
export type PreferencesConforms = Conforms<typeof Preferences, PushPreferences>;

const OutboxItemSchema = z.object({
  userID: z.string(),
  deviceID: z.string(),
  provider: z.string(),
  platform: z.string(),
  title: z.string(),
  body: z.string(),
  collapseKey: z.string(),
  threadID: z.string(),
  messageID: z.string(),
  conversationID: z.string(),
  sendID: z.string(),
  groupID: z.string(),
  ex: z.string(),
  queuedAt: isoTime,
  deliveredAt: isoTime,
});
export type OutboxItemConforms = Conforms<typeof OutboxItemSchema, OutboxItem>;

export const OutboxPage = z.object({ items: z.array(OutboxItemSchema).describe('oldest first'), next: z.string().optional().describe('pass as `after` for the next page') });
export type OutboxPageConforms = Conforms<typeof OutboxPage, OutboxPageOfStore>;
