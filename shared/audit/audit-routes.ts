/**
 * Operator API for the audit trail:
 *   GET /api/audit?conversationID=...|sendID=...|groupID=...&limit=1..100 (50)&cursor=...
 *     -> {items: [...newest first], cursor: "..." | null}
 * Exactly one of the three filters; `cursor` is the previous page's, opaque.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import * as z from 'zod';
import { ApiRequestError, invalidRequest } from '../api/api-errors.ts';
import { jsonResponse } from '../http/json-response.ts';
import { AUDIT_LISTINGS, type AuditStore, type StoredAuditRecord } from '../store/audit-store.ts';

export const MAX_AUDIT_PAGE = 100;
const DEFAULT_AUDIT_PAGE = 50;

export const AuditQuery = z.object({
  conversationID: z.string().min(1).optional(),
  sendID: z.string().min(1).optional(),
  groupID: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_AUDIT_PAGE).default(DEFAULT_AUDIT_PAGE),
  cursor: z.string().min(1).optional().describe("the previous page's cursor"),
});

export function auditRoutes(store: AuditStore) {
  return {
    async listAudit(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
      const parsed = AuditQuery.safeParse(event.queryStringParameters ?? {});
      if (!parsed.success) throw invalidRequest('audit query', parsed.error);
      const filters = AUDIT_LISTINGS.filter((by) => parsed.data[by] !== undefined);
      if (filters.length !== 1) throw new ApiRequestError(400, 'give exactly one of conversationID, sendID, groupID');
      const by = filters[0]!;
      const page = await store.list({ by, value: parsed.data[by]!, limit: parsed.data.limit, cursor: parsed.data.cursor });
      return jsonResponse(200, { items: page.items.map(itemOf), cursor: page.cursor });
    },
  };
}

/** Times as ISO strings for readers; everything else as stored. */
function itemOf(record: StoredAuditRecord) {
  return { ...record, occurredAt: new Date(record.occurredAt).toISOString(), expiresAt: new Date(record.expiresAt * 1000).toISOString() };
}
