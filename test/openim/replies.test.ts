import { describe, expect, it } from 'vitest';
import { continueReply, InvalidErrCodeError, modifyReply, stopReply, stopsOperation } from '#shared/openim/replies.ts';

describe('Function: continueReply()', () => {
  it('answers all five common fields and does not stop', () => {
    // Act
    const reply = continueReply();

    // Assess
    expect(reply).toEqual({ actionCode: 0, errCode: 0, errMsg: '', errDlt: '', nextCode: 0 });
    expect(stopsOperation(reply)).toBe(false);
  });
});

describe('Function: stopReply()', () => {
  it('sets actionCode 0 and nextCode 1, the only pair that stops OpenIM', () => {
    // Act
    const reply = stopReply(10101, 'blocked', 'detail');

    // Assess
    expect(reply).toEqual({ actionCode: 0, errCode: 10101, errMsg: 'blocked', errDlt: 'detail', nextCode: 1 });
    expect(stopsOperation(reply)).toBe(true);
  });

  it.each([{ errCode: 0 }, { errCode: -1 }, { errCode: 2 ** 32 }, { errCode: 1.5 }])(
    'throws when errCode is $errCode, which OpenIM would turn into 500',
    ({ errCode }) => {
      // Assess
      expect(() => stopReply(errCode, 'x')).toThrow(InvalidErrCodeError);
    },
  );
});

describe('Function: modifyReply()', () => {
  it('continues and carries only present, non-null changes', () => {
    // Act
    const reply = modifyReply({ content: '{"content":"***"}', ex: undefined, recvID: null });

    // Assess
    expect(reply).toEqual({ actionCode: 0, errCode: 0, errMsg: '', errDlt: '', nextCode: 0, content: '{"content":"***"}' });
    expect(stopsOperation(reply)).toBe(false);
  });
});

describe('Function: stopsOperation()', () => {
  it.each([
    { case: 'actionCode 1 with nextCode 1', reply: { actionCode: 1, nextCode: 1 }, stops: false },
    { case: 'actionCode 0 with nextCode 0', reply: { actionCode: 0, nextCode: 0 }, stops: false },
    { case: 'actionCode 0 with nextCode 1', reply: { actionCode: 0, nextCode: 1 }, stops: true },
  ])('judges $case as OpenIM does', ({ reply, stops }) => {
    // Assess
    expect(stopsOperation(reply)).toBe(stops);
  });
});
