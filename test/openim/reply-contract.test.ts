/**
 * The reply contract, end to end: requests generated from OpenIM's structs and encoded as Go encodes
 * them are posted over HTTP to the real local server; each reply is decoded into OpenIM's Go response
 * struct and applied the way OpenIM main and v3.8.3 apply it (test/helpers/openim/openim-model.ts,
 * written from OpenIM's code, not from the service's reply table). A "continue" must leave the user's
 * operation exactly as it was; a stop must carry an errCode every OpenIM version passes through.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALLBACK_COMMANDS, COMMAND_NAMES } from '#shared/openim/commands.ts';
import { HOOK_ERROR_CODES } from '#shared/openim/error-codes.ts';
import { goDecode, goEncode } from '../helpers/openim/go-json.ts';
import { OPENIM_MODEL, OpenimPanic, OpenimRefusal, type CommandModel, type OpenimVersion } from '../helpers/openim/openim-model.ts';
import { readEventBody } from '../helpers/events.ts';
import { eventually } from '../helpers/eventually.ts';
import { startLocalServer, type RunningServer } from '../helpers/local-server.ts';

const SAMPLES_PER_COMMAND = 20;
const BEFORE_COMMANDS = COMMAND_NAMES.filter((name) => CALLBACK_COMMANDS[name].mode === 'before');

/** The errCodes OpenIM main and v3.8.3 both pass to the client unchanged (main maps < 100 to 500). */
const isPassedThrough = (errCode: number) => Number.isInteger(errCode) && errCode >= 100 && errCode <= 2 ** 31 - 1;

interface Outcome {
  readonly stopped: boolean;
  readonly errCode: number;
  readonly before: Record<string, unknown>;
  readonly after: Record<string, unknown>;
}

