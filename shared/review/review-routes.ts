/**
 * Operator API for the review queue (`/api/review`, route group `review`); each route's least role
 * (shared/api/moderator-access.ts) is in REVIEW_ROUTE_TABLE, checked before the route runs:
 *   GET  /api/review/me                                -> CallerReply (who you are, your role)        triage
 *   GET  /api/review/items?state=&groupID=&userID=&term=&claimedBy=&decidedBy=&limit=&cursor=
 *                                                      -> ItemPage, oldest first                      triage
 *   GET  /api/review/items/{itemId}                    -> ItemDetail (context, decisions possible)    triage
 *   POST /api/review/items/{itemId}/notes              -> ModerationLogEntry; body NoteRequest        triage
 *   POST /api/review/items/{itemId}/escalate           -> EscalateReply; body EscalateRequest         triage
 *   POST /api/review/items/{itemId}/claim              -> ReviewItem (409 when someone else holds it) moderator
 *   POST /api/review/items/{itemId}/release            -> ReviewItem, pending again                   moderator
 *   POST /api/review/items/{itemId}/decision           -> DecisionReply; body DecisionRequest         moderator
 *   GET  /api/review/counts                            -> Counts                                      triage
 *   GET  /api/review/stats?days=                       -> ReviewStats (time to claim/decision, per moderator) triage
 *   GET  /api/review/log?userID=|itemId=&limit=&cursor= -> LogPage, newest first                      triage
 *   POST /api/review/penalties/lift                    -> ModerationLogEntry; body LiftRequest        moderator
 *   POST /api/review/reports                           -> ReportReply; body ReportRequest (app backend) triage
 *   POST /api/review/appeals                           -> AppealReply; body AppealRequest (app backend) triage
 * Schemas: review-api-schemas.ts; document: GET /api/openapi.json.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import * as z from 'zod';
import { ApiRequestError, invalidRequest } from '../api/api-errors.ts';
import { jsonBodyOf } from '../api/json-body.ts';
import { requireRole, roleAtLeast, ROLE_RIGHTS, type Caller, type Role } from '../api/moderator-access.ts';
import { jsonResponse } from '../http/json-response.ts';
import { MS_PER_DAY } from '../time/durations.ts';
import type { ModerationLog } from './moderation-log.ts';
import { penaltyKeyOf } from './penalty-store.ts';
import type { RepeatOffenders } from './repeat-offenders.ts';
import { AppealRequest, DecisionRequest, EscalateRequest, LiftRequest, ListItemsQuery, LogQuery, NoteRequest, ReportRequest } from './review-api-schemas.ts';
import type { ReviewService } from './review-service.ts';
import { reviewStats, StatsQuery } from './review-stats.ts';
import type { ReviewStore } from './review-store.ts';
import type { UserReports } from './user-reports.ts';

type Route = (event: APIGatewayProxyEvent, caller: Caller) => Promise<APIGatewayProxyResult>;

/** Method, path (http-router syntax), route name and least role, shared by the handler and the OpenAPI document. */
export const REVIEW_ROUTE_TABLE = [
  { method: 'GET', path: '/api/review/me', route: 'me', role: 'triage' },
  { method: 'GET', path: '/api/review/items', route: 'listItems', role: 'triage' },
  { method: 'GET', path: '/api/review/items/{itemId}', route: 'getItem', role: 'triage' },
  { method: 'POST', path: '/api/review/items/{itemId}/notes', route: 'annotate', role: 'triage' },
  { method: 'POST', path: '/api/review/items/{itemId}/escalate', route: 'escalate', role: 'triage' },
  { method: 'POST', path: '/api/review/items/{itemId}/claim', route: 'claim', role: 'moderator' },
  { method: 'POST', path: '/api/review/items/{itemId}/release', route: 'release', role: 'moderator' },
  { method: 'POST', path: '/api/review/items/{itemId}/decision', route: 'decide', role: 'moderator' },
  { method: 'GET', path: '/api/review/counts', route: 'counts', role: 'triage' },
  { method: 'GET', path: '/api/review/stats', route: 'stats', role: 'triage' },
  { method: 'GET', path: '/api/review/log', route: 'log', role: 'triage' },
  { method: 'POST', path: '/api/review/penalties/lift', route: 'liftPenalty', role: 'moderator' },
  { method: 'POST', path: '/api/review/reports', route: 'report', role: 'triage' },
  { method: 'POST', path: '/api/review/appeals', route: 'appeal', role: 'triage' },
] as const satisfies readonly { method: string; path: string; route: string; role: Role }[];

