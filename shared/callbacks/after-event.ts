/**
 * Builds the chat event for an after-callback. Nothing the callback carried is dropped: the
 * payload is kept as OpenIM sent it (even when it is not JSON or fails the schema), with
 * `valid` saying whether consumers can trust its shape, and the exact digits of any integer
 * JSON.parse rounded (a client-chosen sendTime beyond 2^53), so consumers can store them as sent.
 */
import { randomUUID } from 'node:crypto';
import type { ChatEvent } from '../events/chat-event.ts';
import { parseJsonWithExactIntegers, type ExactIntegers } from '../events/exact-integers.ts';
import { isKnownCommand } from '../openim/commands.ts';
import { REQUEST_SCHEMAS } from '../openim/schemas/index.ts';

export interface AfterCallbackInput {
  readonly command: string;
  readonly body: string;
  readonly operationID: string;
  /** OpenIM main's `key` query parameter, if sent. */
  readonly key?: string | undefined;
  readonly receivedAt?: Date;
}

export function buildChatEvent(input: AfterCallbackInput): ChatEvent {
  const parsed = tryParseBody(input.body);
  const valid = parsed.ok && isKnownCommand(input.command) && REQUEST_SCHEMAS[input.command].safeParse(parsed.value).success;
  const routingKey = input.key === undefined ? undefined : decodeRoutingKey(input.key);
  return {
    eventId: randomUUID(),
    eventType: input.command,
    operationID: input.operationID || operationIdOf(parsed.ok ? parsed.value : undefined),
    receivedAt: (input.receivedAt ?? new Date()).toISOString(),
    ...(routingKey ? { routingKey } : {}),
    valid,
    payload: parsed.ok ? parsed.value : input.body,
    ...(parsed.ok && Object.keys(parsed.exactIntegers).length > 0 ? { exactIntegers: parsed.exactIntegers } : {}),
  };
}

/** `key` is base64 (standard alphabet) of JSON `{"sendID","recvID","groupID"}`; anything else is ignored. */
export function decodeRoutingKey(key: string): Record<string, string> | undefined {
  const decoded = tryParseJson(Buffer.from(key, 'base64').toString('utf8'));
  if (!decoded.ok || typeof decoded.value !== 'object' || decoded.value === null) return undefined;
  const entries = Object.entries(decoded.value).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

function operationIdOf(payload: unknown): string {
  if (typeof payload === 'object' && payload !== null && 'operationID' in payload) {
    const { operationID } = payload as { operationID: unknown };
    if (typeof operationID === 'string') return operationID;
  }
  return '';
}

function tryParseBody(text: string): { ok: true; value: unknown; exactIntegers: ExactIntegers } | { ok: false } {
  try {
    return { ok: true, ...parseJsonWithExactIntegers(text) };
  } catch {
    return { ok: false };
  }
}

function tryParseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}