async function runThroughOpenim(
  server: RunningServer,
  command: string,
  model: CommandModel,
  version: OpenimVersion,
  operation: Record<string, unknown>,
  body = goEncode(model.request(operation, command)),
): Promise<Outcome> {
  const response = await fetch(`${server.webhookBase}/${command}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json; charset=utf-8', operationID: `contract-${command}` },
    body,
  });
  // OpenIM never reads the status; a reply that fails to decode is 90007 and fails the operation.
  const reply = goDecode(await response.text(), model.response);
  const stopped = reply.actionCode === 0 && reply.nextCode === 1;
  const after = structuredClone(operation);
  if (!stopped) model.apply(after, reply, version);
  return { stopped, errCode: reply.errCode as number, before: operation, after };
}

describe('Reply contract: every before-command as OpenIM applies our reply', () => {
  let server: RunningServer;

  beforeAll(async () => {
    // No policy: every command continues but the offline push, which the default PUSH_MODE takes over.
    server = await startLocalServer({ MODERATION_POLICY_FILE: undefined });
  });
  afterAll(() => server.stop());

  it('models every before-command the service knows', () => {
    // Assess
    expect(Object.keys(OPENIM_MODEL).sort()).toEqual([...BEFORE_COMMANDS].sort());
  });

  describe.each(['main', 'v3.8.3'] as const)('OpenIM %s', (version) => {
    const commands = BEFORE_COMMANDS.filter((command) => OPENIM_MODEL[command]!.versions.includes(version));

    it.each(commands.map((command) => ({ command })))('$command: continue leaves the operation unchanged', async ({ command }) => {
      // Prepare
      const model = OPENIM_MODEL[command]!;
      const operations = fc.sample(model.operation, { numRuns: SAMPLES_PER_COMMAND, seed: command.length * 7919 });

      // Act
      const outcomes = [];
      for (const operation of operations) outcomes.push(await runThroughOpenim(server, command, model, version, operation));

      // Assess
      for (const outcome of outcomes) {
        if (outcome.stopped) {
          expect(command).toBe('callbackBeforeOfflinePushCommand');
          expect(outcome.errCode).toBe(HOOK_ERROR_CODES.pushTakenOver);
        } else expect(outcome.after).toEqual(outcome.before);
      }
    });
  });

  it('stops a set-group-info whose body cannot be read, rather than blank the group ID (a continue without the echo)', async () => {
    // Prepare
    const command = 'callbackBeforeSetGroupInfoCommand';
    const model = OPENIM_MODEL[command]!;
    const [operation] = fc.sample(model.operation, { numRuns: 1, seed: 1 });

    // Act
    const outcome = await runThroughOpenim(server, command, model, 'main', operation!, '{"groupID": "g1", broken');

    // Assess
    expect(outcome.stopped).toBe(true);
    expect(outcome.errCode).toBe(HOOK_ERROR_CODES.callbackUnavailable);
  });

  it('echoes a set-group-info-ex body with unexpected field types as received: nothing validates what it does not decide', async () => {
    // Prepare: a field of a type the request schema would refuse.
    const command = 'callbackBeforeSetGroupInfoExCommand';
    const model = OPENIM_MODEL[command]!;
    const [operation] = fc.sample(model.operation, { numRuns: 1, seed: 2 });
    const request = { ...model.request(operation!, command), notification: 42 };

    // Act
    const outcome = await runThroughOpenim(server, command, model, 'main', operation!, goEncode(request));

    // Assess
    expect(outcome.stopped).toBe(false);
    expect(outcome.after).toEqual(outcome.before);
  });
});

describe('Reply contract: decisions as OpenIM applies them', () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startLocalServer({ MODERATION_POLICY_FILE: undefined, POLICY_REFRESH_MS: '100' });
    const policy = await fetch(`${server.url}/api/moderation/policy`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${server.apiToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ blocked: ['badword'], masked: ['darn'] }),
    });
    expect(policy.status).toBe(200);
    // The server loaded the empty store at start; a message after POLICY_REFRESH_MS finds version 1.
    await eventually(async () => {
      await fetch(`${server.webhookBase}/callbackBeforeSendSingleMsgCommand`, { method: 'POST', body: readEventBody('callbackBeforeSendSingleMsgCommand') });
      return server.logLines().some((line) => line.message === 'moderation policy in force' && line.policyVersion === 1);
    });
  });
  afterAll(() => server.stop());

  it.each(['main', 'v3.8.3'] as const)('OpenIM %s: a masked message changes in its content only, and the content passes main\'s object check', async (version) => {
    // Prepare
    const command = 'callbackBeforeMsgModifyCommand';
    const model = OPENIM_MODEL[command]!;
    const [operation] = fc.sample(model.operation, { numRuns: 1, seed: 3 });
    const message = { ...operation!, contentType: 101, content: JSON.stringify({ content: 'well <darn> it' }) };

    // Act
    const outcome = await runThroughOpenim(server, command, model, version, message);

    // Assess
    expect(outcome.stopped).toBe(false);
    expect({ ...outcome.after, content: undefined }).toEqual({ ...outcome.before, content: undefined });
    expect(JSON.parse(outcome.after.content as string)).toEqual({ content: 'well <****> it' });
  });

  it.each(['callbackBeforeSendSingleMsgCommand', 'callbackBeforeSendGroupMsgCommand'])('%s: a blocked message stops with an errCode both versions pass through', async (command) => {
    // Prepare
    const model = OPENIM_MODEL[command]!;
    const [operation] = fc.sample(model.operation, { numRuns: 1, seed: 4 });
    const message = { ...operation!, contentType: 101, content: JSON.stringify({ content: 'a b.a.d.w.o.r.d here' }) };

    // Act
    const outcome = await runThroughOpenim(server, command, model, 'main', message);

    // Assess
    expect(outcome.stopped).toBe(true);
    expect(outcome.errCode).toBe(HOOK_ERROR_CODES.messageBlocked);
    expect(isPassedThrough(outcome.errCode)).toBe(true);
  });

  it('takes over an offline push with a stop both versions pass through, or leaves it unchanged', async () => {
    // Prepare
    const command = 'callbackBeforeOfflinePushCommand';
    const model = OPENIM_MODEL[command]!;
    const operations = fc.sample(model.operation, { numRuns: 10, seed: 5 });

    // Act
    const outcomes = [];
    for (const operation of operations) outcomes.push(await runThroughOpenim(server, command, model, 'main', operation));

    // Assess
    for (const outcome of outcomes) {
      if (outcome.stopped) expect(isPassedThrough(outcome.errCode)).toBe(true);
      else expect(outcome.after).toEqual(outcome.before);
    }
  });
});

describe('The OpenIM model itself', () => {
  it('breaks a set-group-info on a bare continue, as OpenIM does (the bug this contract prevents)', () => {
    // Prepare
    const model = OPENIM_MODEL.callbackBeforeSetGroupInfoCommand!;
    const operation = { groupID: 'g1', groupName: 'New name', notification: '', introduction: '', faceURL: '', ex: null, needVerification: null, lookMemberInfo: null, applyMemberFriend: null };
    const after = structuredClone(operation);

    // Act
    model.apply(after, goDecode('{"actionCode":0,"errCode":0,"errMsg":"","errDlt":"","nextCode":0}', model.response), 'main');

    // Assess
    expect(after.groupID).toBe('');
    expect(after.groupName).toBe('');
  });

  it('panics on a user-info-ex reply that sets what the user did not, and refuses non-object content in main only', () => {
    // Prepare
    const userEx = OPENIM_MODEL.callbackBeforeUpdateUserInfoExCommand!;
    const modify = OPENIM_MODEL.callbackBeforeMsgModifyCommand!;
    const message = { content: '{}' };

    // Assess
    expect(() => userEx.apply({ userID: 'u', nickname: 'n', faceURL: null, ex: null }, goDecode('{"ex":"x"}', userEx.response), 'main')).toThrow(OpenimPanic);
    expect(() => modify.apply({ ...message }, goDecode('{"content":"[1]"}', modify.response), 'main')).toThrow(OpenimRefusal);
    expect(() => modify.apply({ ...message }, goDecode('{"content":"[1]"}', modify.response), 'v3.8.3')).not.toThrow();
    expect(() => goDecode('{"errCode":2147483648}', modify.response)).toThrow(/int32/);
  });
});
