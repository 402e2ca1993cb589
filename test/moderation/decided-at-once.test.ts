/**
 * Nearly every message is clean and finds the policy in force: reviewSend and maskForModify answer
 * it in the same turn, as a reply rather than a promise, so that the before-callback sets no timer
 * for it. What waits for something (the policy's read, a blocked message's event) is still a promise.
 */
import { describe, expect, it } from 'vitest';
import type { ChatEvent } from '#shared/events/chat-event.ts';
import type { ChatEventPublisher } from '#shared/events/chat-event-publisher.ts';
import { compilePolicy } from '#shared/moderation/matcher.ts';
import { MessageModeration } from '#shared/moderation/message-moderation.ts';
import { parseModerationPolicy } from '#shared/moderation/policy.ts';
import { HOOK_ERROR_CODES } from '#shared/openim/error-codes.ts';
import { continueReply, modifyReply } from '#shared/openim/replies.ts';
import { REQUEST_SCHEMAS } from '#shared/openim/schemas/index.ts';
import { singleChatText } from '../helpers/outgoing-message.ts';

const compiled = compilePolicy(parseModerationPolicy({ blocked: ['badword'], masked: ['darn'] }));

const send = (text: string) => singleChatText(text);

function recordingPublisher() {
  const events: ChatEvent[] = [];
  const publisher: ChatEventPublisher = { publish: async (event) => void events.push(event) };
  return { events, publisher };
}

describe('Method: MessageModeration.reviewSend', () => {
  it('answers a clean message at once, not as a promise, when the policy is in force', () => {
    // Prepare
    const { events, publisher } = recordingPublisher();
    const moderation = new MessageModeration({ policy: { current: () => compiled }, publisher });

    // Act
    const reply = moderation.reviewSend(send('hello there'));

    // Assess
    expect(reply).not.toBeInstanceOf(Promise);
    expect(reply).toEqual(continueReply());
    expect(events).toHaveLength(0);
  });

  it('answers a blocked message once its event is published', async () => {
    // Prepare
    const { events, publisher } = recordingPublisher();
    const moderation = new MessageModeration({ policy: { current: () => compiled }, publisher });

    // Act
    const reply = moderation.reviewSend(send('a b.a.d.w.o.r.d here'));

    // Assess
    expect(reply).toBeInstanceOf(Promise);
    expect(await reply).toMatchObject({ errCode: HOOK_ERROR_CODES.messageBlocked });
    expect(events).toHaveLength(1);
  });

  it('answers a clean message with a promise while the policy is being read', async () => {
    // Prepare
    const { publisher } = recordingPublisher();
    const moderation = new MessageModeration({ policy: { current: async () => compiled }, publisher });

    // Act
    const reply = moderation.reviewSend(send('hello there'));

    // Assess
    expect(reply).toBeInstanceOf(Promise);
    expect(await reply).toEqual(continueReply());
  });
});

describe('Method: MessageModeration.maskForModify', () => {
  // As the before-callback hands it over: validated, missing zero values filled in.
  const modify = (text: string) => REQUEST_SCHEMAS.callbackBeforeMsgModifyCommand.parse({ ...send(text), callbackCommand: 'callbackBeforeMsgModifyCommand' });

  it.each([
    ['a clean message: continue', 'hello there', continueReply()],
    ['a masked term: the content masked', 'oh darn it', modifyReply({ content: JSON.stringify({ content: 'oh **** it' }) })],
  ])('answers %s at once, not as a promise, when the policy is in force', (_, text, expected) => {
    // Prepare
    const { publisher } = recordingPublisher();
    const moderation = new MessageModeration({ policy: { current: () => compiled }, publisher });

    // Act
    const reply = moderation.maskForModify(modify(text));

    // Assess
    expect(reply).not.toBeInstanceOf(Promise);
    expect(reply).toEqual(expected);
  });

  it('answers with a promise while the policy is being read', async () => {
    // Prepare
    const { publisher } = recordingPublisher();
    const moderation = new MessageModeration({ policy: { current: async () => compiled }, publisher });

    // Act
    const reply = moderation.maskForModify(modify('oh darn it'));

    // Assess
    expect(reply).toBeInstanceOf(Promise);
    expect(await reply).toEqual(modifyReply({ content: JSON.stringify({ content: 'oh **** it' }) }));
  });
});
