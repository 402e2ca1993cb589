/**
 * Reads the chat event an SQS record carries, the one way every consumer does: the topic delivers
 * raw, so the body is the event itself, or a claim check (claim-check.ts) whose event this
 * fetches from the payloads bucket. Consumers never see which.
 */
import type { SQSRecord } from 'aws-lambda';
import * as z from 'zod/mini';
import { CLAIM_CHECK_BUCKET_ENV } from '../config/claim-check-config.ts';
import { ChatEvent } from './chat-event.ts';
import { ClaimCheckMessage, isClaimCheck } from './claim-check.ts';
import type { ClaimCheckStore } from './claim-check-store.ts';
import { ClaimCheckMissingError, UnreadableChatEventError } from './errors.ts';

export type ChatEventRecord = Pick<SQSRecord, 'messageId' | 'body'>;

export class ChatEventReader {
  /** `claimChecks`: where claim-checked events are; without it, a claim check is unreadable. */
  constructor(private readonly claimChecks: ClaimCheckStore | undefined) {}

  /**
   * The record's event. Rejects with UnreadableChatEventError when no retry can help; with the
   * store's own error when fetching a claim-checked event failed for now (a retry may succeed).
   */
  async read(record: ChatEventRecord): Promise<ChatEvent> {
    const message = parseJson(record.messageId, record.body, 'the body');
    if (!isClaimCheck(message)) return chatEventOf(record.messageId, message);
    const pointer = ClaimCheckMessage.safeParse(message);
    if (!pointer.success) throw new UnreadableChatEventError(record.messageId, `a malformed claim check: ${z.prettifyError(pointer.error)}`);
    const { key } = pointer.data.claimCheck;
    if (!this.claimChecks) throw new UnreadableChatEventError(record.messageId, `it is a claim check (${key}) and ${CLAIM_CHECK_BUCKET_ENV} is not set`);
    const body = await this.claimChecks.get(key).catch((error: unknown) => {
      throw error instanceof ClaimCheckMissingError ? new UnreadableChatEventError(record.messageId, error.message) : error;
    });
    const event = chatEventOf(record.messageId, parseJson(record.messageId, body, `claim-checked object ${key}`));
    if (event.eventId !== pointer.data.eventId) {
      throw new UnreadableChatEventError(record.messageId, `claim-checked object ${key} holds event ${event.eventId}, not ${pointer.data.eventId}`);
    }
    return event;
  }
}

function parseJson(messageId: string, text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new UnreadableChatEventError(messageId, `${what} is not JSON`);
  }
}

function chatEventOf(messageId: string, message: unknown): ChatEvent {
  const parsed = ChatEvent.safeParse(message);
  if (!parsed.success) throw new UnreadableChatEventError(messageId, z.prettifyError(parsed.error));
  return parsed.data;
}
