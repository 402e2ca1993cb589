/**
 * The moderators' and operators' REST API under `/api`, authenticated by a Cognito user pool
 * (its groups `admins`, `moderators`, `triage` give the roles; handlers check the `cognito:groups`
 * claim, shared/api/moderator-access.ts) or by IAM
 * (SigV4; attach the exported invoke policy to operators' roles). Route groups come from
 * OPERATOR_ROUTES; `GET /api/health` answers without a Lambda. With Cognito, the moderators'
 * console is served under `/console/` and signs in through the pool's hosted UI.
 */
import { applyDeploymentSettings, deploymentPlacement, type OpenimAdminEndpoint } from '../config/deployment-settings.ts';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { COGNITO_GROUP_ROLES, ROLE_RIGHTS } from '#shared/api/moderator-access.ts';
import type { TableKey } from '#shared/store/table-definitions.ts';
import type { OperatorAuth } from '../config/stage-config.ts';
import { CallbackFunction } from '../constructs/callback-function.ts';
import { answerGatewayErrorsAsProblems } from '../constructs/gateway-error-bodies.ts';
import { ConsoleAssets, type ConsoleSignIn } from '../constructs/console-assets.ts';
import type { DefinedTable } from '../constructs/defined-table.ts';
import { OPERATOR_ROUTES, type OperatorRouteGroup } from '../operator-routes.ts';
import { CHAT_EVENTS_TOPIC_ENV, pascal } from './messaging-stack.ts';

export const MODERATORS_GROUP = 'moderators';

export interface OperatorApiStackProps extends StackProps {
  readonly prefix: string;
  readonly stageName: string;
  /** @default 'cognito' */
  readonly auth?: OperatorAuth;
  readonly tables: Readonly<Partial<Record<TableKey, DefinedTable>>>;
  readonly chatEventsTopic: sns.ITopic;
  readonly logRetention: logs.RetentionDays;
  /** @default OPERATOR_ROUTES */
  readonly routes?: readonly OperatorRouteGroup[];
  /** OpenIM deployed by this app: `openimAdmin` route groups run in its VPC. @default undefined */
  readonly openimAdmin?: OpenimAdminEndpoint | undefined;
}

export class OperatorApiStack extends Stack {
  public readonly api: apigateway.RestApi;
  public readonly apiRoot: apigateway.Resource;
  public readonly userPool: cognito.UserPool | undefined;
  /** With IAM auth: the managed policy that allows invoking this API. */
  public readonly invokePolicy: iam.ManagedPolicy | undefined;
  public readonly routeFunctions: readonly CallbackFunction[];
  /** With Cognito auth: how the console signs in (hosted UI domain, app client, its own URL). */
  public readonly consoleSignIn: ConsoleSignIn | undefined;
  private readonly methodOptions: apigateway.MethodOptions;

