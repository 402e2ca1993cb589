/**
 * What `cdk deploy` uploads, run here: each variant of the app is synthesized with its bundles,
 * the stand-ins are provisioned from its templates, and every bundled Lambda runs in a fresh Node
 * process with exactly its template's environment. Requests go through the APIs as synthesized,
 * queued events through the topic's subscriptions and the workers' event source mappings. Every
 * AWS call the functions make is recorded and must be allowed by the function's own role.
 */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR_ROUTES } from '../../infra/operator-routes.ts';
import { WORKERS } from '../../infra/workers.ts';
import { readEvent } from '../helpers/events.ts';
import { deployLocally, type DeployedApp } from './artifacts/deployed-app.ts';
import { openImBehindLoadBalancer, type OpenImBehindLoadBalancer } from './artifacts/openim-behind-load-balancer.ts';
import { evaluate } from './artifacts/iam-evaluator.ts';
import { synthesize } from './artifacts/synthesize.ts';

const VARIANTS = [
  { name: 'default context (OpenIM on ECS)', context: {} },
  { name: 'deployOpenIM=false', context: { deployOpenIM: 'false' } },
] as const;

const MODERATOR = { claims: { sub: 'moderator-1', 'cognito:username': 'moderator-1', 'cognito:groups': '[admins moderators]' } };
const FLAGGED_TERM = 'wire transfer';

