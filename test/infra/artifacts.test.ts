/**
 * What `cdk deploy` uploads, run here: each variant of the app is synthesized with its bundles,
 * the stand-ins are provisioned from its templates, and every bundled Lambda runs in a fresh Node
 * process with exactly its template's environment. Requests go through the APIs as synthesized,
 * queued events through the topic's subscriptions and the workers' event source mappings. Every
 * AWS call the functions make is recorded and must be allowed by the function's own role.
 */
import { GetCommand } from '#shared/aws/dynamodb-client.ts';
import { randomUUID } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR_ROUTES } from '../../infra/operator-routes.ts';
import { WORKERS } from '../../infra/workers.ts';
import { readEvent } from '../helpers/events.ts';
import { eventually } from '../helpers/eventually.ts';
import { ANONYMOUS, type Caller } from './artifacts/api-gateway-front-door.ts';
import { deployLocally, type DeployedApp } from './artifacts/deployed-app.ts';
import { openImBehindLoadBalancer, type OpenImBehindLoadBalancer } from './artifacts/openim-behind-load-balancer.ts';
import { evaluate, type PolicyStatement } from './artifacts/iam-evaluator.ts';
import { synthesize } from './artifacts/synthesize.ts';

// The default covers Cognito on the operator API and a regional callbacks API; one more synth
// covers both other documented options at once (they live in different stacks), which keeps
// CI to three synths.
const VARIANTS = [
  { name: 'default context (OpenIM on ECS)', context: {} },
  { name: 'deployOpenIM=false', context: { deployOpenIM: 'false' } },
  { name: 'apiEndpoint=private, operatorAuth=iam', context: { apiEndpoint: 'private', operatorAuth: 'iam' } },
] as const;

