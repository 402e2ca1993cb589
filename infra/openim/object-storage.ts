/**
 * Amazon S3 for OpenIM's objects in every mode (`object.enable: aws` in openim-rpc-third.yml):
 * clients upload and download through presigned URLs that OpenIM signs, and S3's are reachable
 * wherever the clients are, where a MinIO in the task would hand out its internal address.
 * OpenIM's aws driver (openimsdk/tools s3/aws) builds a static credentials provider from
 * `accessKeyID` and `secretAccessKey` and never uses the task role, so it needs an access key: a
 * dedicated IAM user limited to this bucket, whose key lives in Secrets Manager and reaches the task
 * as ECS secrets.
 */
import { RemovalPolicy, SecretValue, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { NagSuppressions } from 'cdk-nag';
import type { StoreSettings } from './store-settings.ts';

/**
 * What the driver does with objects: put, get/head, copy (get + put) and delete, multipart uploads,
 * and presigned URLs for clients, which act with these same permissions.
 */
export const OBJECT_ACTIONS = ['s3:PutObject', 's3:GetObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'] as const;

/**
 * On the bucket itself: without it, S3 answers a HEAD of a missing key with 403, which the driver's
 * IsNotFound (404 only) does not take for "not found", and every new upload is refused.
 */
export const BUCKET_ACTIONS = ['s3:ListBucket'] as const;

/** The bucket, its access-log bucket and the IAM user, in `stack` (logical IDs `Objects`, `ObjectUser`, ...). */
export function objectStorage(stack: Stack, props: { readonly prefix: string }): StoreSettings {
  const bucketDefaults = {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    removalPolicy: RemovalPolicy.RETAIN,
  } as const;
  const accessLogs = new s3.Bucket(stack, 'ObjectAccessLogs', bucketDefaults);
  const bucket = new s3.Bucket(stack, 'Objects', { ...bucketDefaults, serverAccessLogsBucket: accessLogs, serverAccessLogsPrefix: 'objects/' });
  const user = new iam.User(stack, 'ObjectUser');
  user.addToPolicy(new iam.PolicyStatement({ actions: [...OBJECT_ACTIONS], resources: [bucket.arnForObjects('*')] }));
  user.addToPolicy(new iam.PolicyStatement({ actions: [...BUCKET_ACTIONS], resources: [bucket.bucketArn] }));
  NagSuppressions.addResourceSuppressions(
    user,
    [
      {
        id: 'AwsSolutions-IAM5',
        reason: 'OpenIM names objects at run time (uploads by clients), so the user gets object actions on every key of its one bucket, and nothing else.',
        appliesTo: [{ regex: '/^Resource::<Objects[0-9A-F]+\\.Arn>\\/\\*$/g' }],
      },
    ],
    true,
  );
  const accessKey = new iam.AccessKey(stack, 'ObjectUserKey', { user });
  const keySecret = new secretsmanager.Secret(stack, 'ObjectUserKeySecret', {
    secretName: `${props.prefix}/openim/s3-access-key`,
    description: 'Access key of the IAM user through which OpenIM reaches its S3 bucket',
    secretObjectValue: {
      accessKeyId: SecretValue.unsafePlainText(accessKey.accessKeyId),
      secretAccessKey: accessKey.secretAccessKey,
    },
  });
  NagSuppressions.addResourceSuppressions(keySecret, [
    {
      id: 'AwsSolutions-SMG4',
      reason: 'The value is an IAM access key that OpenIM reads only at start; rotate by replacing the AccessKey resource and redeploying the service.',
    },
  ]);
  return {
    environment: {
      IMENV_OPENIM_RPC_THIRD_OBJECT_ENABLE: 'aws',
      IMENV_OPENIM_RPC_THIRD_OBJECT_AWS_REGION: stack.region,
      IMENV_OPENIM_RPC_THIRD_OBJECT_AWS_BUCKET: bucket.bucketName,
    },
    secrets: {
      IMENV_OPENIM_RPC_THIRD_OBJECT_AWS_ACCESSKEYID: ecs.Secret.fromSecretsManager(keySecret, 'accessKeyId'),
      IMENV_OPENIM_RPC_THIRD_OBJECT_AWS_SECRETACCESSKEY: ecs.Secret.fromSecretsManager(keySecret, 'secretAccessKey'),
    },
  };
}
