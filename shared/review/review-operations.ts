/**
 * The review queue's operations in the operator API's OpenAPI document (shared/api/openapi-document.ts).
 * Each one's `role` is read from REVIEW_ROUTE_TABLE, the table the routes check, so the document
 * cannot promise a different boundary than the API enforces.
 */
import { ROLE_RIGHTS } from '../api/moderator-access.ts';
import type { Operation } from '../api/operation.ts';
import { ModerationLogEntry } from './moderation-decided-event.ts';
import {
  AppealReply,
  AppealRequest,
  CallerReply,
  Counts,
  DecisionReply,
  DecisionRequest,
  EscalateReply,
  EscalateRequest,
  ItemDetail,
  ItemPage,
  LiftRequest,
  ListItemsQuery,
  LogPage,
  LogQuery,
  NoteRequest,
  ReportReply,
  ReportRequest,
} from './review-api-schemas.ts';
import { ReviewItem } from './review-item.ts';
import { ReviewStats, StatsQuery } from './review-stats.ts';
import { REVIEW_ROUTE_TABLE, type ReviewRouteName } from './review-routes.ts';

const notFound = { 404: 'no such item' };

const OPERATIONS_BY_ROUTE: Record<ReviewRouteName, Omit<Operation, 'method' | 'path' | 'role'>> = {
  me: { summary: 'Who the caller is, and their role', reply: CallerReply },
  listItems: { summary: 'List review items in one state, oldest first, filtered and paged', query: ListItemsQuery, reply: ItemPage },
  getItem: { summary: 'One item with its conversation context and which decisions this deployment can carry out on it', reply: ItemDetail, errors: notFound },
  annotate: { summary: 'Add a note to an item, kept in its moderation log under the caller\'s name', body: NoteRequest, reply: ModerationLogEntry, errors: notFound },
  escalate: {
    summary: 'Escalate an undecided item for another look',
    body: EscalateRequest,
    reply: EscalateReply,
    errors: { ...notFound, 409: 'the item is decided already' },
  },
  claim: {
    summary: 'Claim an item (a lapsed claim can be taken over)',
    reply: ReviewItem,
    errors: { ...notFound, 409: 'someone else holds it, or it is decided; `state` and `claimedBy` say which' },
  },
  release: {
    summary: 'Hand a claimed item back to the queue (an admin may release anyone\'s claim)',
    reply: ReviewItem,
    errors: { ...notFound, 409: 'the caller holds no live claim on it, or a decision is under way' },
  },
  decide: {
    summary: 'Decide a claimed item; carried out on OpenIM, logged and published as moderation.decided',
    description: 'A decision that fails (422, 502) leaves the item claimed by the caller with `lastFailure`, to retry or release.',
    body: DecisionRequest,
    reply: DecisionReply,
    errors: {
      ...notFound,
      409: 'the item is not claimed by the caller',
      422: 'the decision cannot apply to this message (or OpenIM admin access is off here)',
      502: 'OpenIM refused or could not be reached; nothing was decided; `entryId` names the log entry with its answers',
    },
  },
  counts: { summary: 'Items per state', reply: Counts },
  stats: { summary: 'Review stats: time to first claim and to decision (p50, p90), decisions per moderator per day', query: StatsQuery, reply: ReviewStats },
  log: { summary: 'The moderation log of a user or an item, newest first', query: LogQuery, reply: LogPage },
  liftPenalty: {
    summary: 'Lift a repeat-offender penalty',
    body: LiftRequest,
    reply: ModerationLogEntry,
    errors: { 404: 'no such penalty', 502: 'OpenIM refused or could not be reached' },
  },
  report: {
    summary: "Submit a user's report of a message (the app backend)",
    description: 'One review item per message: a message already in the queue gets the reporter counted on its item (once per reporter).',
    body: ReportRequest,
    reply: ReportReply,
  },
  appeal: {
    summary: "Submit the affected user's appeal of a decision (the app backend)",
    description: 'Becomes the item `appeal#<itemId>`, linked to the original; decide it `approved` to overturn, or again as decided to uphold.',
    body: AppealRequest,
    reply: AppealReply,
    errors: { 404: 'no such item', 409: 'not decided, not the sender, an appeal itself, or appealed already' },
  },
};

export const REVIEW_OPERATIONS: readonly Operation[] = REVIEW_ROUTE_TABLE.map(({ method, path, route, role }) => {
  const operation = OPERATIONS_BY_ROUTE[route];
  const needs = `Needs the ${role} role or above (${ROLE_RIGHTS[role]}).`;
  return {
    ...operation,
    method: method.toLowerCase() as Operation['method'],
    path,
    role,
    description: operation.description ? `${operation.description} ${needs}` : needs,
  };
});
