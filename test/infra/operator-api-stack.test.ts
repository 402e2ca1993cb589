import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataStack } from '../../infra/stacks/data-stack.ts';
import { OperatorApiStack } from '../../infra/stacks/operator-api-stack.ts';
import { Problem, PROBLEM_CONTENT_TYPE } from '#shared/api/problem.ts';
import { EVERY_GATEWAY_RESPONSE_TYPE, renderGatewayResponses } from './gateway-responses.ts';
import { actionsOfRole, appWithoutBundling, LOG_RETENTION, topicStack } from './helpers.ts';

function build(auth: 'cognito' | 'iam'): Template {
  const app = appWithoutBundling();
  const data = new DataStack(app, 'Data');
  return Template.fromStack(
    new OperatorApiStack(app, 'Operator', {
      prefix: 'openim-hooks-test',
      stageName: 'test',
      auth,
      tables: data.tables,
      chatEventsTopic: topicStack(app),
      logRetention: LOG_RETENTION,
      routes: [
        { pathPart: 'audit', entryName: 'after-callback', tables: [{ table: 'audit', access: 'read' }] },
        { pathPart: 'moderation', entryName: 'before-callback', memorySize: 1_769, timeoutSeconds: 29 },
      ],
    }),
  );
}

describe('Stack: OperatorApiStack', () => {
  let cognito: Template;
  let iam: Template;

  beforeAll(() => {
    cognito = build('cognito');
    iam = build('iam');
  });

  it('creates an invite-only user pool with required MFA and a moderators group', () => {
    cognito.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
    });
    cognito.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'moderators' });
  });

  /** Every method but the console's static files, which hold no data (GET /console, /console/{proxy+}). */
  const authorizationTypes = (template: Template) =>
    Object.entries(template.findResources('AWS::ApiGateway::Method'))
      .filter(([logicalId]) => !logicalId.includes('console'))
      .map(([, method]) => method.Properties.AuthorizationType as string);

  it('protects every method with the Cognito authorizer when auth is cognito', () => {
    expect(new Set(authorizationTypes(cognito))).toEqual(new Set(['COGNITO_USER_POOLS']));
  });

  it('serves only the console\'s static files without authorization, from S3', () => {
    const open = Object.entries(cognito.findResources('AWS::ApiGateway::Method')).filter(([, m]) => m.Properties.AuthorizationType === 'NONE');
    expect(open.map(([logicalId]) => logicalId)).toEqual([expect.stringContaining('console'), expect.stringContaining('console')]);
    for (const [, method] of open) expect(method.Properties).toMatchObject({ HttpMethod: 'GET', Integration: { Type: 'AWS' } });
  });

  it('protects every method with IAM and exports an invoke policy when auth is iam', () => {
    expect(new Set(authorizationTypes(iam))).toEqual(new Set(['AWS_IAM']));
    iam.resourceCountIs('AWS::Cognito::UserPool', 0);
    iam.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'execute-api:Invoke' })] },
    });
  });

  it('answers GET /api/health with a mock integration', () => {
    cognito.hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'GET', Integration: Match.objectLike({ Type: 'MOCK' }) });
  });

  it('gives a route group ANY on its path and its proxy, integrated with its Lambda', () => {
    const parts = Object.values(cognito.findResources('AWS::ApiGateway::Resource')).map((r) => r.Properties.PathPart);
    expect(parts).toEqual(expect.arrayContaining(['api', 'health', 'audit', '{proxy+}']));
    const anyMethods = Object.values(cognito.findResources('AWS::ApiGateway::Method')).filter((m) => m.Properties.HttpMethod === 'ANY');
    expect(anyMethods).toHaveLength(4);
  });

  it('sizes a route group as it asks (a policy PUT compiles 100,000 terms), and others at the default', () => {
    const fns = Object.values(cognito.findResources('AWS::Lambda::Function')).map((f) => f.Properties);
    expect(fns).toContainEqual(expect.objectContaining({ FunctionName: 'openim-hooks-test-before-callback', MemorySize: 1_769, Timeout: 29 }));
    expect(fns).toContainEqual(expect.objectContaining({ FunctionName: 'openim-hooks-test-after-callback', MemorySize: 256, Timeout: 10 }));
  });

  it('lets a route group read but not write its table', () => {
    const actions = actionsOfRole(cognito, 'AfterCallbackRouteServiceRole');
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
    expect(actions).not.toEqual(expect.arrayContaining(['dynamodb:PutItem']));
  });

  it("answers API Gateway's own errors (no token, throttled, too large, ...) as RFC 9457 problems with the status sent", () => {
    for (const template of [cognito, iam]) {
      const rendered = renderGatewayResponses(template, 'Unauthorized');
      expect(rendered.map((response) => response.type).sort()).toEqual(EVERY_GATEWAY_RESPONSE_TYPE);
      for (const { body, status, contentType } of rendered) {
        expect(contentType).toBe(PROBLEM_CONTENT_TYPE);
        expect(Problem.parse(body)).toMatchObject({ type: 'about:blank', status, detail: 'Unauthorized' });
      }
    }
  });
});
