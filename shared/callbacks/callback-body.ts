/**
 * Turns the raw body of a callback into a validated request. JSON.parse already accepts what
 * Go's encoder adds (a trailing newline, `\u003c`-style escapes); zod makes nulls and missing
 * zero values safe and strips unknown fields.
 */
import * as z from 'zod/mini';
import type { CallbackCommandName } from '../openim/commands.ts';
import { REQUEST_SCHEMAS, type RequestOf } from '../openim/schemas/index.ts';
import { MalformedBodyError, SchemaMismatchError } from './errors.ts';

/** Every OpenIM callback body is one JSON object, kept as received (identity replies echo from it). */
export type RawRequest = Readonly<Record<string, unknown>>;

export function parseJsonBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new MalformedBodyError(body.length);
  }
}

/** @throws MalformedBodyError unless the body is a JSON object. */
export function parseRequestObject(body: string): RawRequest {
  const parsed = parseJsonBody(body);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new MalformedBodyError(body.length);
  return parsed as RawRequest;
}

/** The body as a request object, or undefined when it is none; never throws. */
export function requestObjectOrUndefined(body: string): RawRequest | undefined {
  try {
    return parseRequestObject(body);
  } catch {
    return undefined;
  }
}

export function validateRequest<C extends CallbackCommandName>(command: C, payload: unknown): RequestOf<C> {
  const result = REQUEST_SCHEMAS[command].safeParse(payload);
  if (!result.success) throw new SchemaMismatchError(command, z.prettifyError(result.error));
  return result.data as RequestOf<C>;
}
