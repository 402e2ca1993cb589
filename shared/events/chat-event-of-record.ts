/** Reads the chat event an SQS record carries (the topic delivers raw, so the body is the envelope). */
import type { SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { ChatEvent } from './chat-event.ts';

/** A queue message that is not a chat event: retrying cannot fix it, so it ends in the DLQ. */
export class UnreadableChatEventError extends Error {
  constructor(
    readonly messageId: string,
    reason: string,
  ) {
    super(`SQS message ${messageId} is not a chat event: ${reason}`);
    this.name = 'UnreadableChatEventError';
  }
}

export function chatEventOfRecord(record: Pick<SQSRecord, 'messageId' | 'body'>): ChatEvent {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch {
    throw new UnreadableChatEventError(record.messageId, 'the body is not JSON');
  }
  const parsed = ChatEvent.safeParse(body);
  if (!parsed.success) throw new UnreadableChatEventError(record.messageId, z.prettifyError(parsed.error));
  return parsed.data;
}
