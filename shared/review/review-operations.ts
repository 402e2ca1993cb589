/** The review queue's operations in the operator API's OpenAPI document (shared/api/openapi-document.ts). */
import type { Operation } from '../api/operation.ts';
import { ModerationLogEntry } from './moderation-decided-event.ts';
import { Counts, DecisionReply, DecisionRequest, ItemDetail, ItemPage, LiftRequest, ListItemsQuery, LogPage, LogQuery } from './review-api-schemas.ts';
import { ReviewItem } from './review-item.ts';

const notFound = { 404: 'no such item' };

export const REVIEW_OPERATIONS: readonly Operation[] = [
  { method: 'get', path: '/api/review/items', summary: 'List review items in one state, oldest first, filtered and paged', query: ListItemsQuery, reply: ItemPage },
  { method: 'get', path: '/api/review/items/{itemId}', summary: 'One item with its conversation context', reply: ItemDetail, errors: notFound },
  {
    method: 'post',
    path: '/api/review/items/{itemId}/claim',
    summary: 'Claim an item (a lapsed claim can be taken over)',
    reply: ReviewItem,
    errors: { ...notFound, 409: 'someone else holds it, or it is decided; `state` and `claimedBy` say which' },
  },
  {
    method: 'post',
    path: '/api/review/items/{itemId}/decision',
    summary: 'Decide a claimed item; carried out on OpenIM, logged and published as moderation.decided',
    body: DecisionRequest,
    reply: DecisionReply,
    errors: {
      ...notFound,
      409: 'the item is not claimed by the caller',
      422: 'the decision cannot apply to this message (or OpenIM admin access is off here)',
      502: 'OpenIM refused or could not be reached; nothing was decided; `entryId` names the log entry with its answers',
    },
  },
  { method: 'get', path: '/api/review/counts', summary: 'Items per state', reply: Counts },
  { method: 'get', path: '/api/review/log', summary: 'The moderation log of a user or an item, newest first', query: LogQuery, reply: LogPage },
  {
    method: 'post',
    path: '/api/review/penalties/lift',
    summary: 'Lift a repeat-offender penalty',
    body: LiftRequest,
    reply: ModerationLogEntry,
    errors: { 404: 'no such penalty', 502: 'OpenIM refused or could not be reached' },
  },
];
