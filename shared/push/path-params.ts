/** Reads and checks the push API's path segments (user, device and conversation IDs). */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import { ApiRequestError, invalidRequest } from '../api/api-errors.ts';
import { PathId } from './device.ts';

export function pathIdOf(event: Pick<APIGatewayProxyEvent, 'pathParameters'>, name: string): string {
  let value: string;
  try {
    value = decodeURIComponent(event.pathParameters?.[name] ?? '');
  } catch {
    throw new ApiRequestError(400, `${name} in the path is not valid percent-encoding`);
  }
  const parsed = PathId.safeParse(value);
  if (!parsed.success) throw new ApiRequestError(400, `${name} in the path is invalid: ${parsed.error.issues[0]?.message ?? ''}`);
  return parsed.data;
}

/** Parses a body with `schema`, or refuses it with 400 and the per-field problems. */
export function bodyAs<T extends z.core.$ZodType>(schema: T, body: unknown, what: string): z.output<T> {
  const parsed = z.safeParse(schema, body);
  if (!parsed.success) throw invalidRequest(what, parsed.error);
  return parsed.data;
}
