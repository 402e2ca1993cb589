/**
 * Messages up to OpenIM's REST limit made of nothing but matches, and the rule for messages over the
 * text limit. A recursive matcher crashed on these ("Maximum call stack size exceeded") and the
 * callback's fallback let them through.
 */
import { describe, expect, it } from 'vitest';
import type { ChatEvent } from '#shared/events/chat-event.ts';
import type { ChatEventPublisher } from '#shared/events/chat-event-publisher.ts';
import { compilePolicy } from '#shared/moderation/matcher.ts';
import { BLOCKED_MESSAGE, MessageModeration, OVER_TEXT_LIMIT_TERM, type TextLimit } from '#shared/moderation/message-moderation.ts';
import { parseModerationPolicy } from '#shared/moderation/policy.ts';
import { HOOK_ERROR_CODES } from '#shared/openim/error-codes.ts';
import { BeforeMsgModifyReq } from '#shared/openim/schemas/message.ts';
import { readEvent } from '../helpers/events.ts';
import { captureLogs } from '../helpers/lambda.ts';
import { singleChatText } from '../helpers/outgoing-message.ts';

const MiB = 1024 * 1024;
const compiled = compilePolicy(parseModerationPolicy({ version: 3, blocked: ['badword'], masked: ['darn'], flagged: ['meh'] }));

class RecordingPublisher implements ChatEventPublisher {
  readonly events: ChatEvent[] = [];
  async publish(event: ChatEvent): Promise<void> {
    this.events.push(event);
  }
}

function moderationWith(textLimit: TextLimit = { maxBytes: 8 * MiB, overLimit: 'flag' }, policy = compiled) {
  const publisher = new RecordingPublisher();
  const moderation = new MessageModeration({ policy: { current: async () => policy }, publisher, textLimit });
  return { moderation, publisher };
}

/** `word` repeated, space-separated, to at least `bytes` bytes. */
const repeated = (word: string, bytes: number) => Array.from({ length: Math.ceil(bytes / (word.length + 1)) }, () => word).join(' ');

const send = (text: string) => singleChatText(text, 'op-large');

const modify = (text: string) =>
  BeforeMsgModifyReq.parse({ ...readEvent('callbackBeforeMsgModifyCommand'), contentType: 101, content: JSON.stringify({ content: text }) });

describe('Class: MessageModeration (1 MiB of matches)', () => {
  it('stops a 1 MiB message of one blocked word repeated, with one match per term in its event', async () => {
    // Prepare
    const { moderation, publisher } = moderationWith();

    // Act
    const reply = await moderation.reviewSend(send(repeated('badword', MiB)));

    // Assess
    expect(reply).toMatchObject({ errCode: HOOK_ERROR_CODES.messageBlocked, errMsg: BLOCKED_MESSAGE, nextCode: 1 });
    expect(publisher.events).toHaveLength(1);
    expect(publisher.events[0]!.payload).toMatchObject({ decision: 'blocked', matches: [{ term: 'badword', action: 'blocked' }] });
  });

  it('flags a 1 MiB message of one flagged word repeated', async () => {
    // Prepare
    const { moderation, publisher } = moderationWith();

    // Act
    const reply = await moderation.reviewSend(send(repeated('meh', MiB)));

    // Assess
    expect(reply).toMatchObject({ errCode: 0 });
    expect(publisher.events.map((event) => event.eventType)).toEqual(['moderation.flagged']);
  });

  it('stops a 1 MiB message of spaced-out letters of a blocked word', async () => {
    // Prepare
    const { moderation } = moderationWith();

    // Act
    const reply = await moderation.reviewSend(send(repeated('b a d w o r d', MiB)));

    // Assess
    expect(reply).toMatchObject({ errCode: HOOK_ERROR_CODES.messageBlocked });
  });

  it('masks every occurrence in a 1 MiB message of one masked word repeated', async () => {
    // Prepare
    const { moderation } = moderationWith();
    const text = repeated('darn', MiB);

    // Act
    const reply = await moderation.maskForModify(modify(text));

    // Assess
    const masked = (JSON.parse((reply as unknown as { content: string }).content) as { content: string }).content;
    expect(masked).toHaveLength(text.length);
    expect(masked).not.toMatch(/[a-z]/);
    expect(masked.split(' ').filter((word) => word.length > 0).every((word) => /^\*{1,4}$/.test(word))).toBe(true);
  });
});

