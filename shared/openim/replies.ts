/**
 * Reply builders for OpenIM's `CommonCallbackResp` (contract §2).
 *
 * OpenIM stops an operation only when `actionCode == 0 && nextCode == 1`; anything else continues.
 * Every reply carries all five common fields so that what OpenIM sees is unambiguous.
 */
export interface CommonCallbackResp {
  readonly actionCode: number;
  readonly errCode: number;
  readonly errMsg: string;
  readonly errDlt: string;
  readonly nextCode: number;
}

const CONTINUE: CommonCallbackResp = Object.freeze({ actionCode: 0, errCode: 0, errMsg: '', errDlt: '', nextCode: 0 });

/** Largest errCode OpenIM passes through; larger (or <= 0) ones reach the client as 500. */
const MAX_ERR_CODE = 0xffff_ffff;

export class InvalidErrCodeError extends Error {
  constructor(errCode: number) {
    super(`errCode ${errCode} must be an integer in 1..${MAX_ERR_CODE}, or OpenIM turns it into 500`);
    this.name = 'InvalidErrCodeError';
  }
}

/** Let the operation go ahead unchanged. */
export function continueReply(): CommonCallbackResp {
  return CONTINUE;
}

/** Stop the operation; the client receives `errCode` and `errMsg`. */
export function stopReply(errCode: number, errMsg: string, errDlt = ''): CommonCallbackResp {
  if (!Number.isInteger(errCode) || errCode <= 0 || errCode > MAX_ERR_CODE) throw new InvalidErrCodeError(errCode);
  return { actionCode: 0, errCode, errMsg, errDlt, nextCode: 1 };
}

/**
 * Continue with changes. OpenIM applies a field only when it is present and non-null, so
 * `undefined` and `null` changes are dropped rather than sent.
 */
export function modifyReply<T extends object>(changes: T): CommonCallbackResp & Partial<T> {
  const present = Object.fromEntries(
    Object.entries(changes).filter(([, value]) => value !== undefined && value !== null),
  ) as Partial<T>;
  return { ...CONTINUE, ...present };
}

/** True when OpenIM would stop the operation on this reply. */
export function stopsOperation(reply: Pick<CommonCallbackResp, 'actionCode' | 'nextCode'>): boolean {
  return reply.actionCode === 0 && reply.nextCode === 1;
}