describe.each(VARIANTS)('Artifacts: $name', ({ context }) => {
  let app: DeployedApp;
  let openim: OpenImBehindLoadBalancer | undefined;
  /** Why the review functions have no OpenIM admin access, when the app gives them none. */
  let openimOff: RegExp | undefined;
  const stage = 'dev';
  const stackName = (name: string) => `OpenimHooks-${stage}-${name}`;
  const apiOf = (name: string) => {
    const [api] = app.assembly.resourcesOfType('AWS::ApiGateway::RestApi').filter(({ stack }) => stack.stackName === stackName(name));
    return api!.logicalId;
  };
  const callback = (command: string, body: Record<string, unknown>, secret = callbackSecret()) =>
    app.request(stackName('callbacks'), apiOf('callbacks'), {
      method: 'POST',
      path: `/openim/${secret}/${command}`,
      body: `${JSON.stringify(body)}\n`,
      headers: { 'content-type': 'application/json; charset=utf-8', operationID: String(body.operationID ?? randomUUID()) },
    });
  const operator = (method: string, path: string, body?: unknown, query?: Record<string, string>) =>
    app.request(stackName('operator'), apiOf('operator'), {
      method,
      path,
      authorizer: MODERATOR,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      ...(query ? { query } : {}),
    });
  const callbackSecret = () => app.functions.find((fn) => fn.functionName.endsWith('-after-callback'))!.environment.CALLBACK_SECRET!;
  const fnName = (suffix: string) => `openim-hooks-${stage}-${suffix}`;

  beforeAll(async () => {
    const assembly = await synthesize(context);
    openim = await openImBehindLoadBalancer(assembly);
    app = await deployLocally(assembly);
    const review = app.functions.find((fn) => fn.functionName === fnName('operator-review'))!;
    openimOff = openim ? undefined : review.environment.OPENIM_API_URL ? /OPENIM_SECRET/ : /OPENIM_API_URL is not set/;
  }, 600_000);

  afterAll(async () => {
    await app?.stop();
    await openim?.stop();
    if (app) rmSync(app.assembly.directory, { recursive: true, force: true });
  });

  it('starts every bundled function in a fresh Node process with its template environment, none failing at init', () => {
    expect(app.initErrors.map((error) => `${error.message}\n${error.output.join('\n')}`)).toEqual([]);
    const expected = ['before-callback', 'after-callback', ...new Set(OPERATOR_ROUTES.map((group) => group.entryName)), ...WORKERS.map((worker) => worker.entryName)];
    expect([...app.running.keys()].sort()).toEqual(expected.map(fnName).sort());
  });

  it('bundles each function into one ESM file with its source map', () => {
    for (const fn of app.functions) expect([fn.file.endsWith('.mjs'), existsSync(`${fn.file}.map`)]).toEqual([true, true]);
  });

  it('runs each function on the Node release its Lambda runtime names', () => {
    for (const running of app.running.values()) expect(`nodejs${running.nodeVersion.split('.')[0]}.x`).toBe(running.fn.runtime);
  });

  it('gives the review functions OpenIM admin access, or turns it off saying why instead of failing', () => {
    for (const name of ['review-worker', 'operator-review']) {
      const line = app.running.get(fnName(name))!.logLines().find((entry) => entry.capability === 'OpenIM admin access');
      if (openimOff) expect(line).toMatchObject({ level: 'WARN', reason: expect.stringMatching(openimOff) });
      else expect(line).toBeUndefined();
    }
  });

  it('answers a callback with a wrong secret 404 and publishes nothing', async () => {
    const before = app.standIns.calls.length;
    const reply = await callback('callbackAfterSendSingleMsgCommand', readEvent('callbackAfterSendSingleMsgCommand'), 'not-the-secret');
    expect(reply.status).toBe(404);
    expect(app.standIns.calls.slice(before).filter((call) => call.action === 'sns:Publish')).toEqual([]);
  });

  it('carries a flagged message from the before-callback through the review worker to the moderators and their decision to OpenIM', async () => {
    // Prepare: the policy, through the operator API
    const policy = await operator('PUT', '/api/moderation/policy', { flagged: [FLAGGED_TERM] });
    expect(policy).toMatchObject({ functionName: fnName('operator-api'), status: 200 });
    const clientMsgID = `artifact-${randomUUID()}`;
    const message = { ...readEvent('callbackBeforeSendSingleMsgCommand'), clientMsgID, sendTime: Date.now(), content: JSON.stringify({ content: `send a ${FLAGGED_TERM} now` }) };

    // Act
    const reply = await callback('callbackBeforeSendSingleMsgCommand', message);
    const item = await app.drain(fnName('review-worker'), async () => {
      const listed = await operator('GET', '/api/review/items');
      return (listed.body as { items: { itemId: string }[] }).items.find((entry) => entry.itemId === clientMsgID);
    });
    const claimed = await operator('POST', `/api/review/items/${clientMsgID}/claim`);
    const removed = await operator('POST', `/api/review/items/${clientMsgID}/decision`, { decision: 'removed', reason: 'fraud' });

    // Assess
    expect(reply).toMatchObject({ functionName: fnName('before-callback'), status: 200, body: { errCode: 0 } });
    expect(item).toMatchObject({ terms: [FLAGGED_TERM], state: 'pending' });
    expect(claimed).toMatchObject({ functionName: fnName('operator-review'), status: 200, body: { state: 'claimed' } });
    if (openimOff) {
      // Without OpenIM admin access only approvals can be carried out, and the answer says why.
      expect(removed.status).toBe(422);
      expect((removed.body as { detail: string }).detail).toMatch(new RegExp(`OpenIM admin access, which is off here \\(.*${openimOff.source}`));
      const approved = await operator('POST', `/api/review/items/${clientMsgID}/decision`, { decision: 'approved', reason: 'a joke' });
      expect(approved).toMatchObject({ status: 200, body: { item: { state: 'decided' } } });
    } else {
      // Through the load balancer's address, signed in with the secret the app handed over.
      expect(openim!.standIn.calls.filter((call) => call.errCode === 0).map((call) => call.service)).toContain('core');
    }
  });

  it('stores an after-send callback in the audit trail and an online callback as presence, through the workers', async () => {
    // Prepare
    const serverMsgID = `artifact-${randomUUID()}`;
    const sent = { ...readEvent('callbackAfterSendSingleMsgCommand'), serverMsgID, sendTime: Date.now() };
    const userID = `user-${randomUUID()}`;
    const online = { ...readEvent('callbackAfterUserOnlineCommand'), userID, seq: Date.now() };
    const auditTable = app.running.get(fnName('audit-writer'))!.fn.environment.AUDIT_TABLE_NAME!;

    // Act
    const replies = [await callback('callbackAfterSendSingleMsgCommand', sent), await callback('callbackAfterUserOnlineCommand', online)];
    const stored = await app.drain(fnName('audit-writer'), async () => {
      const { Item } = await app.standIns.documents.send(new GetItemCommand({ TableName: auditTable, Key: { recordID: { S: `sent#${serverMsgID}` } } }));
      return Item;
    });
    const presence = await app.drain(fnName('presence-worker'), async () => {
      const answer = await operator('GET', `/api/presence/${userID}`);
      return answer.status === 200 && (answer.body as { online: boolean }).online && answer;
    });
    const audit = await operator('GET', '/api/audit', undefined, { sendID: String(readEvent('callbackAfterSendSingleMsgCommand').sendID) });

    // Assess
    expect(replies.map((reply) => [reply.functionName, reply.status, reply.body])).toEqual([
      [fnName('after-callback'), 200, expect.objectContaining({ errCode: 0 })],
      [fnName('after-callback'), 200, expect.objectContaining({ errCode: 0 })],
    ]);
    expect(stored).toMatchObject({ recordID: { S: `sent#${serverMsgID}` } });
    expect(presence).toMatchObject({ functionName: fnName('operator-presence'), body: { userID, online: true } });
    expect(audit).toMatchObject({ functionName: fnName('operator-audit'), status: 200 });
    expect(JSON.stringify(audit.body)).toContain(serverMsgID);
  });

  it("allows every AWS call each function (and its event source mapping) made, by that function's own role", () => {
    const byPrincipal = new Map(app.functions.map((fn) => [fn.logicalId, fn]));
    const made = app.standIns.calls.filter((call) => call.principal !== 'harness');
    const denied = made
      .filter((call) => {
        const fn = byPrincipal.get(call.principal);
        return !fn || !evaluate(fn.statements, call.action, call.resource).allowed;
      })
      .map((call) => `${call.principal}: ${call.action} on ${call.resource}`);
    expect(made.length).toBeGreaterThan(0);
    expect([...new Set(denied)]).toEqual([]);
  });

  it('denies a recorded call once the statement that allowed it is removed from the role', () => {
    const after = app.functions.find((fn) => fn.functionName === fnName('after-callback'))!;
    const publish = app.standIns.calls.find((call) => call.principal === after.logicalId && call.action === 'sns:Publish')!;
    const { statement } = evaluate(after.statements, publish.action, publish.resource);
    expect(statement).toBeDefined();
    expect(evaluate(after.statements.filter((s) => s !== statement), publish.action, publish.resource).allowed).toBe(false);
  });

});
