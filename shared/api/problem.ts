/**
 * The operator API's one error shape: RFC 9457 problem details, sent as `application/problem+json`.
 * `type` is `about:blank` (the status says what kind of problem it is, RFC 9457 §4.2.1), `title` the
 * status's phrase, `detail` what went wrong this time and what to do; `errors` lists each invalid
 * field of a request. Other members (e.g. `currentVersion` on a 409) are RFC 9457 extensions.
 */
import { STATUS_CODES } from 'node:http';
import type { APIGatewayProxyResult } from 'aws-lambda';
import * as z from 'zod';
import { pathText } from './path-text.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const FieldError = z.looseObject({
  path: z.string().describe('Where in the request: `userIDs[2]`, `blocked[3].term`; empty for the request as a whole'),
  message: z.string(),
});
export type FieldError = z.infer<typeof FieldError>;

export const Problem = z
  .looseObject({
    type: z.string().describe('`about:blank`: the status code names the kind of problem'),
    title: z.string().describe("The status code's phrase, e.g. `Bad Request`"),
    status: z.number().int(),
    detail: z.string().describe('What went wrong with this request, for a person to act on'),
    errors: z.array(FieldError).optional().describe('One entry per invalid field, when the request failed validation'),
  })
  .meta({ description: 'RFC 9457 problem details; any further member is an extension named in the operation' });
export type Problem = z.infer<typeof Problem>;

/** Members added to a problem: `errors` and any extension the caller can act on. */
export type ProblemExtensions = { readonly errors?: readonly FieldError[] } & Readonly<Record<string, unknown>>;

export function problemOf(status: number, detail: string, extensions: ProblemExtensions = {}): Problem {
  return { ...extensions, type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', status, detail } as Problem;
}

export function problemResponse(
  status: number,
  detail: string,
  extensions?: ProblemExtensions,
  headers: Readonly<Record<string, string>> = {},
): APIGatewayProxyResult {
  return {
    statusCode: status,
    headers: { ...headers, 'content-type': PROBLEM_CONTENT_TYPE },
    body: JSON.stringify(problemOf(status, detail, extensions)),
  };
}

/** One field error per zod issue. */
export function fieldErrorsOf(error: z.core.$ZodError): FieldError[] {
  return error.issues.map((issue) => ({ path: pathText(issue.path), message: issue.message }));
}
