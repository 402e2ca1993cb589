/**
 * OpenIM's credentials, generated in Secrets Manager: none of OpenIM's or chat's shipped defaults
 * (share.secret `openIM123`, chat's `chat123` token secret and `666666` super code, the `chatAdmin`
 * account) stays in force. They reach containers as ECS secrets and Lambdas as dynamic references.
 */
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';

/** Letters and digits only: the values go into connection strings, shell commands and Redis AUTH. */
const ALPHANUMERIC = { excludePunctuation: true, includeSpace: false, passwordLength: 32 } as const;

const ROTATION_REASON =
  'OpenIM and chat read it only at start, together with the dependency or Lambda that shares it; rotation restarts them all, so it is done by redeploying.';

/** A generated 32-character alphanumeric secret named `secretName`. */
export function generatedSecret(scope: Construct, id: string, secretName: string, description: string): secretsmanager.Secret {
  const secret = new secretsmanager.Secret(scope, id, { secretName, description, generateSecretString: ALPHANUMERIC });
  NagSuppressions.addResourceSuppressions(secret, [{ id: 'AwsSolutions-SMG4', reason: ROTATION_REASON }]);
  return secret;
}

/**
 * What OpenIM shares with the review Lambdas: the share secret (admin tokens of OpenIM's API) and
 * chat's admin account. Created before the Lambdas' stacks, which resolve them by name at deploy
 * time (a stack reference the other way would be a cycle through the callbacks API).
 *
 * Chat has no password setting: it creates each `share.chatAdmin` account with the password
 * MD5(account) (chat internal/rpc/admin/start.go initAdmin @v1.8.4-patch.5), and its console and
 * our Lambdas send MD5(password) at login. So the account name is generated and is the credential:
 * `chat-admin` holds it as both `account` and `password`, the JSON the Lambdas read.
 */
export class OpenimAdminSecrets extends Construct {
  public readonly share: secretsmanager.Secret;
  public readonly chatAdminAccount: secretsmanager.Secret;
  public readonly chatAdmin: secretsmanager.Secret;
  /** Names for `openimSecretName` and `openimChatAdminSecretName` (infra/config/deployment-settings.ts). */
  public readonly shareSecretName: string;
  public readonly chatAdminSecretName: string;

  constructor(scope: Construct, id: string, props: { readonly prefix: string }) {
    super(scope, id);
    this.shareSecretName = `${props.prefix}/openim/share-secret`;
    this.chatAdminSecretName = `${props.prefix}/openim/chat-admin`;
    this.share = generatedSecret(this, 'Share', this.shareSecretName, 'OpenIM share.secret: admin tokens of its API; also chat\'s openIM.secret');
    this.chatAdminAccount = generatedSecret(this, 'ChatAdminAccount', `${props.prefix}/openim/chat-admin-account`, 'OpenIM chat share.chatAdmin: the admin account, whose password chat derives from it');
    const account = this.chatAdminAccount.secretValue;
    this.chatAdmin = new secretsmanager.Secret(this, 'ChatAdmin', {
      secretName: this.chatAdminSecretName,
      description: 'OpenIM chat admin login for the review Lambdas: {account, password}, both the generated account',
      secretObjectValue: { account, password: account },
    });
    NagSuppressions.addResourceSuppressions(this.chatAdmin, [{ id: 'AwsSolutions-SMG4', reason: ROTATION_REASON }]);
  }
}
