import { describe, expect, it, vi } from 'vitest';
import { CALLBACK_COMMANDS, COMMAND_NAMES } from '#shared/openim/commands.ts';
import { REQUEST_SCHEMAS } from '#shared/openim/schemas/index.ts';
import { eventFileNames, readEvent, readEventBody } from '../helpers/events.ts';

describe('Events: events/*.json', () => {
  it('has exactly one sample per command in the registry', () => {
    // Assess
    expect(eventFileNames().sort()).toEqual(COMMAND_NAMES.map((name) => `${name}.json`).sort());
  });

  it.each(COMMAND_NAMES.map((command) => ({ command })))('$command sample passes its schema', ({ command }) => {
    // Prepare
    const body = readEventBody(command);

    // Act
    const result = REQUEST_SCHEMAS[command].safeParse(JSON.parse(body));

    // Assess
    expect(result.error).toBeUndefined();
    expect(body.endsWith('}\n')).toBe(true);
    expect(JSON.parse(body).callbackCommand).toBe(command);
  });

  it('keeps Go-escaped characters readable after parsing', () => {
    // Prepare
    const request = REQUEST_SCHEMAS.callbackBeforeSendSingleMsgCommand.parse(readEvent('callbackBeforeSendSingleMsgCommand'));

    // Assess
    expect(readEventBody('callbackBeforeSendSingleMsgCommand')).toContain('\\u0026');
    expect(JSON.parse(request.content)).toEqual({ content: expect.stringContaining('<3') });
  });
});

describe('Schemas: tolerance of Go-encoded input', () => {
  const single = () => readEvent('callbackBeforeSendSingleMsgCommand');

  it('turns a null slice into an empty list', () => {
    // Act
    const request = REQUEST_SCHEMAS.callbackBeforeSendSingleMsgCommand.parse({ ...single(), atUserList: null });

    // Assess
    expect(request.atUserList).toEqual([]);
  });

  it('fills zero values when optional fields are missing', () => {
    // Prepare
    const { seq, ex, faceURL, atUserList, status, ...rest } = single();

    // Act
    const request = REQUEST_SCHEMAS.callbackBeforeSendSingleMsgCommand.parse(rest);

    // Assess
    expect(request).toMatchObject({ seq: 0, ex: '', faceURL: '', atUserList: [], status: 0 });
  });

  it('accepts int64 values beyond 2^53', () => {
    // Act
    const request = REQUEST_SCHEMAS.callbackAfterMsgSaveDBCommand.parse(
      JSON.parse(readEventBody('callbackAfterMsgSaveDBCommand').replace(/"seq":\d+/, '"seq":9223372036854775807')),
    );

    // Assess
    expect(request.seq).toBeGreaterThan(2 ** 53);
  });

  it('strips unknown fields that a newer OpenIM may add', () => {
    // Act
    const request = REQUEST_SCHEMAS.callbackBeforeSendGroupMsgCommand.parse({
      ...readEvent('callbackBeforeSendGroupMsgCommand'),
      brandNewField: { nested: true },
    });

    // Assess
    expect(request).not.toHaveProperty('brandNewField');
  });

  it('decodes the control-character groupType back to its number', () => {
    // Act
    const request = REQUEST_SCHEMAS.callbackAfterDisMissGroupCommand.parse(readEvent('callbackAfterDisMissGroupCommand'));

    // Assess
    expect(request.groupType).toBe(2);
  });

  it('reads the capitalised and mis-named keys OpenIM really sends', () => {
    // Act
    const read = REQUEST_SCHEMAS.callbackAfterSingleMsgReadCommand.parse(readEvent('callbackAfterSingleMsgReadCommand'));
    const agree = REQUEST_SCHEMAS.callbackBeforeAddFriendAgreeCommand.parse(readEvent('callbackBeforeAddFriendAgreeCommand'));
    const conversation = REQUEST_SCHEMAS.callbackBeforeCreateSingleChatConversationsCommand.parse(
      readEvent('callbackBeforeCreateSingleChatConversationsCommand'),
    );

    // Assess
    expect(read.Seqs.length).toBeGreaterThan(0);
    expect(agree.HandleResult).toBe(1);
    expect(agree.blackUserID).not.toBe('');
    expect(conversation.conversationId).toMatch(/^si_/);
  });

  it('tells whether beforeOfflinePush carried offline push info', () => {
    // Prepare
    const withInfo = readEvent('callbackBeforeOfflinePushCommand');
    const { title, desc, ex, iOSPushSound, iOSBadgeCount, signalInfo, ...withoutInfo } = withInfo;

    // Act
    const parsedWith = REQUEST_SCHEMAS.callbackBeforeOfflinePushCommand.parse(withInfo);
    const parsedWithout = REQUEST_SCHEMAS.callbackBeforeOfflinePushCommand.parse(withoutInfo);

    // Assess
    expect(parsedWith.hasOfflinePushInfo).toBe(true);
    expect(parsedWithout.hasOfflinePushInfo).toBe(false);
  });

  it.each([
    { case: 'a number sent as a string', patch: { contentType: '101' } },
    { case: 'a missing sender', patch: { sendID: undefined } },
    { case: 'a list that is not a list', patch: { atUserList: 'u1' } },
  ])('rejects $case', ({ patch }) => {
    // Act
    const result = REQUEST_SCHEMAS.callbackBeforeSendSingleMsgCommand.safeParse({ ...single(), ...patch });

    // Assess
    expect(result.success).toBe(false);
  });

  it('does not let a __proto__ key reach the parsed request', () => {
    // Act
    const request = REQUEST_SCHEMAS.callbackBeforeSendSingleMsgCommand.parse(
      JSON.parse(readEventBody('callbackBeforeSendSingleMsgCommand').replace('{', '{"__proto__":{"polluted":true},')),
    );

    // Assess
    expect((request as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('Registry: CALLBACK_COMMANDS', () => {
  it('covers the 53 config keys of OpenIM main and the 48 of v3.8.3', () => {
    // Prepare
    const commands = Object.values(CALLBACK_COMMANDS);

    // Assess: one config key (afterGroupMsgRevoke) has no command because OpenIM never sends it.
    expect(commands.length + 1).toBe(53);
    expect(commands.filter((command) => command.since === 'v3.8.3').length + 1).toBe(48);
  });
});

describe('Module: openim/schemas (cold start)', () => {
  it('builds no request schema at import, and only the command validated', async () => {
    // Prepare: a fresh copy of the modules, as a cold start has
    vi.resetModules();
    const { REQUEST_SCHEMAS } = await import('#shared/openim/schemas/index.ts');
    const { lazyState: stateOf } = await import('#shared/validation/lazy-schema.ts');
    const statesAtImport = new Set(Object.values(REQUEST_SCHEMAS).map((schema) => stateOf(schema)));

    // Act
    const result = REQUEST_SCHEMAS.callbackAfterSendGroupMsgCommand.safeParse(readEvent('callbackAfterSendGroupMsgCommand'));

    // Assess
    expect([...statesAtImport]).toEqual(['unbuilt']);
    expect(result.success).toBe(true);
    const builtNow = Object.entries(REQUEST_SCHEMAS).filter(([, schema]) => stateOf(schema) === 'built').map(([command]) => command);
    // The before and after send commands share one schema.
    expect(builtNow.sort()).toEqual(['callbackAfterSendGroupMsgCommand', 'callbackBeforeSendGroupMsgCommand']);
  });
});
