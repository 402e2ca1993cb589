/**
 * A message's `sendTime` is chosen by the sending client and OpenIM keeps any non-zero value, so
 * it may be no time at all (negative, or 9e18). Consumers use it as the message's time only when
 * it is one; otherwise they take when the event reached us, and keep the value as sent beside it.
 */

/**
 * 2286-11-20T17:46:39.999Z, the last Unix ms with 13 digits: time-sorted keys are 13 digits wide
 * (the audit table's timeKey), and a Date and a DynamoDB number both hold every value up to it.
 */
export const LATEST_SEND_TIME_MS = 9_999_999_999_999;

/** The Unix ms a message was sent, or undefined when its sendTime is unset (0) or no usable time. */
export function timeOfSend(sendTime: number): number | undefined {
  return Number.isInteger(sendTime) && sendTime > 0 && sendTime <= LATEST_SEND_TIME_MS ? sendTime : undefined;
}

/** Whether sendTime was set (non-zero) but is no usable time, so consumers must keep it as sent. */
export function isUnusableSendTime(sendTime: number): boolean {
  return sendTime !== 0 && timeOfSend(sendTime) === undefined;
}
