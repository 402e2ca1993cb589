/**
 * Push API: the outbox (local default provider) and users' push preferences.
 *   GET    /api/push/outbox?userID=...[&limit=1..1000][&after=<next>] -> {"items": [...], "next"?}, oldest first
 *   GET    /api/push/preferences/{userID}  -> {userID, muted, doNotDisturb, timeZone, mutedConversations}
 *   PUT    /api/push/preferences/{userID}  body {"muted"?, "doNotDisturb"?: {"start": "22:00", "end": "07:00"} | null,
 *          "timeZone"?: "<IANA zone>"} -> the preferences (replaces these three; omitted = default)
 *   PUT    /api/push/preferences/{userID}/conversations/{conversationID} -> mutes one conversation
 *   DELETE /api/push/preferences/{userID}/conversations/{conversationID} -> unmutes it
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import * as z from 'zod';
import { jsonBodyOf } from '../api/json-body.ts';
import { jsonResponse } from '../http/json-response.ts';
import type { OutboxStore } from '../store/outbox-store.ts';
import type { PreferenceStore } from '../store/preference-store.ts';
import { PathId } from './device.ts';
import { bodyAs, pathIdOf } from './path-params.ts';
import { PreferencesUpdate } from './preferences.ts';

export const OutboxQuery = z.object({
  userID: PathId,
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  after: z.string().min(1).optional(),
});

export function pushRoutes(stores: { readonly outbox: OutboxStore; readonly preferences: PreferenceStore }, now: () => Date = () => new Date()) {
  return {
    async getOutbox(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
      const query = bodyAs(OutboxQuery, event.queryStringParameters ?? {}, 'outbox query');
      return jsonResponse(200, await stores.outbox.listFor(query.userID, { limit: query.limit, ...(query.after ? { after: query.after } : {}) }));
    },

    async getPreferences(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
      return jsonResponse(200, await stores.preferences.get(pathIdOf(event, 'userID')));
    },

    async putPreferences(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
      const update = bodyAs(PreferencesUpdate, jsonBodyOf(event), 'push preferences');
      return jsonResponse(200, await stores.preferences.put(pathIdOf(event, 'userID'), update, now()));
    },

    async muteConversation(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
      const userID = pathIdOf(event, 'userID');
      return jsonResponse(200, await stores.preferences.muteConversation(userID, pathIdOf(event, 'conversationID'), now()));
    },

    async unmuteConversation(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
      const userID = pathIdOf(event, 'userID');
      return jsonResponse(200, await stores.preferences.unmuteConversation(userID, pathIdOf(event, 'conversationID'), now()));
    },
  };
}
