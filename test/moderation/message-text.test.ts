import { describe, expect, it } from 'vitest';
import { compilePolicy } from '#shared/moderation/matcher.ts';
import { maskMessageContent, readMessageTexts } from '#shared/moderation/message-text.ts';
import { ModerationPolicy } from '#shared/moderation/policy.ts';

const policy = compilePolicy(
  ModerationPolicy.parse({ blocked: ['evil'], masked: ['darn', 'bad', { term: 'heck', groupIDs: ['g1'] }], flagged: ['meh'] }),
);

describe('Function: readMessageTexts()', () => {
  it.each([
    { case: 'text (101)', type: 101, content: '{"content":"hello"}', texts: ['hello'] },
    {
      case: 'at-text (106)',
      type: 106,
      content: '{"text":"@bob hi","atUserList":["bob"],"atUsersInfo":[{"atUserID":"bob","groupNickname":"B"}],"isAtSelf":false}',
      texts: ['@bob hi'],
    },
    {
      case: 'custom (110), data being JSON itself',
      type: 110,
      content: '{"data":"{\\"msg\\":\\"hi\\"}","description":"desc","extension":"ext"}',
      texts: ['{"msg":"hi"}', 'desc', 'ext'],
    },
    { case: 'quote (114)', type: 114, content: '{"text":"reply","quoteMessage":{"textElem":{"content":"quoted"}}}', texts: ['reply'] },
    { case: 'advanced text (117)', type: 117, content: '{"text":"adv","messageEntityList":[]}', texts: ['adv'] },
    { case: 'markdown (118)', type: 118, content: '{"content":"**md**"}', texts: ['**md**'] },
  ])('returns the text fields of $case', ({ type, content, texts }) => {
    // Assess
    expect(readMessageTexts(type, content)).toEqual(texts);
  });

  it.each([
    { case: 'the type carries no text (picture 102)', type: 102, content: '{"sourcePicture":{"url":"bad"}}' },
    { case: 'the content is not JSON', type: 101, content: '{"content":' },
    { case: 'the content is a JSON array', type: 101, content: '["hello"]' },
    { case: 'the content is JSON null', type: 101, content: 'null' },
    { case: 'the field is missing', type: 101, content: '{"text":"hello"}' },
    { case: 'the field is not a string', type: 101, content: '{"content":42}' },
  ])('returns [] when $case', ({ type, content }) => {
    // Assess
    expect(readMessageTexts(type, content)).toEqual([]);
  });

  it('skips fields that are not strings and keeps the others of a custom message', () => {
    // Assess
    expect(readMessageTexts(110, '{"data":null,"description":"d","extension":{"x":1}}')).toEqual(['d']);
  });
});

describe('Function: maskMessageContent()', () => {
  it.each([
    { case: 'text (101)', type: 101, content: '{"content":"you darn fool"}', expected: '{"content":"you **** fool"}' },
    {
      case: 'at-text (106)',
      type: 106,
      content: '{"text":"@bob darn","atUserList":["bob"],"isAtSelf":false}',
      expected: '{"text":"@bob ****","atUserList":["bob"],"isAtSelf":false}',
    },
    {
      case: 'custom (110)',
      type: 110,
      content: '{"data":"{\\"msg\\":\\"darn\\"}","description":"b a d","extension":"ok"}',
      expected: '{"data":"{\\"msg\\":\\"****\\"}","description":"*****","extension":"ok"}',
    },
    {
      case: 'quote (114), leaving the quoted message alone',
      type: 114,
      content: '{"text":"darn","quoteMessage":{"textElem":{"content":"darn"}}}',
      expected: '{"text":"****","quoteMessage":{"textElem":{"content":"darn"}}}',
    },
    {
      case: 'advanced text (117)',
      type: 117,
      content: '{"text":"so b4d","messageEntityList":[{"type":"bold","offset":0,"length":2}]}',
      expected: '{"text":"so ***","messageEntityList":[{"type":"bold","offset":0,"length":2}]}',
    },
    { case: 'markdown (118)', type: 118, content: '{"content":"**darn** it"}', expected: '{"content":"******** it"}' },
  ])('masks only the masked matches in the text of $case', async ({ type, content, expected }) => {
    // Act
    const result = await maskMessageContent(type, content, policy);

    // Assess
    expect(result.content).toBe(expected);
    expect(() => JSON.parse(result.content)).not.toThrow();
  });

  it.each([
    { case: 'whitespace and key order', content: '{ "z" : 1 ,\n  "content" : "darn" }', expected: '{ "z" : 1 ,\n  "content" : "****" }' },
    { case: 'an escaped letter inside the match', content: '{"content":"d\\u0061rn"}', expected: '{"content":"****"}' },
    { case: 'escapes outside the match', content: '{"content":"\\n\\"darn\\"\\t\\u00e9"}', expected: '{"content":"\\n\\"****\\"\\t\\u00e9"}' },
    { case: 'an escaped surrogate pair per letter', content: '{"content":"\\ud835\\udc1b\\ud835\\udc1a\\ud835\\udc1d!"}', expected: '{"content":"***!"}' },
    { case: 'raw astral letters', content: '{"content":"𝐛𝐚𝐝"}', expected: '{"content":"***"}' },
    { case: 'zero-width characters inside the match', content: '{"content":"d\\u200barn"}', expected: '{"content":"*****"}' },
    { case: 'an escaped key', content: '{"\\u0063ontent":"darn"}', expected: '{"\\u0063ontent":"****"}' },
    { case: 'a duplicated key', content: '{"content":"darn","content":"bad"}', expected: '{"content":"****","content":"***"}' },
    { case: 'a nested object before the field', content: '{"x":{"content":"darn","y":["}"]},"content":"darn"}', expected: '{"x":{"content":"darn","y":["}"]},"content":"****"}' },
  ])('keeps every other byte when the content has $case', async ({ content, expected }) => {
    // Act
    const result = await maskMessageContent(101, content, policy);

    // Assess
    expect(result.content).toBe(expected);
  });

  it('returns the masked matches with offsets into the input content', async () => {
    // Prepare
    const content = '{"content":"d\\u0061rn!"}';

    // Act
    const { masked } = await maskMessageContent(101, content, policy);

    // Assess
    expect(masked).toEqual([{ term: 'darn', action: 'masked', start: 12, end: 21 }]);
    expect(content.slice(12, 21)).toBe('d\\u0061rn');
  });

  it('leaves blocked and flagged matches unmasked', async () => {
    // Prepare
    const content = '{"content":"evil meh darn"}';

    // Act
    const result = await maskMessageContent(101, content, policy);

    // Assess
    expect(result.content).toBe('{"content":"evil meh ****"}');
  });

  it('applies scoped terms only in their scope', async () => {
    // Prepare
    const content = '{"content":"heck"}';

    // Assess
    expect((await maskMessageContent(101, content, policy, { groupID: 'g1' })).content).toBe('{"content":"****"}');
    expect((await maskMessageContent(101, content, policy, { groupID: 'g2' })).content).toBe(content);
  });

  it.each([
    { case: 'the type carries no text', type: 102, content: '{"content":"darn"}' },
    { case: 'the content is not JSON', type: 101, content: '{"content":"darn"' },
    { case: 'nothing matches', type: 101, content: '{"content":"fine"}' },
  ])('returns the content unchanged when $case', async ({ type, content }) => {
    // Act
    const result = await maskMessageContent(type, content, policy);

    // Assess
    expect(result).toEqual({ content, masked: [] });
  });
});
