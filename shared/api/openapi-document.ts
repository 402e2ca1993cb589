/**
 * The operator API's OpenAPI 3.1 document, generated from the zod schemas the handlers parse with
 * (zod 4's `z.toJSONSchema`, whose draft 2020-12 output is OpenAPI 3.1's schema dialect), so the
 * document and the code cannot drift. Served at `GET /api/openapi.json`.
 */
import { z } from 'zod';
import { ModerationPolicy } from '../moderation/policy.ts';
import { ModerationLogEntry } from '../review/moderation-decided-event.ts';
import {
  Counts,
  DecisionReply,
  DecisionRequest,
  ErrorReply,
  ItemDetail,
  ItemPage,
  LiftRequest,
  ListItemsQuery,
  LogPage,
  LogQuery,
} from '../review/review-api-schemas.ts';
import { ReviewItem } from '../review/review-item.ts';

interface Operation {
  readonly method: 'get' | 'post' | 'put';
  readonly path: string;
  readonly summary: string;
  readonly query?: z.ZodObject | z.ZodType;
  readonly body?: z.ZodType;
  readonly reply: z.ZodType;
  /** Error statuses this operation answers besides 400/401/403/500. */
  readonly errors?: readonly number[];
}

const StoredPolicy = z.object({ version: z.number(), policy: ModerationPolicy, updatedAt: z.string(), updatedBy: z.string() });

const OPERATIONS: readonly Operation[] = [
  { method: 'get', path: '/api/review/items', summary: 'List review items in one state, oldest first, filtered and paged', query: ListItemsQuery, reply: ItemPage },
  { method: 'get', path: '/api/review/items/{itemId}', summary: 'One item with its conversation context', reply: ItemDetail, errors: [404] },
  { method: 'post', path: '/api/review/items/{itemId}/claim', summary: 'Claim an item (a lapsed claim can be taken over)', reply: ReviewItem, errors: [404, 409] },
  {
    method: 'post',
    path: '/api/review/items/{itemId}/decision',
    summary: 'Decide a claimed item; carried out on OpenIM, logged and published as moderation.decided',
    body: DecisionRequest,
    reply: DecisionReply,
    errors: [404, 409, 422, 502],
  },
  { method: 'get', path: '/api/review/counts', summary: 'Items per state', reply: Counts },
  { method: 'get', path: '/api/review/log', summary: 'The moderation log of a user or an item, newest first', query: LogQuery, reply: LogPage },
  { method: 'post', path: '/api/review/penalties/lift', summary: 'Lift a repeat-offender penalty', body: LiftRequest, reply: ModerationLogEntry, errors: [404, 502] },
  { method: 'get', path: '/api/moderation/policy', summary: 'The moderation policy in force', reply: StoredPolicy, errors: [404] },
  { method: 'put', path: '/api/moderation/policy', summary: 'Save a new policy version (400 lists every problem; 409 when based on an old one)', body: ModerationPolicy, reply: StoredPolicy, errors: [409, 413] },
];

const schemaOf = (schema: z.ZodType, io: 'input' | 'output') => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

function parametersOf(operation: Operation): unknown[] {
  const path = [...operation.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
  if (!operation.query) return path;
  const query = schemaOf(operation.query, 'input') as { properties?: Record<string, { description?: string }>; required?: string[] };
  return [
    ...path,
    ...Object.entries(query.properties ?? {}).map(([name, schema]) => ({
      name,
      in: 'query',
      required: (query.required ?? []).includes(name),
      ...(schema.description ? { description: schema.description } : {}),
      schema,
    })),
  ];
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'invalid request',
  401: 'no or wrong bearer token',
  403: 'not in the moderators group',
  404: 'not found',
  409: 'conflict with the current state',
  413: 'the body is larger than this operation takes',
  422: 'the decision cannot apply to this message',
  500: 'internal error',
  502: 'OpenIM refused or could not be reached; nothing was decided',
};

export function openApiDocument(): Record<string, unknown> {
  const error = { content: { 'application/json': { schema: schemaOf(ErrorReply, 'output') } } };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of OPERATIONS) {
    const responses: Record<string, unknown> = { 200: { description: 'OK', content: { 'application/json': { schema: schemaOf(operation.reply, 'output') } } } };
    for (const status of [400, 401, 403, ...(operation.errors ?? []), 500]) responses[status] = { description: DESCRIPTIONS[status], ...error };
    (paths[operation.path] ??= {})[operation.method] = {
      summary: operation.summary,
      parameters: parametersOf(operation),
      ...(operation.body ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(operation.body, 'input') } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'openim-hooks operator API', version: '1' },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'Locally the API_TOKEN; in AWS a Cognito ID token of the moderators group' },
      },
    },
    paths,
  };
}