export type ReviewRouteName = (typeof REVIEW_ROUTE_TABLE)[number]['route'];

function parse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalidRequest(what, result.error as z.ZodError);
  return result.data;
}

function itemIdOf(event: APIGatewayProxyEvent): string {
  const itemId = event.pathParameters?.itemId;
  if (!itemId) throw new ApiRequestError(400, 'the path needs an item ID');
  return decodeURIComponent(itemId);
}

export function reviewRoutes(deps: {
  service: ReviewService;
  items: ReviewStore;
  log: ModerationLog;
  repeatOffenders: RepeatOffenders;
  reports: UserReports;
  now?: () => number;
}) {
  const now = deps.now ?? Date.now;
  const routes: Record<ReviewRouteName, Route> = {
    async me(_event, caller) {
      return jsonResponse(200, { ...caller, rights: ROLE_RIGHTS });
    },
    async listItems(event) {
      const query = parse(ListItemsQuery, event.queryStringParameters ?? {}, 'query');
      return jsonResponse(200, await deps.items.list(query, now()));
    },
    async getItem(event) {
      return jsonResponse(200, await deps.service.get(itemIdOf(event)));
    },
    async annotate(event, caller) {
      const { text } = parse(NoteRequest, jsonBodyOf(event), 'note');
      return jsonResponse(200, await deps.service.annotate(itemIdOf(event), caller.name, text));
    },
    async escalate(event, caller) {
      const { reason } = parse(EscalateRequest, jsonBodyOf(event), 'escalation');
      return jsonResponse(200, await deps.service.escalate(itemIdOf(event), caller.name, reason));
    },
    async claim(event, caller) {
      return jsonResponse(200, await deps.service.claim(itemIdOf(event), caller.name));
    },
    async release(event, caller) {
      return jsonResponse(200, await deps.service.release(itemIdOf(event), caller.name, { anyone: roleAtLeast(caller.role, 'admin') }));
    },
    async decide(event, caller) {
      const request = parse(DecisionRequest, jsonBodyOf(event), 'decision');
      return jsonResponse(200, await deps.service.decide(itemIdOf(event), caller.name, request));
    },
    async counts() {
      return jsonResponse(200, await deps.items.counts(now()));
    },
    async stats(event) {
      const { days } = parse(StatsQuery, event.queryStringParameters ?? {}, 'query');
      return jsonResponse(200, reviewStats(await deps.items.decidedSince(new Date(now() - days * MS_PER_DAY)), days));
    },
    async log(event) {
      const query = parse(LogQuery, event.queryStringParameters ?? {}, 'query');
      const page = { limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) };
      return jsonResponse(200, query.userID ? await deps.log.byUser(query.userID, page) : await deps.log.byItem(query.itemId!, page));
    },
    async liftPenalty(event, caller) {
      const request = parse(LiftRequest, jsonBodyOf(event), 'request');
      if (request.kind === 'mute' && !request.groupID) throw new ApiRequestError(400, 'lifting a mute needs its groupID');
      const key = penaltyKeyOf(request.kind, request.userID, request.groupID ?? '');
      return jsonResponse(200, await deps.repeatOffenders.lift(key, caller.name, request.reason));
    },
    async report(event) {
      return jsonResponse(200, await deps.reports.report(parse(ReportRequest, jsonBodyOf(event), 'report')));
    },
    async appeal(event) {
      return jsonResponse(200, await deps.reports.appeal(parse(AppealRequest, jsonBodyOf(event), 'appeal')));
    },
  };
  // Every route checks its caller's role first, from the same table the OpenAPI document shows.
  return Object.fromEntries(
    REVIEW_ROUTE_TABLE.map(({ route, role }) => [route, (event: APIGatewayProxyEvent) => routes[route](event, requireRole(event, role))]),
  ) as Record<ReviewRouteName, (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>>;
}
