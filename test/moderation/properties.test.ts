import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePolicy, type TermMatch } from '#shared/moderation/matcher.ts';
import { maskMessageContent, TEXT_FIELDS } from '#shared/moderation/message-text.ts';
import { normalise } from '#shared/moderation/normalise.ts';
import { ModerationPolicy } from '#shared/moderation/policy.ts';

const policy = compilePolicy(
  ModerationPolicy.parse({
    blocked: ['evil', { term: 'b[o0]+m', regex: true }],
    masked: ['bad', 'darn it', 'ass', 'kill', '坏蛋'],
    flagged: ['meh', 'bad man'],
    allowed: ['badminton'],
  }),
);

/** Any UTF-16 string, lone surrogates included. */
const anyUtf16 = fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 60 }).map((codes) => String.fromCharCode(...codes));

/** Chat-like text that often contains terms, evasions, quotes, backslashes and odd characters. */
const chatText = fc
  .array(
    fc.oneof(
      fc.constantFrom('bad', 'b a d', 'B.4.D', 'ｂａｄ', 'b\u200bad', 'b̶a̶d̶', 'baaad', 'bаd', 'darn it', 'a$$', 'k1ll', 'evil', 'meh', '坏蛋'),
      fc.constantFrom('class', 'badminton', 'hello', 'grass', 'lol!', ' ', '  ', '\n', '"', '\\', '/', '\u0000', '\u001f', '😀', '𝐛', 'é', '\ud800', '\udc00'),
      fc.string({ maxLength: 8 }),
      anyUtf16,
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(''));

/** A JSON string literal for `value`, escaping a random subset of characters as `\uXXXX`. */
const jsonString = (value: string, escapeMask: readonly boolean[]) => {
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    const mustEscape = code < 0x20 || code === 0x22 || code === 0x5c || (code >= 0xd800 && code <= 0xdfff);
    if (mustEscape || escapeMask[i % Math.max(escapeMask.length, 1)] === true) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += value[i];
  }
  return `${out}"`;
};

const textTypes = Object.keys(TEXT_FIELDS).map(Number);

/** A content JSON for one text-carrying type: its text fields plus unrelated members, randomly spaced. */
const messageContent = fc
  .record({
    type: fc.constantFrom(...textTypes),
    texts: fc.array(chatText, { minLength: 3, maxLength: 3 }),
    escapes: fc.array(fc.boolean(), { maxLength: 7 }),
    space: fc.constantFrom('', ' ', '\n  '),
    extra: chatText,
  })
  .map(({ type, texts, escapes, space, extra }) => {
    const members = TEXT_FIELDS[type]!.map((field, i) => `${jsonString(field, [])}:${space}${jsonString(texts[i]!, escapes)}`);
    members.splice(1, 0, `"quoteMessage":${space}{"text":${jsonString(extra, escapes)},"n":[1,2.5e3,true,null]}`);
    return { type, content: `{${space}${members.join(`,${space}`)}${space}}` };
  });

/** Checks that `output` is `input` with each merged masked range replaced by one `*` per code point. */
function keepsEverythingElse(input: string, output: string, masked: readonly TermMatch[]): void {
  const ranges = [...masked].sort((a, b) => a.start - b.start);
  const merged: [number, number][] = [];
  for (const { start, end } of ranges) {
    const last = merged.at(-1);
    if (last !== undefined && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  let inAt = 0;
  let outAt = 0;
  for (const [start, end] of merged) {
    expect(output.slice(outAt, outAt + (start - inAt))).toBe(input.slice(inAt, start));
    outAt += start - inAt;
    const codePoints = [...(JSON.parse(`"${input.slice(start, end)}"`) as string)].length;
    expect(output.slice(outAt, outAt + codePoints)).toBe('*'.repeat(codePoints));
    outAt += codePoints;
    inAt = end;
  }
  expect(output.slice(outAt)).toBe(input.slice(inAt));
}

describe('Properties: maskMessageContent()', () => {
  it('keeps every character outside the masked matches and yields valid JSON for any text message', async () => {
    await fc.assert(
      fc.asyncProperty(messageContent, async ({ type, content }) => {
        // Act
        const result = await maskMessageContent(type, content, policy);

        // Assess
        const before = JSON.parse(content) as Record<string, unknown>;
        const after = JSON.parse(result.content) as Record<string, unknown>;
        expect(Object.keys(after)).toEqual(Object.keys(before));
        expect(after.quoteMessage).toEqual(before.quoteMessage);
        keepsEverythingElse(content, result.content, result.masked);
        for (const match of result.masked) expect(match.action).toBe('masked');
      }),
      { numRuns: 500 },
    );
  });

  it('changes each text field only where it masked, one * per code point', async () => {
    await fc.assert(
      fc.asyncProperty(messageContent, async ({ type, content }) => {
        // Act
        const result = await maskMessageContent(type, content, policy);

        // Assess
        const before = JSON.parse(content) as Record<string, string>;
        const after = JSON.parse(result.content) as Record<string, string>;
        for (const field of TEXT_FIELDS[type]!) {
          const original = [...before[field]!];
          const masked = [...after[field]!];
          expect(masked).toHaveLength(original.length);
          masked.forEach((char, i) => expect(char === original[i] || char === '*').toBe(true));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('returns the content unchanged when it is not valid JSON', async () => {
    await fc.assert(
      fc.asyncProperty(anyUtf16, fc.constantFrom(...textTypes), async (content, type) => {
        // Prepare
        fc.pre(
          (() => {
            try {
              JSON.parse(content);
              return false;
            } catch {
              return true;
            }
          })(),
        );

        // Assess
        expect(await maskMessageContent(type, content, policy)).toEqual({ content, masked: [] });
      }),
    );
  });
});

describe('Properties: normalise() and scan()', () => {
  it('never throws and maps every unit to an ordered range inside the text', () => {
    fc.assert(
      fc.property(fc.oneof(anyUtf16, chatText, fc.string({ unit: 'grapheme' })), (text) => {
        // Act
        const result = normalise(text);

        // Assess
        for (let i = 0; i < result.text.length; i++) {
          expect(result.start[i]).toBeGreaterThanOrEqual(0);
          expect(result.start[i]).toBeLessThan(result.end[i]!);
          expect(result.end[i]).toBeLessThanOrEqual(text.length);
          if (i > 0) expect(result.start[i]).toBeGreaterThanOrEqual(result.start[i - 1]!);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws and returns ordered matches inside the text for any string', () => {
    fc.assert(
      fc.property(fc.oneof(anyUtf16, chatText), fc.option(fc.string({ maxLength: 4 })), (text, groupID) => {
        // Act
        const matches = policy.scan(text, groupID === null ? {} : { groupID, sessionType: 3 });

        // Assess
        let previous = 0;
        for (const match of matches) {
          expect(match.start).toBeGreaterThanOrEqual(previous);
          expect(match.start).toBeLessThan(match.end);
          expect(match.end).toBeLessThanOrEqual(text.length);
          previous = match.start;
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('finds a masked term wherever it is inserted between separators', () => {
    fc.assert(
      fc.property(chatText, chatText, fc.constantFrom('bad', 'b a d', 'B.4.D', 'ｂａｄ', 'b\u200bad', 'b̶a̶d̶', 'baaad', 'bаd'), (left, right, term) => {
        // Prepare
        const text = `${left} ${term} ${right}`;

        // Act
        const matches = policy.scan(text);

        // Assess
        const at = left.length + 1;
        expect(matches.some((match) => match.start <= at && match.end >= at + term.length - 1)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
