/**
 * Deployment settings (OpenIM admin API, push providers) reach the functions that list them, from
 * CDK context, with secrets as dynamic references that CloudFormation resolves at deploy time.
 */
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataStack } from '../../infra/stacks/data-stack.ts';
import { MessagingStack } from '../../infra/stacks/messaging-stack.ts';
import { actionsOfRole, allowStatements, actionsOf, appWithoutBundling, AUDIT_SUBSCRIPTION, AUDIT_WORKER, LOG_RETENTION } from './helpers.ts';

const APNS_APP = 'arn:aws:sns:eu-west-1:123456789012:app/APNS/openim';

function build(context: Record<string, string>, withOpenimAdmin = false): Template {
  const app = appWithoutBundling(context);
  const data = new DataStack(app, 'Data');
  const openimAdmin = withOpenimAdmin
    ? {
        vpc: new ec2.Vpc(new Stack(app, 'Network'), 'Vpc'),
        apiUrl: 'http://nlb.internal:10002',
        chatApiUrl: 'http://nlb.internal:10009',
        secretName: 'p/openim/share-secret',
        chatAdminSecretName: 'p/openim/chat-admin',
      }
    : undefined;
  return Template.fromStack(
    new MessagingStack(app, 'Messaging', {
      prefix: 'p',
      openimAdmin,
      tables: data.tables,
      logRetention: LOG_RETENTION,
      subscriptions: [AUDIT_SUBSCRIPTION],
      workers: [
        { ...AUDIT_WORKER, entryName: 'review-worker', settings: ['openimAdmin'] },
        { ...AUDIT_WORKER, entryName: 'push-worker', settings: ['pushProviders'] },
      ],
    }),
  );
}

describe('Function: applyDeploymentSettings()', () => {
  let configured: Template;
  let bare: Template;

  beforeAll(() => {
    configured = build({
      openimApiUrl: 'https://openim.internal:10002',
      openimSecretName: 'openim/share-secret',
      openimChatAdminSecretName: 'openim/chat-admin',
      pushDelivery: 'providers',
      apnsKeyId: 'KEY123',
      apnsPrivateKeySecretName: 'push/apns-key',
      snsApnsApplicationArn: APNS_APP,
    });
    bare = build({});
  });

  it('passes plain settings and secret references to the functions that list their group', () => {
    configured.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'p-review-worker',
      Environment: {
        Variables: Match.objectLike({
          OPENIM_API_URL: 'https://openim.internal:10002',
          OPENIM_SECRET: '{{resolve:secretsmanager:openim/share-secret:SecretString:::}}',
          OPENIM_CHAT_ADMIN_PASSWORD: '{{resolve:secretsmanager:openim/chat-admin:SecretString:password::}}',
        }),
      },
    });
    configured.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'p-push-worker',
      Environment: { Variables: Match.objectLike({ PUSH_DELIVERY: 'providers', APNS_KEY_ID: 'KEY123', APNS_PRIVATE_KEY: Match.stringLikeRegexp('push/apns-key') }) },
    });
  });

  it('keeps each group to its own functions', () => {
    const functions = Object.values(configured.findResources('AWS::Lambda::Function'));
    const push = functions.find((fn) => fn.Properties.FunctionName === 'p-push-worker');
    expect(Object.keys(push?.Properties.Environment.Variables ?? {})).not.toContain('OPENIM_SECRET');
  });

  it('grants SNS mobile push on the configured application only when one is configured', () => {
    expect(actionsOfRole(configured, 'PushWorker')).toEqual(expect.arrayContaining(['sns:CreatePlatformEndpoint', 'sns:Publish']));
    const create = allowStatements(configured).find((statement) => actionsOf(statement).includes('sns:CreatePlatformEndpoint'));
    expect(create?.Resource).toBe(APNS_APP);
    expect(actionsOfRole(bare, 'PushWorker')).not.toContain('sns:CreatePlatformEndpoint');
  });

  it('sets nothing that the context leaves out', () => {
    const functions = Object.values(bare.findResources('AWS::Lambda::Function'));
    const variables = functions.flatMap((fn) => Object.keys(fn.Properties.Environment?.Variables ?? {}));
    expect(variables.filter((name) => name.startsWith('OPENIM_') || name.startsWith('APNS_') || name === 'PUSH_DELIVERY')).toEqual([]);
  });
});

describe('Function: applyDeploymentSettings() with OpenIM deployed by the app', () => {
  it('defaults the OpenIM URLs to the internal load balancer when the context sets none', () => {
    build({}, true).hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'p-review-worker',
      Environment: {
        Variables: Match.objectLike({ OPENIM_API_URL: 'http://nlb.internal:10002', OPENIM_CHAT_API_URL: 'http://nlb.internal:10009' }),
      },
    });
  });

  it('defaults the OpenIM secrets to the deployed OpenIM\'s when the context names none', () => {
    build({}, true).hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'p-review-worker',
      Environment: {
        Variables: Match.objectLike({
          OPENIM_SECRET: '{{resolve:secretsmanager:p/openim/share-secret:SecretString:::}}',
          OPENIM_CHAT_ADMIN_ACCOUNT: '{{resolve:secretsmanager:p/openim/chat-admin:SecretString:account::}}',
          OPENIM_CHAT_ADMIN_PASSWORD: '{{resolve:secretsmanager:p/openim/chat-admin:SecretString:password::}}',
        }),
      },
    });
  });

  it('keeps the context secret when the context names one', () => {
    build({ openimSecretName: 'elsewhere/share' }, true).hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'p-review-worker',
      Environment: { Variables: Match.objectLike({ OPENIM_SECRET: '{{resolve:secretsmanager:elsewhere/share:SecretString:::}}' }) },
    });
  });

  it('keeps the context URL when the context sets one', () => {
    build({ openimApiUrl: 'https://openim.example.com' }, true).hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'p-review-worker',
      Environment: { Variables: Match.objectLike({ OPENIM_API_URL: 'https://openim.example.com' }) },
    });
  });

  it('runs the openimAdmin functions in the VPC\'s private subnets, and the others outside it', () => {
    const template = build({}, true);
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    const review = functions.find((fn) => fn.Properties.FunctionName === 'p-review-worker');
    const push = functions.find((fn) => fn.Properties.FunctionName === 'p-push-worker');
    const subnets = JSON.stringify(review?.Properties.VpcConfig?.SubnetIds);
    expect(subnets).toMatch(/PrivateSubnet1/);
    expect(subnets).not.toMatch(/PublicSubnet/);
    expect(push?.Properties.VpcConfig).toBeUndefined();
  });
});
