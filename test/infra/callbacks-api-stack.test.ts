import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { beforeAll, describe, expect, it } from 'vitest';
import { CALLBACK_COMMANDS, COMMAND_NAMES } from '#shared/openim/commands.ts';
import { CallbacksApiStack } from '../../infra/stacks/callbacks-api-stack.ts';
import { DataStack } from '../../infra/stacks/data-stack.ts';
import { EVERY_GATEWAY_RESPONSE_TYPE, renderGatewayResponses } from './gateway-responses.ts';
import { actionsOfRole, allowStatements, actionsOf, appWithoutBundling, chatEventResources, LOG_RETENTION } from './helpers.ts';

function build(overrides: Partial<ConstructorParameters<typeof CallbacksApiStack>[2]> = {}): Template {
  const app = appWithoutBundling();
  const events = chatEventResources(app);
  const vpc = overrides.apiEndpoint === 'private' ? new ec2.Vpc(new Stack(app, 'Net'), 'Vpc') : undefined;
  const data = new DataStack(app, 'Data');
  return Template.fromStack(
    new CallbacksApiStack(app, 'Callbacks', {
      prefix: 'openim-hooks-test',
      stageName: 'test',
      ...events,
      logRetention: LOG_RETENTION,
      tables: data.tables,
      vpc,
      ...overrides,
    }),
  );
}

const AFTER_COMMANDS = COMMAND_NAMES.filter((name) => CALLBACK_COMMANDS[name].mode === 'after');

