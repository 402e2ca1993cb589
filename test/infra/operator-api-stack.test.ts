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

  it('serves only the console without authorization, through its own function', () => {
    const open = Object.entries(cognito.findResources('AWS::ApiGateway::Method')).filter(([, m]) => m.Properties.AuthorizationType === 'NONE');
    expect(open.map(([logicalId]) => logicalId)).toEqual([expect.stringContaining('console'), expect.stringContaining('console')]);
    const consoleFunction = Object.keys(cognito.findResources('AWS::Lambda::Function', { Properties: { FunctionName: 'openim-hooks-test-console-files' } }));
    expect(consoleFunction).toHaveLength(1);
    for (const [, method] of open) {
      expect(method.Properties).toMatchObject({ HttpMethod: 'GET', Integration: { Type: 'AWS_PROXY' } });
      expect(JSON.stringify(method.Properties.Integration.Uri)).toContain(consoleFunction[0]);
    }
    // No bucket or deployment is left from serving the files through S3.
    cognito.resourceCountIs('AWS::S3::Bucket', 0);
    cognito.resourceCountIs('Custom::CDKBucketDeployment', 0);
  });

  it('lets the console sign in through a hosted-UI domain with the authorization code grant only, back to the console URL', () => {
    const consoleUrl = { 'Fn::Join': ['', ['https://', { Ref: Match.stringLikeRegexp('^OperatorApi') }, '.execute-api.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/test/console/']] };
    cognito.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      CallbackURLs: [consoleUrl],
      LogoutURLs: [consoleUrl],
      SupportedIdentityProviders: ['COGNITO'],
    });
    cognito.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: { 'Fn::Join': ['', ['openim-hooks-test-', { Ref: 'AWS::AccountId' }]] },
      ManagedLoginVersion: 1,
    });
    expect(Object.keys(cognito.findOutputs('*'))).toEqual(expect.arrayContaining(['ConsoleSignInDomain', 'ConsoleUrl', 'UserPoolClientId']));
  });

  it('tells the console function the hosted UI domain, the client and the console URL it signs in with', () => {
    const [consoleFunction] = Object.values(cognito.findResources('AWS::Lambda::Function', { Properties: { FunctionName: 'openim-hooks-test-console-files' } }));
    const variables = consoleFunction!.Properties.Environment.Variables;
    expect(JSON.stringify(variables.CONSOLE_COGNITO_DOMAIN)).toMatch(/\.auth\..*amazoncognito\.com/);
    expect(variables.CONSOLE_COGNITO_CLIENT_ID).toEqual({ Ref: expect.stringMatching(/^ModeratorsPoolConsoleClient/) });
    expect(JSON.stringify(variables.CONSOLE_URL)).toContain('/console/');
  });

  it('has no console with IAM auth, which a browser cannot sign', () => {
    iam.resourceCountIs('AWS::Cognito::UserPoolDomain', 0);
    expect(Object.values(iam.findResources('AWS::ApiGateway::Resource')).map((r) => r.Properties.PathPart)).not.toContain('console');
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
