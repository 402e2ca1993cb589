/**
 * One operation of the operator API as the OpenAPI document describes it: its route, the zod
 * schemas its handler parses and answers with (of either build: the policy and push preferences are
 * zod/mini), and the errors it can answer besides those every route can (401, 403, 500). Each route
 * family lists its operations (operator-operations.ts, shared/review/review-operations.ts);
 * openapi-document.ts renders them.
 */
import type { z } from 'zod';

export interface Operation {
  readonly method: 'get' | 'post' | 'put' | 'delete';
  /** OpenAPI template: `/api/devices/{userID}/{deviceID}`. */
  readonly path: string;
  readonly summary: string;
  readonly description?: string;
  /** Schemas of the path parameters; a parameter without one is any non-empty string. */
  readonly pathParameters?: Readonly<Record<string, z.core.$ZodType>>;
  readonly query?: z.core.$ZodType;
  readonly body?: z.core.$ZodType;
  readonly reply: z.core.$ZodType;
  /** The reply's media type when it is not JSON (the reference page). */
  readonly replyMediaType?: string;
  /** Status -> what it means for this operation; 400 is added for any operation that reads input. */
  readonly errors?: Readonly<Record<number, string>>;
  /** Answered without a token (no 401 or 403). */
  readonly public?: boolean;
  /** The least role the caller needs, shown as `x-required-role`. */
  readonly role?: string;
}
