/**
 * The operator API's OpenAPI 3.1 document, generated from the zod schemas the handlers parse with
 * (zod 4's `z.toJSONSchema`, whose draft 2020-12 output is OpenAPI 3.1's schema dialect), so the
 * document and the code cannot drift. Served at `GET /api/openapi.json`; every error is an RFC 9457
 * problem (problem.ts), described once under `components`.
 */
import * as z from 'zod';
import { REVIEW_OPERATIONS } from '../review/review-operations.ts';
import { COGNITO_GROUP_ROLES, ROLE_RIGHTS } from './moderator-access.ts';
import type { Operation } from './operation.ts';
import { OPERATOR_OPERATIONS } from './operator-operations.ts';
import { PROBLEM_CONTENT_TYPE, Problem } from './problem.ts';

export const OPERATIONS: readonly Operation[] = [...OPERATOR_OPERATIONS, ...REVIEW_OPERATIONS];

/** What every route can answer, whatever it does. */
const COMMON_ERRORS: Readonly<Record<number, string>> = {
  401: 'no or wrong bearer token',
  403: "the caller's role does not allow this",
  500: 'internal error; the service log has the details',
};

const schemaOf = (schema: z.core.$ZodType, io: 'input' | 'output') => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

const pathParametersOf = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => name!);

function parametersOf(operation: Operation): unknown[] {
  const path = pathParametersOf(operation.path).map((name) => {
    const schema = operation.pathParameters?.[name];
    return { name, in: 'path', required: true, schema: schema ? schemaOf(schema, 'input') : { type: 'string', minLength: 1 } };
  });
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

function errorsOf(operation: Operation): Record<number, string> {
  const readsInput = operation.query !== undefined || operation.body !== undefined || pathParametersOf(operation.path).length > 0;
  const invalid: Record<number, string> = readsInput ? { 400: 'invalid request; `errors` lists each invalid field' } : {};
  const common = operation.public ? { 500: COMMON_ERRORS[500]! } : COMMON_ERRORS;
  return { ...invalid, ...common, ...operation.errors };
}

function operationObject(operation: Operation): Record<string, unknown> {
  const problem = { content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } } };
  const mediaType = operation.replyMediaType ?? 'application/json';
  const responses: Record<string, unknown> = { 200: { description: 'OK', content: { [mediaType]: { schema: schemaOf(operation.reply, 'output') } } } };
  for (const [status, description] of Object.entries(errorsOf(operation))) responses[status] = { description, ...problem };
  return {
    summary: operation.summary,
    ...(operation.description ? { description: operation.description } : {}),
    ...(operation.role ? { 'x-required-role': operation.role } : {}),
    ...(operation.public ? { security: [] } : {}),
    parameters: parametersOf(operation),
    ...(operation.body ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(operation.body, 'input') } } } } : {}),
    responses,
  };
}

export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of OPERATIONS) (paths[operation.path] ??= {})[operation.method] = operationObject(operation);
  return {
    openapi: '3.1.0',
    info: {
      title: 'openim-hooks operator API',
      version: '1',
      description: `Every error is an RFC 9457 problem (\`${PROBLEM_CONTENT_TYPE}\`): \`type\`, \`title\`, \`status\`, \`detail\`, and \`errors\` for invalid fields.`,
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description:
            "Locally the API_TOKEN (the first admin) or a named account's token (`npm run moderators`); in AWS a Cognito ID token whose groups give the role " +
            `(${Object.entries(COGNITO_GROUP_ROLES).map(([group, role]) => `${group} -> ${role}`).join(', ')}; the highest wins). Each operation's least role is its x-required-role: ` +
            Object.entries(ROLE_RIGHTS).map(([role, rights]) => `${role}: ${rights}`).join('; '),
        },
      },
      schemas: { Problem: schemaOf(Problem, 'output') },
    },
    paths,
  };
}