describe('Stack: CallbacksApiStack', () => {
  let template: Template;
  let privateApi: Template;

  beforeAll(() => {
    template = build({ beforeProvisionedConcurrency: 2 });
    privateApi = build({ apiEndpoint: 'private' });
  });

  it('routes every after-command of the registry to the after-callback Lambda', () => {
    const resources = template.findResources('AWS::ApiGateway::Resource');
    const parts = Object.values(resources).map((r) => r.Properties.PathPart as string);
    expect(parts).toEqual(expect.arrayContaining(['openim', '{secret}', '{command}', ...AFTER_COMMANDS]));
    const afterMethods = Object.values(template.findResources('AWS::ApiGateway::Method')).filter((m) =>
      JSON.stringify(m.Properties.Integration?.Uri ?? '').includes('AfterCallback'),
    );
    expect(afterMethods).toHaveLength(AFTER_COMMANDS.length);
  });

  it('creates no literal resource for a before-command: {command} sends them to the before-callback', () => {
    const parts = Object.values(template.findResources('AWS::ApiGateway::Resource')).map((r) => r.Properties.PathPart);
    const beforeCommands = COMMAND_NAMES.filter((name) => CALLBACK_COMMANDS[name].mode === 'before');
    expect(parts.filter((part) => beforeCommands.includes(part))).toEqual([]);
  });

  it('integrates {command} with the live alias of the before-callback', () => {
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'POST',
      ResourceId: { Ref: Match.stringLikeRegexp('openimsecretcommand') },
      Integration: Match.objectLike({ Type: 'AWS_PROXY' }),
    });
    const method = Object.values(template.findResources('AWS::ApiGateway::Method')).find((m) =>
      JSON.stringify(m.Properties.ResourceId).includes('openimsecretcommand'),
    );
    expect(JSON.stringify(method?.Properties.Integration.Uri)).toContain('BeforeCallbackLive');
  });

  it('keeps provisioned concurrency on the before-callback alias when asked', () => {
    template.hasResourceProperties('AWS::Lambda::Alias', {
      Name: 'live',
      ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 2 },
    });
  });

  it('passes the callback secret as a Secrets Manager dynamic reference, never a literal', () => {
    for (const fn of Object.values(template.findResources('AWS::Lambda::Function'))) {
      const secret = JSON.stringify(fn.Properties.Environment.Variables.CALLBACK_SECRET);
      expect(secret).toContain('{{resolve:secretsmanager:');
      expect(secret).toContain('CallbackSecret');
    }
  });

  it('generates a URL-safe secret', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { ExcludePunctuation: true, IncludeSpace: false, PasswordLength: 48 },
    });
  });

  it('builds both Lambdas for ARM64 on Node 24, leaving source maps unapplied by default', () => {
    template.allResourcesProperties('AWS::Lambda::Function', {
      Architectures: ['arm64'],
      Runtime: 'nodejs24.x',
      TracingConfig: { Mode: 'Active' },
      Environment: { Variables: Match.objectLike({ NODE_OPTIONS: Match.absent(), POWERTOOLS_METRICS_NAMESPACE: 'OpenimHooks' }) },
    });
  });

  it('allows the callback Lambdas sns:Publish on the chat-events topic and no wildcard action', () => {
    for (const role of ['BeforeCallbackServiceRole', 'AfterCallbackServiceRole']) {
      const actions = actionsOfRole(template, role);
      expect(actions).toContain('sns:Publish');
      expect(actions.filter((action) => action.includes('*') && !action.startsWith('xray:'))).toEqual([]);
    }
  });

  it('allows no data action on Resource "*"', () => {
    const wildcard = allowStatements(template).filter((s) => s.Resource === '*').flatMap(actionsOf);
    expect(wildcard.every((action) => action.startsWith('xray:'))).toBe(true);
  });

  it('keeps the secret path out of access logs (resourcePath, not path)', () => {
    const stage = Object.values(template.findResources('AWS::ApiGateway::Stage'))[0];
    const format = stage?.Properties.AccessLogSetting.Format as string;
    expect(format).toContain('$context.resourcePath');
    expect(format).not.toMatch(/\$context\.path\b/);
  });

  it('makes the API private to the VPC endpoint when apiEndpoint is private', () => {
    privateApi.hasResourceProperties('AWS::ApiGateway::RestApi', {
      EndpointConfiguration: { Types: ['PRIVATE'], VpcEndpointIds: [Match.anyValue()] },
      Policy: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { StringNotEquals: { 'aws:SourceVpce': Match.anyValue() } } }),
        ]),
      }),
    });
  });

  it('binds a listed table to the before-callback with read access only, in its definition\'s variable', () => {
    const app = appWithoutBundling();
    const data = new DataStack(app, 'Data');
    const bound = Template.fromStack(
      new CallbacksApiStack(app, 'Bound', {
        prefix: 'p',
        stageName: 's',
        ...chatEventResources(app),
        logRetention: LOG_RETENTION,
        tables: data.tables,
        tableBindings: { before: [{ table: 'audit', access: 'read' }], after: [] },
      }),
    );
    bound.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'p-before-callback',
      Environment: { Variables: Match.objectLike({ AUDIT_TABLE_NAME: Match.anyValue() }) },
    });
    const actions = actionsOfRole(bound, 'BeforeCallbackServiceRole');
    expect(actions).toContain('dynamodb:GetItem');
    expect(actions).not.toContain('dynamodb:PutItem');
    expect(actionsOfRole(bound, 'AfterCallbackServiceRole').filter((a) => a.startsWith('dynamodb:'))).toEqual([]);
  });

  it.each([{ role: 'BeforeCallbackServiceRole' }, { role: 'AfterCallbackServiceRole' }])(
    'lets $role put claim-checked events but not read, list or delete them',
    ({ role }) => {
      const s3Actions = actionsOfRole(template, role).filter((action) => action.startsWith('s3:'));
      expect(s3Actions).toEqual(['s3:PutObject']);
    },
  );

  it('tells both callbacks the claim-check bucket', () => {
    for (const name of ['openim-hooks-test-before-callback', 'openim-hooks-test-after-callback']) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: name,
        Environment: { Variables: Match.objectLike({ CHAT_EVENT_PAYLOADS_BUCKET: Match.anyValue() }) },
      });
    }
  });

  it('throws when a private API has no VPC', () => {
    const app = appWithoutBundling();
    expect(
      () =>
        new CallbacksApiStack(app, 'NoVpc', {
          prefix: 'p',
          stageName: 's',
          ...chatEventResources(app),
          logRetention: LOG_RETENTION,
          apiEndpoint: 'private',
        }),
    ).toThrow('apiEndpoint=private needs a vpc');
  });

  it("answers API Gateway's own errors (throttled, too large, timed out, ...) with OpenIM's JSON: a continue that changes nothing", () => {
    const rendered = renderGatewayResponses(template, 'Rate exceeded');
    expect(rendered.map((response) => response.type).sort()).toEqual(EVERY_GATEWAY_RESPONSE_TYPE);
    for (const { body, contentType } of rendered) {
      expect(contentType).toBe('application/json');
      // OpenIM's Parse(): only actionCode 0 with nextCode 1 stops; no other field changes the operation.
      expect(body).toEqual({ actionCode: 0, errCode: 0, errMsg: '', errDlt: '', nextCode: 0, error: 'Rate exceeded' });
    }
  });
});
