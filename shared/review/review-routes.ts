/**
 * Operator API for the review queue (`/api/review`, route group `review`):
 *   GET  /api/review/items?state=&groupID=&userID=&term=&limit=&cursor=  -> ItemPage, oldest first
 *   GET  /api/review/items/{itemId}                    -> ItemDetail (with conversation context)
 *   POST /api/review/items/{itemId}/claim              -> ReviewItem (409 when someone else holds it)
 *   POST /api/review/items/{itemId}/decision           -> DecisionReply; body DecisionRequest
 *   GET  /api/review/counts                            -> Counts
 *   GET  /api/review/log?userID=|itemId=&limit=&cursor= -> LogPage, newest first
 *   POST /api/review/penalties/lift                    -> ModerationLogEntry; body LiftRequest
 * Schemas: review-api-schemas.ts; document: GET /api/openapi.json.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { z } from 'zod';
import { ApiRequestError } from '../api/api-errors.ts';
import { jsonBodyOf } from '../api/json-body.ts';
import { requireModerator } from '../api/moderator-access.ts';
import { jsonResponse } from '../http/json-response.ts';
import type { ModerationLog } from './moderation-log.ts';
import { penaltyKeyOf } from './penalty-store.ts';
import type { RepeatOffenders } from './repeat-offenders.ts';
import { DecisionRequest, LiftRequest, ListItemsQuery, LogQuery } from './review-api-schemas.ts';
import type { ReviewService } from './review-service.ts';
import type { ReviewStore } from './review-store.ts';

type Route = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

function parse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ApiRequestError(400, `invalid ${what}`, z.flattenError(result.error as z.ZodError<unknown>));
  return result.data;
}

function itemIdOf(event: APIGatewayProxyEvent): string {
  const itemId = event.pathParameters?.itemId;
  if (!itemId) throw new ApiRequestError(400, 'the path needs an item ID');
  return decodeURIComponent(itemId);
}

export function reviewRoutes(deps: { service: ReviewService; items: ReviewStore; log: ModerationLog; repeatOffenders: RepeatOffenders; now?: () => number }) {
  const now = deps.now ?? Date.now;
  const routes: Record<string, Route> = {
    async listItems(event) {
      requireModerator(event);
      const query = parse(ListItemsQuery, event.queryStringParameters ?? {}, 'query');
      return jsonResponse(200, await deps.items.list(query, now()));
    },
    async getItem(event) {
      requireModerator(event);
      return jsonResponse(200, await deps.service.get(itemIdOf(event)));
    },
    async claim(event) {
      const moderator = requireModerator(event);
      return jsonResponse(200, await deps.service.claim(itemIdOf(event), moderator));
    },
    async decide(event) {
      const moderator = requireModerator(event);
      const request = parse(DecisionRequest, jsonBodyOf(event), 'decision');
      return jsonResponse(200, await deps.service.decide(itemIdOf(event), moderator, request));
    },
    async counts(event) {
      requireModerator(event);
      return jsonResponse(200, await deps.items.counts(now()));
    },
    async log(event) {
      requireModerator(event);
      const query = parse(LogQuery, event.queryStringParameters ?? {}, 'query');
      const page = { limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) };
      return jsonResponse(200, query.userID ? await deps.log.byUser(query.userID, page) : await deps.log.byItem(query.itemId!, page));
    },
    async liftPenalty(event) {
      const moderator = requireModerator(event);
      const request = parse(LiftRequest, jsonBodyOf(event), 'request');
      if (request.kind === 'mute' && !request.groupID) throw new ApiRequestError(400, 'lifting a mute needs its groupID');
      const key = penaltyKeyOf(request.kind, request.userID, request.groupID ?? '');
      return jsonResponse(200, await deps.repeatOffenders.lift(key, moderator, request.reason));
    },
  };
  return routes;
}

/** Method, path (http-router syntax) and route name, shared by the handler and the OpenAPI document. */
export const REVIEW_ROUTE_TABLE = [
  { method: 'GET', path: '/api/review/items', route: 'listItems' },
  { method: 'GET', path: '/api/review/items/{itemId}', route: 'getItem' },
  { method: 'POST', path: '/api/review/items/{itemId}/claim', route: 'claim' },
  { method: 'POST', path: '/api/review/items/{itemId}/decision', route: 'decide' },
  { method: 'GET', path: '/api/review/counts', route: 'counts' },
  { method: 'GET', path: '/api/review/log', route: 'log' },
  { method: 'POST', path: '/api/review/penalties/lift', route: 'liftPenalty' },
] as const;