const MODERATOR_CLAIMS = { sub: 'moderator-1', 'cognito:username': 'moderator-1', 'cognito:groups': '[admins moderators]' };
/** An operator's role session, as API Gateway reports a SigV4 caller. */
const OPERATOR_ROLE_SESSION = 'arn:aws:sts::000000000000:assumed-role/openim-hooks-operators/operator-1';
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
  /** A callback as OpenIM sends it; `via` is the interface endpoint it comes through (null: none). */
  const callback = (command: string, body: Record<string, unknown>, secret = callbackSecret(), via: string | null = openimVpce() ?? null) =>
    app.request(stackName('callbacks'), apiOf('callbacks'), {
      method: 'POST',
      path: `/openim/${secret}/${command}`,
      body: `${JSON.stringify(body)}\n`,
      headers: { 'content-type': 'application/json; charset=utf-8', operationID: String(body.operationID ?? randomUUID()) },
      // OpenIM in the VPC reaches a private API through its execute-api endpoint.
      ...(via === null ? {} : { sourceVpce: via }),
    });
  const resourcesIn = (name: string, type: string) => app.assembly.resourcesOfType(type).filter(({ stack }) => stack.stackName === stackName(name));
  /** The callbacks API's execute-api endpoint, when the API is private. */
  const executeApiEndpoint = () => resourcesIn('callbacks', 'AWS::EC2::VPCEndpoint')[0];
  /** How a moderator signs in, as the operator API's template configures it. */
  const operatorCaller = (statements?: readonly PolicyStatement[]): Caller => {
    const [pool] = resourcesIn('operator', 'AWS::Cognito::UserPool');
    if (pool) return { kind: 'cognito', userPoolLogicalId: pool.logicalId, claims: MODERATOR_CLAIMS };
    return { kind: 'iam', principalArn: OPERATOR_ROLE_SESSION, statements: statements ?? invokePolicy() };
  };
  /** The statements of the operator API's exported invoke policy, as an operator's role would hold them. */
  const invokePolicy = () => {
    const [policy] = resourcesIn('operator', 'AWS::IAM::ManagedPolicy');
    return (app.assembly.resolve(policy!.stack, policy!.resource.Properties?.PolicyDocument) as { Statement: PolicyStatement[] }).Statement;
  };
  const operator = (method: string, path: string, body?: unknown, query?: Record<string, string>, caller = operatorCaller()) =>
    app.request(stackName('operator'), apiOf('operator'), {
      method,
      path,
      caller,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      ...(query ? { query } : {}),
    });
  const openimVpce = () => {
    const endpoint = executeApiEndpoint();
    return endpoint && app.assembly.physicalId(endpoint.stack, endpoint.logicalId);
  };
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
    // The console comes with Cognito sign-in only (a browser cannot sign SigV4 requests).
    const consoleFiles = operatorCaller().kind === 'cognito' ? ['console-files'] : [];
    const expected = ['before-callback', 'after-callback', ...new Set(OPERATOR_ROUTES.map((group) => group.entryName)), ...WORKERS.map((worker) => worker.entryName), ...consoleFiles];
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

  it('serves the console from its bundle with every security header, and tells it to sign in through the hosted UI', async () => {
    // Prepare
    const console = (path: string) => app.request(stackName('operator'), apiOf('operator'), { method: 'GET', path });
    if (operatorCaller().kind === 'iam') {
      expect(resourcesIn('operator', 'AWS::ApiGateway::Resource').map(({ resource }) => resource.Properties?.PathPart)).not.toContain('console');
      return;
    }
    const [domain] = resourcesIn('operator', 'AWS::Cognito::UserPoolDomain');
    const [client] = resourcesIn('operator', 'AWS::Cognito::UserPoolClient');

    // Act
    const [bare, page, script, icon, config, missing] = await Promise.all(['/console', '/console/', '/console/cognito-sign-in.js', '/console/favicon.svg', '/console/config.json', '/console/nothing.js'].map(console));

    // Assess
    expect(bare).toMatchObject({ functionName: fnName('console-files'), status: 308, headers: { location: 'console/' } });
    expect([page!, script!, icon!, config!].map(({ status, headers }) => [status, headers['content-type']])).toEqual([
      [200, 'text/html; charset=utf-8'],
      [200, 'text/javascript; charset=utf-8'],
      [200, 'image/svg+xml'],
      [200, 'application/json; charset=utf-8'],
    ]);
    expect(page!.body).toContain('<script type="importmap">');
    // The CSP names the origin, whose host URL lowercases; config.json carries the domain as set.
    const hostedUi = `https://${app.assembly.physicalId(domain!.stack, domain!.logicalId)}.auth.${app.assembly.resolveString(domain!.stack, { Ref: 'AWS::Region' })}.amazoncognito.com`;
    for (const answer of [page, script, icon, config, missing]) {
      expect(answer!.headers).toMatchObject({
        'content-security-policy': expect.stringMatching(new RegExp(`^default-src 'none'; script-src 'self' 'sha256-[A-Za-z0-9+/]+=*'; style-src 'self'; img-src 'self'; connect-src 'self' ${new URL(hostedUi).origin.replaceAll('.', '\\.')}; base-uri 'none'; form-action 'self'; frame-ancestors 'none'$`)),
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'same-origin',
        'x-frame-options': 'DENY',
      });
    }
    expect(config!.body).toEqual({
      mode: 'cognito',
      domain: hostedUi,
      clientId: app.assembly.physicalId(client!.stack, client!.logicalId),
      redirectUri: expect.stringMatching(/^https:\/\/[^/]+\.execute-api\.[^/]+\/dev\/console\/$/),
    });
    expect(missing!.status).toBe(404);
  });

  it('answers a callback with a wrong secret 404 and publishes nothing', async () => {
    const before = app.standIns.calls.length;
    const reply = await callback('callbackAfterSendSingleMsgCommand', readEvent('callbackAfterSendSingleMsgCommand'), 'not-the-secret');
    expect(reply.status).toBe(404);
    expect(app.standIns.calls.slice(before).filter((call) => call.action === 'sns:Publish')).toEqual([]);
  });

  it('carries a flagged message from the before-callback through the review worker to the moderators and their decision to OpenIM', async () => {
    // Prepare: the policy, through the operator API; its regex term, which the message does not
    // match, makes the operator API and the before-callback load re2js from beside their bundles.
    const policy = await operator('PUT', '/api/moderation/policy', { flagged: [FLAGGED_TERM, { term: 'gift ?c[a4]rds?', regex: true }] });
    expect(policy).toMatchObject({ functionName: fnName('operator-api'), status: 200 });
    // The before-callback read the policy store at its init; the first message after POLICY_REFRESH_MS
    // (5 s by default) finds the new version, which then comes into force while it keeps deciding.
    const { version } = policy.body as { version: number };
    const beforeCallback = app.running.get(fnName('before-callback'))!;
    await eventually(async () => {
      await callback('callbackBeforeSendSingleMsgCommand', readEvent('callbackBeforeSendSingleMsgCommand'));
      return beforeCallback.logLines().some((line) => line.message === 'moderation policy in force' && line.policyVersion === version);
    }, 30_000);
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
  }, 90_000);

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
      const { Item } = await app.standIns.documents.send(new GetCommand({ TableName: auditTable, Key: { recordID: `sent#${serverMsgID}` } }));
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
    expect(stored).toMatchObject({ recordID: `sent#${serverMsgID}` });
    expect(presence).toMatchObject({ functionName: fnName('operator-presence'), body: { userID, online: true } });
    expect(audit).toMatchObject({ functionName: fnName('operator-audit'), status: 200 });
    expect(JSON.stringify(audit.body)).toContain(serverMsgID);
  });

  it('refuses operator requests the synthesized authorizer refuses, before any function runs', async () => {
    // Prepare: callers API Gateway must turn away, by the operator API's authorization type
    const iam = operatorCaller().kind === 'iam';
    const outsiders: { caller: Caller; status: number; message: RegExp }[] = iam
      ? [
          { caller: ANONYMOUS, status: 403, message: /^Missing Authentication Token$/ },
          // Signed, but the role lacks the exported invoke policy.
          { caller: operatorCaller([]), status: 403, message: /is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:.*\/dev\/GET\/api\/review\/items$/ },
        ]
      : [
          { caller: ANONYMOUS, status: 401, message: /^Unauthorized$/ },
          // A token of some other user pool.
          { caller: { kind: 'cognito', userPoolLogicalId: 'SomeOtherPool', claims: MODERATOR_CLAIMS }, status: 401, message: /^Unauthorized$/ },
        ];

    // Act
    const answers = await Promise.all(outsiders.map(({ caller }) => operator('GET', '/api/review/items', undefined, undefined, caller)));
    const admitted = await operator('GET', '/api/review/items');

    // Assess
    expect(answers.map(({ functionName, status, body }) => ({ functionName, status, message: (body as { message: string }).message }))).toEqual(
      outsiders.map(({ status, message }) => ({ functionName: undefined, status, message: expect.stringMatching(message) })),
    );
    expect(admitted).toMatchObject({ functionName: fnName('operator-review'), status: 200 });
  });

  it('admits callbacks to a private API only through its execute-api endpoint, which OpenIM in the VPC resolves by private DNS', async () => {
    const endpoint = executeApiEndpoint();
    const sent = { ...readEvent('callbackAfterSendSingleMsgCommand'), serverMsgID: `artifact-${randomUUID()}` };
    const fromOutside = await callback('callbackAfterSendSingleMsgCommand', sent, callbackSecret(), null);
    if (!endpoint) {
      // A regional API takes callbacks from anywhere; the secret path segment guards it.
      expect(fromOutside).toMatchObject({ functionName: fnName('after-callback'), status: 200 });
      return;
    }
    const throughAnother = await callback('callbackAfterSendSingleMsgCommand', sent, callbackSecret(), 'vpce-0someoneelse');
    const throughOurs = await callback('callbackAfterSendSingleMsgCommand', sent);
    expect([fromOutside, throughAnother].map(({ functionName, status, body }) => [functionName, status, (body as { message: string }).message])).toEqual([
      [undefined, 403, expect.stringMatching(/with an explicit deny$/)],
      [undefined, 403, expect.stringMatching(/with an explicit deny$/)],
    ]);
    expect(throughOurs).toMatchObject({ functionName: fnName('after-callback'), status: 200 });
    // OpenIM's webhook URL is the API's default host name, which resolves to the endpoint inside
    // its VPC only with private DNS, and the endpoint must admit HTTPS from that VPC.
    const props = endpoint.resource.Properties as { PrivateDnsEnabled: boolean; VpcId: unknown; SecurityGroupIds: { 'Fn::GetAtt': [string, string] }[] };
    const [task] = resourcesIn('openim', 'AWS::ECS::TaskDefinition');
    const containers = (task!.resource.Properties as { ContainerDefinitions: { Environment?: { Name: string; Value: unknown }[] }[] }).ContainerDefinitions;
    const baseUrl = containers.flatMap((container) => container.Environment ?? []).find((variable) => variable.Name === 'WEBHOOKS_BASE_URL')!;
    const apiId = app.assembly.physicalId(endpoint.stack, apiOf('callbacks'));
    const [service] = resourcesIn('openim', 'AWS::ECS::Service');
    const serviceSubnets = app.assembly.resolve(service!.stack, (service!.resource.Properties as { NetworkConfiguration: { AwsvpcConfiguration: { Subnets: unknown } } }).NetworkConfiguration.AwsvpcConfiguration.Subnets);
    const endpointSubnets = app.assembly.resolve(endpoint.stack, (endpoint.resource.Properties as { SubnetIds: unknown }).SubnetIds);
    const ingress = app.assembly.resolve(endpoint.stack, endpoint.stack.resources[props.SecurityGroupIds[0]!['Fn::GetAtt'][0]]!.Properties?.SecurityGroupIngress);
    expect(props.PrivateDnsEnabled).toBe(true);
    expect(app.assembly.resolveString(task!.stack, baseUrl.Value)).toBe(`https://${apiId}.execute-api.us-east-1.amazonaws.com/dev/openim/`);
    expect(serviceSubnets).toEqual(endpointSubnets);
    const [vpc] = resourcesIn('network', 'AWS::EC2::VPC');
    expect(ingress).toEqual([expect.objectContaining({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: (vpc!.resource.Properties as { CidrBlock: string }).CidrBlock })]);
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
