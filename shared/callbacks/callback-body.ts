/**
 * Turns the raw body of a callback into a validated request. JSON.parse already accepts what
 * Go's encoder adds (a trailing newline, `\u003c`-style escapes); zod makes nulls and missing
 * zero values safe and strips unknown fields.
 */
import { z } from 'zod';
import type { CallbackCommandName } from '../openim/commands.ts';
import { REQUEST_SCHEMAS, type RequestOf } from '../openim/schemas/index.ts';
import { MalformedBodyError, SchemaMismatchError } from './errors.ts';

export function parseJsonBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new MalformedBodyError(body.length);
  }
}

export function validateRequest<C extends CallbackCommandName>(command: C, payload: unknown): RequestOf<C> {
  const result = REQUEST_SCHEMAS[command].safeParse(payload);
  if (!result.success) throw new SchemaMismatchError(command, z.prettifyError(result.error));
  return result.data as RequestOf<C>;
}
