/**
 * Reply builders for OpenIM's `CommonCallbackResp` (contract §2), checked against the types OpenIM
 * decodes them into, so that a reply we build can never fail OpenIM's decoding or its checks.
 *
 * OpenIM stops an operation only when `actionCode == 0 && nextCode == 1`; anything else continues.
 * Every reply carries all five common fields so that what OpenIM sees is unambiguous.
 */
import { echoedFields, replySemanticsOf, type ValueCheck } from './reply-semantics.ts';

export interface CommonCallbackResp {
  readonly actionCode: number;
  readonly errCode: number;
  readonly errMsg: string;
  readonly errDlt: string;
  readonly nextCode: number;
}

const CONTINUE: CommonCallbackResp = Object.freeze({ actionCode: 0, errCode: 0, errMsg: '', errDlt: '', nextCode: 0 });

/** OpenIM decodes errCode into an int32: a larger value fails the whole reply (90007). */
export const MAX_ERR_CODE = 2 ** 31 - 1;
/** OpenIM main turns a stop's errCode below 100 into 500 (v3.8.3: 0 and below). */
export const MIN_ERR_CODE = 100;

export class InvalidReplyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidReplyError';
  }
}

export class InvalidErrCodeError extends InvalidReplyError {
  constructor(errCode: number) {
    super(`errCode ${errCode} must be an integer in ${MIN_ERR_CODE}..${MAX_ERR_CODE}: OpenIM decodes it as an int32, and main turns a code below ${MIN_ERR_CODE} into 500`);
    this.name = 'InvalidErrCodeError';
  }
}

/** Let the operation go ahead. Use identityReply() for a command whose request you have. */
export function continueReply(): CommonCallbackResp {
  return CONTINUE;
}

/**
 * The body of a reply refused before any decision (wrong secret, oversized body): still OpenIM's JSON,
 * so OpenIM decodes it (as a continue) instead of failing the operation with 90007, plus why.
 */
export function undecidedReply(error: string): CommonCallbackResp & { readonly error: string } {
  return { ...CONTINUE, error };
}

/** Stop the operation; the client receives `errCode` and `errMsg`. */
export function stopReply(errCode: number, errMsg: string, errDlt = ''): CommonCallbackResp {
  if (!Number.isInteger(errCode) || errCode < MIN_ERR_CODE || errCode > MAX_ERR_CODE) throw new InvalidErrCodeError(errCode);
  return { actionCode: 0, errCode, errMsg, errDlt, nextCode: 1 };
}

/**
 * Continue with changes. OpenIM applies a field only when it is present and non-null, so
 * `undefined` and `null` changes are dropped rather than sent. A `content` change must be the JSON
 * text of an object (or `null`): OpenIM main decodes it into a struct and fails the send otherwise.
 */
export function modifyReply<T extends object>(changes: T): CommonCallbackResp & Partial<T> {
  const present = Object.fromEntries(
    Object.entries(changes).filter(([, value]) => value !== undefined && value !== null),
  ) as Partial<T>;
  if ('content' in present) assertJsonObjectText(present.content);
  return { ...CONTINUE, ...present };
}

/**
 * "Continue" that leaves the user's operation exactly as it was: it echoes, as received, every field
 * OpenIM copies from the reply whatever it says (reply-semantics.ts), and nothing else.
 */
export function identityReply(command: string, request: Readonly<Record<string, unknown>>): CommonCallbackResp {
  const echoes = echoedFields(command);
  if (echoes.length === 0) return CONTINUE;
  const reply: Record<string, unknown> = { ...CONTINUE };
  for (const [replyKey, requestKey] of echoes) {
    if (Object.hasOwn(request, requestKey)) reply[replyKey] = request[requestKey];
  }
  return reply as unknown as CommonCallbackResp;
}

const COMMON_KEYS: ReadonlySet<string> = new Set(Object.keys(CONTINUE));

/**
 * A decision's reply as it goes to OpenIM: refused (InvalidReplyError) if OpenIM would fail on it,
 * and, when it continues, with the identity fields added so that only the decided changes apply.
 */
export function checkedReply(
  command: string,
  request: Readonly<Record<string, unknown>>,
  reply: CommonCallbackResp,
): CommonCallbackResp {
  if (stopsOperation(reply)) return stopReply(reply.errCode, reply.errMsg, reply.errDlt);
  // Most replies: a plain continue for a command whose continue echoes nothing.
  if (reply === CONTINUE) return identityReply(command, request);
  const semantics = replySemanticsOf(command);
  for (const [key, value] of Object.entries(reply)) {
    if (COMMON_KEYS.has(key) || value === undefined || value === null) continue;
    const field = semantics[key];
    if (!field) throw new InvalidReplyError(`${command} replies have no field ${key}`);
    if (field.neverSend) throw new InvalidReplyError(`${command} must not reply ${key}: ${field.neverSend}`);
    const { requires } = field;
    if (requires && (request[requires.requestKey] ?? null) === null) {
      throw new InvalidReplyError(`${command} must not reply ${key} when the request has no ${requires.requestKey}: ${requires.why}`);
    }
    assertPasses(field.check, key, value);
  }
  return { ...identityReply(command, request), ...reply };
}

/** True when OpenIM would stop the operation on this reply. */
export function stopsOperation(reply: Pick<CommonCallbackResp, 'actionCode' | 'nextCode'>): boolean {
  return reply.actionCode === 0 && reply.nextCode === 1;
}

function assertPasses(check: ValueCheck | undefined, key: string, value: unknown): void {
  if (check === 'jsonObjectOrNull') assertJsonObjectText(value);
  const entries = Array.isArray(value) ? (value as unknown[]) : [];
  if (check === 'noNullEntries' && entries.some((entry) => entry === null)) {
    throw new InvalidReplyError(`${key} must have no null entries: OpenIM dereferences each one`);
  }
  if (check === 'entriesWithUserID' && entries.some((entry) => typeof (entry as { userID?: unknown } | null)?.userID !== 'string')) {
    throw new InvalidReplyError(`every ${key} entry must carry a userID: OpenIM dereferences it to find the member`);
  }
}

function assertJsonObjectText(content: unknown): void {
  let parsed: unknown;
  try {
    parsed = typeof content === 'string' ? JSON.parse(content) : undefined;
  } catch {
    parsed = undefined;
  }
  const isObjectOrNull = parsed === null || (typeof parsed === 'object' && !Array.isArray(parsed));
  if (!isObjectOrNull) throw new InvalidReplyError('a modified content must be the JSON text of an object or null: OpenIM main refuses the send otherwise');
}