  constructor(scope: Construct, id: string, props: OperatorApiStackProps) {
    super(scope, id, props);
    const auth = props.auth ?? 'cognito';

    // 1. The API, with access logs and tracing.
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: props.logRetention });
    this.api = new apigateway.RestApi(this, 'OperatorApi', {
      restApiName: `${props.prefix}-operator`,
      description: 'Operators and moderators: presence, moderation queue and decisions, audit',
      endpointConfiguration: { types: [apigateway.EndpointType.REGIONAL] },
      cloudWatchRole: true,
      deployOptions: {
        stageName: props.stageName,
        tracingEnabled: true,
        metricsEnabled: true,
        loggingLevel: apigateway.MethodLoggingLevel.ERROR,
        accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
      },
    });
    answerGatewayErrorsAsProblems(this.api);
    // Route groups validate their bodies in their handlers (zod); models can be added per method.
    const validator = this.api.addRequestValidator('RequestValidator', {
      validateRequestParameters: true,
      validateRequestBody: true,
    });

    // 2. The authorizer: Cognito (moderators group) or IAM.
    if (auth === 'cognito') {
      this.userPool = this.moderatorsUserPool(props.prefix);
      this.consoleSignIn = this.consoleSignInOf(this.userPool, props.prefix, props.stageName);
      const authorizer = new apigateway.CognitoUserPoolsAuthorizer(this, 'ModeratorsAuthorizer', {
        cognitoUserPools: [this.userPool],
      });
      this.methodOptions = { authorizer, authorizationType: apigateway.AuthorizationType.COGNITO, requestValidator: validator };
    } else {
      this.methodOptions = { authorizationType: apigateway.AuthorizationType.IAM, requestValidator: validator };
      this.invokePolicy = new iam.ManagedPolicy(this, 'InvokePolicy', {
        description: `Invoke the ${props.prefix} operator API`,
        statements: [
          new iam.PolicyStatement({
            actions: ['execute-api:Invoke'],
            resources: [this.api.arnForExecuteApi('*', '/*', props.stageName)],
          }),
        ],
      });
      // Stack-wide, so that it covers route groups added after construction too.
      NagSuppressions.addStackSuppressions(this, [
        {
          id: 'AwsSolutions-COG4',
          reason: 'operatorAuth=iam was chosen: every method requires SigV4-signed requests from principals holding InvokePolicy, instead of Cognito tokens.',
        },
      ]);
      NagSuppressions.addResourceSuppressions(this.invokePolicy, [
        {
          id: 'AwsSolutions-IAM5',
          reason: 'The policy grants invoking every route of this one API and stage; routes are added over time and all are operator routes.',
        },
      ]);
      new CfnOutput(this, 'InvokePolicyArn', { value: this.invokePolicy.managedPolicyArn });
    }

    // 3. /api/health: a mock integration, so the API is valid and checkable before any route group.
    this.apiRoot = this.api.root.addResource('api');
    this.apiRoot.addResource('health').addMethod(
      'GET',
      new apigateway.MockIntegration({
        requestTemplates: { 'application/json': '{"statusCode": 200}' },
        integrationResponses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"status":"ok"}' } }],
      }),
      { ...this.methodOptions, methodResponses: [{ statusCode: '200' }] },
    );

    // 4. One Lambda per route group.
    this.routeFunctions = (props.routes ?? OPERATOR_ROUTES).map((group) => this.addRouteGroup(group, props));

    // 5. The moderators' console under /console, same origin as /api. A browser cannot sign
    //    SigV4 requests, so with operatorAuth=iam there is no console.
    if (this.consoleSignIn) {
      new ConsoleAssets(this, 'Console', { api: this.api, signIn: this.consoleSignIn, prefix: props.prefix, logRetention: props.logRetention });
      new CfnOutput(this, 'ConsoleUrl', { value: this.consoleSignIn.consoleUrl });
    }

    new CfnOutput(this, 'OperatorApiUrl', { value: `${this.api.url}api/` });
    this.suppressFindings();
  }

  /** Adds `ANY /api/<pathPart>` and `ANY /api/<pathPart>/{proxy+}` behind the authorizer. */
  addRouteGroup(group: OperatorRouteGroup, props: OperatorApiStackProps): CallbackFunction {
    const placement = deploymentPlacement(group.settings ?? [], props.openimAdmin);
    const fn = new CallbackFunction(this, `${pascal(group.entryName)}Route`, {
      entryName: group.entryName,
      functionName: `${props.prefix}-${group.entryName}`,
      serviceName: props.prefix,
      timeout: Duration.seconds(group.timeoutSeconds ?? 10),
      ...(group.memorySize ? { memorySize: group.memorySize } : {}),
      logRetention: props.logRetention,
      environment: group.environment ?? {},
      vpc: placement.vpc,
    });
    for (const binding of group.tables ?? []) {
      const table = props.tables[binding.table];
      if (!table) throw new Error(`operator route ${group.pathPart}: the data stack holds no table ${binding.table}`);
      fn.bindTable({ table, access: binding.access });
    }
    if (group.publishesChatEvents) fn.bindTopic({ topic: props.chatEventsTopic, envVar: CHAT_EVENTS_TOPIC_ENV });
    applyDeploymentSettings(fn, group.settings ?? [], placement.defaults);
    const integration = new apigateway.LambdaIntegration(fn);
    const resource = this.apiRoot.addResource(group.pathPart);
    resource.addMethod('ANY', integration, this.methodOptions);
    resource.addResource('{proxy+}').addMethod('ANY', integration, this.methodOptions);
    return fn;
  }

  private moderatorsUserPool(prefix: string): cognito.UserPool {
    const userPool = new cognito.UserPool(this, 'ModeratorsPool', {
      userPoolName: `${prefix}-moderators`,
      // Moderators are invited by an administrator, never self-registered.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // One group per role; a user's highest group wins.
    for (const [groupName, role] of Object.entries(COGNITO_GROUP_ROLES)) {
      new cognito.CfnUserPoolGroup(this, groupName === MODERATORS_GROUP ? 'ModeratorsGroup' : `${pascal(groupName)}Group`, {
        userPoolId: userPool.userPoolId,
        groupName,
        description: `Role ${role}: ${ROLE_RIGHTS[role]}`,
      });
    }
    new CfnOutput(this, 'UserPoolId', { value: userPool.userPoolId });
    NagSuppressions.addResourceSuppressions(userPool, [
      {
        id: 'AwsSolutions-COG3',
        reason: 'Threat protection (advanced security) needs the Cognito Plus plan; the pool is invite-only with MFA required, which covers the moderators\' accounts.',
      },
      {
        id: 'AwsSolutions-COG8',
        reason: 'The Plus plan is priced per user for threat protection; an invite-only pool of a few moderators with required TOTP MFA and a strong password policy does not need it. Switch featurePlan to PLUS if the pool grows.',
      },
    ]);
    return userPool;
  }

  /**
   * The console's sign-in: the pool's hosted UI on a Cognito domain and a public app client
   * (no secret: the console is a page) allowed only the authorization code grant, which the
   * console redeems with PKCE, and only the console's own URL as callback and sign-out URL.
   * The console sends the ID token, the one API Gateway's Cognito authorizer takes without
   * method scopes, carrying the `cognito:groups` and `email` claims the handlers read.
   */
  private consoleSignInOf(userPool: cognito.UserPool, prefix: string, stageName: string): ConsoleSignIn {
    // Built from the API's ID and the stage's name, not `api.url`: that refers to the stage, which
    // depends on every method, and the console's method depends on this client (a cycle).
    const consoleUrl = `https://${this.api.restApiId}.execute-api.${this.region}.${this.urlSuffix}/${stageName}/console/`;
    const client = userPool.addClient('ConsoleClient', {
      generateSecret: false,
      preventUserExistenceErrors: true,
      // The hosted UI signs in by itself; SRP stays for tools that sign in with the SDK.
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [consoleUrl],
        logoutUrls: [consoleUrl],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      // An hour per ID token, refreshed by the console; a refresh token lasts a working day.
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      enableTokenRevocation: true,
    });
    // Domain prefixes are unique per region across all accounts: the account ID keeps stages of
    // different accounts apart (the classic hosted UI needs no branding resource).
    const domain = userPool.addDomain('ConsoleDomain', {
      cognitoDomain: { domainPrefix: `${prefix}-${this.account}` },
      managedLoginVersion: cognito.ManagedLoginVersion.CLASSIC_HOSTED_UI,
    });
    new CfnOutput(this, 'UserPoolClientId', { value: client.userPoolClientId });
    new CfnOutput(this, 'ConsoleSignInDomain', { value: domain.baseUrl() });
    return { domain: domain.baseUrl(), clientId: client.userPoolClientId, consoleUrl };
  }

  private suppressFindings(): void {
    NagSuppressions.addResourceSuppressions(
      this,
      [
        {
          id: 'AwsSolutions-IAM4',
          reason: 'AmazonAPIGatewayPushToCloudWatchLogs is the policy API Gateway\'s account-level logging role needs for access logs.',
          appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs'],
        },
        {
          id: 'AwsSolutions-APIG3',
          reason: 'Every route requires Cognito or IAM authentication; a WAF web ACL can be associated per deployment where the API is exposed beyond operators.',
        },
      ],
      true,
    );
  }
}