/** Runs `work` while counting event-loop turns (setImmediate callbacks) that ran before it finished. */
async function turnsDuring<T>(work: () => Promise<T>): Promise<{ result: T; turns: number }> {
  let turns = 0;
  let running = true;
  const tick = () => {
    if (!running) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  const result = await work();
  running = false;
  return { result, turns };
}

describe('Class: MessageModeration (1 MiB, other callbacks)', () => {
  it.each([
    { case: 'a blocked word', text: repeated('badword', MiB) },
    { case: 'spaced-out letters', text: repeated('b a d w o r d', MiB) },
  ])('lets the event loop run while it decides a 1 MiB message of $case', async ({ text }) => {
    // Prepare
    const { moderation } = moderationWith();

    // Act
    const { turns } = await turnsDuring(async () => moderation.reviewSend(send(text)));

    // Assess: ~100 ms or more of scanning in slices of ~10 ms.
    expect(turns).toBeGreaterThan(2);
  });

  it('lets the event loop run while it masks a 1 MiB message', async () => {
    // Prepare
    const { moderation } = moderationWith();

    // Act
    const { result, turns } = await turnsDuring(async () => moderation.maskForModify(modify(repeated('darn', MiB))));

    // Assess
    expect(result).toHaveProperty('content');
    expect(turns).toBeGreaterThan(2);
  });
});

describe('Class: MessageModeration (over the text limit)', () => {
  const limit = 64 * 1024;
  const oversized = send(repeated('hello', limit + 1));

  it.each([
    { overLimit: 'block' as const, errCode: HOOK_ERROR_CODES.messageBlocked, events: ['moderation.blocked'] },
    { overLimit: 'flag' as const, errCode: 0, events: ['moderation.flagged'] },
    { overLimit: 'allow' as const, errCode: 0, events: [] },
  ])('decides an unscanned message by the rule $overLimit, and logs it without its content', async ({ overLimit, errCode, events }) => {
    // Prepare
    const { moderation, publisher } = moderationWith({ maxBytes: limit, overLimit });

    // Act
    const { result, lines } = await captureLogs(async () => moderation.reviewSend(oversized));

    // Assess
    expect(result).toMatchObject({ errCode });
    expect(publisher.events.map((event) => event.eventType)).toEqual(events);
    if (events.length > 0) expect(publisher.events[0]!.payload).toMatchObject({ matches: [{ term: OVER_TEXT_LIMIT_TERM }] });
    const warning = lines.find((line) => line.message === 'message over the text limit, not scanned');
    expect(warning).toMatchObject({ operationID: 'op-large', stage: 'send', bytes: Buffer.byteLength(oversized.content), maxBytes: limit, rule: overLimit });
    expect(JSON.stringify(warning)).not.toContain('hello');
  });

  it('decides an oversized message by its rule with no policy in force, and lets every other message through unread', async () => {
    // Prepare: a policy with nothing to match, as when none is stored.
    const { moderation, publisher } = moderationWith({ maxBytes: limit, overLimit: 'block' }, compilePolicy(parseModerationPolicy({})));
    const notJson = { ...send('unused'), content: `{not json ${'a'.repeat(limit - 20)}` };

    // Act
    const oversizedReply = await moderation.reviewSend(oversized);
    const notJsonReply = await moderation.reviewSend(notJson);

    // Assess
    expect(oversizedReply).toMatchObject({ errCode: HOOK_ERROR_CODES.messageBlocked });
    expect(notJsonReply).toMatchObject({ actionCode: 0, errCode: 0 });
    expect(publisher.events.map((event) => event.eventType)).toEqual(['moderation.blocked']);
  });

  it('scans a message of exactly the limit', async () => {
    // Prepare
    const { moderation } = moderationWith({ maxBytes: limit, overLimit: 'allow' });
    const filler = 'x'.repeat(limit - 'badword '.length - '{"content":""}'.length);
    const text = `badword ${filler}`;

    // Act
    const reply = await moderation.reviewSend(send(text));

    // Assess
    expect(Buffer.byteLength(send(text).content)).toBe(limit);
    expect(reply).toMatchObject({ errCode: HOOK_ERROR_CODES.messageBlocked });
  });

  it('counts multi-byte characters in UTF-8 bytes', async () => {
    // Prepare: 30,000 units of 3 bytes each are over a 64 KiB limit.
    const { moderation, publisher } = moderationWith({ maxBytes: limit, overLimit: 'flag' });

    // Act
    await moderation.reviewSend(send('坏'.repeat(30_000)));

    // Assess
    expect(publisher.events.map((event) => event.eventType)).toEqual(['moderation.flagged']);
  });

  it('leaves an unscanned message unmasked in message-modify, and logs it', async () => {
    // Prepare
    const { moderation } = moderationWith({ maxBytes: limit, overLimit: 'flag' });

    // Act
    const { result, lines } = await captureLogs(async () => moderation.maskForModify(modify(repeated('darn', limit + 1))));

    // Assess
    expect(result).toMatchObject({ errCode: 0 });
    expect(result).not.toHaveProperty('content');
    expect(lines).toContainEqual(expect.objectContaining({ message: 'message over the text limit, not scanned', stage: 'modify' }));
  });
});

describe('Class: MessageModeration (longer than the regex terms can scan)', () => {
  // 252 RE2 instructions: a text of a few thousand characters is all this policy's regex work limit allows.
  const hostile = compilePolicy(
    parseModerationPolicy({ version: 4, blocked: ['badword', { term: '(.*a){50}', regex: true }], masked: ['darn', { term: '(.*d){50}', regex: true }] }),
  );
  const tooLong = 'ba '.repeat(Math.ceil(hostile.regexTextLimit / 3) + 1);

  it.each([
    { overLimit: 'block' as const, errCode: HOOK_ERROR_CODES.messageBlocked, events: ['moderation.blocked'] },
    { overLimit: 'flag' as const, errCode: 0, events: ['moderation.flagged'] },
    { overLimit: 'allow' as const, errCode: 0, events: [] },
  ])('decides it by the over-limit rule $overLimit, and logs which limit it hit', async ({ overLimit, errCode, events }) => {
    // Prepare
    const { moderation, publisher } = moderationWith({ maxBytes: 8 * MiB, overLimit }, hostile);

    // Act
    const { result, lines } = await captureLogs(async () => moderation.reviewSend(send(tooLong)));

    // Assess
    expect(result).toMatchObject({ errCode });
    expect(publisher.events.map((event) => event.eventType)).toEqual(events);
    const warning = lines.find((line) => line.message === "message too long for the policy's regular-expression terms, not scanned");
    expect(warning).toMatchObject({ operationID: 'op-large', stage: 'send', maxUnits: hostile.regexTextLimit, rule: overLimit });
    expect(JSON.stringify(warning)).not.toContain('ba ba');
  });

  it('scans a message within the limit and finds the hostile pattern', async () => {
    // Prepare
    const { moderation, publisher } = moderationWith({ maxBytes: 8 * MiB, overLimit: 'allow' }, hostile);

    // Act
    const reply = await moderation.reviewSend(send('ba '.repeat(Math.floor(hostile.regexTextLimit / 4))));

    // Assess
    expect(reply).toMatchObject({ errCode: HOOK_ERROR_CODES.messageBlocked });
    expect(publisher.events[0]!.payload).toMatchObject({ matches: [{ term: '(.*a){50}', action: 'blocked' }] });
  });

  it('leaves it unmasked in message-modify, and logs it', async () => {
    // Prepare
    const { moderation } = moderationWith({ maxBytes: 8 * MiB, overLimit: 'flag' }, hostile);

    // Act
    const { result, lines } = await captureLogs(async () => moderation.maskForModify(modify('da '.repeat(hostile.regexTextLimit))));

    // Assess
    expect(result).not.toHaveProperty('content');
    expect(lines).toContainEqual(expect.objectContaining({ message: "message too long for the policy's regular-expression terms, not scanned", stage: 'modify' }));
  });
});
