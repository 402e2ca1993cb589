/**
 * The moderators' console in AWS: its static files (the same list the local server serves,
 * console/console-files.ts) in a private S3 bucket, served by the operator API itself under
 * `/console/...` through an S3 integration, so the page and `/api` share one origin and the
 * console needs no CORS. The files hold no data; everything they show comes from `/api`, behind
 * the authorizer, which is why these GET methods are open.
 */
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { readFileSync } from 'node:fs';
import { CONTENT_TYPES, consoleFiles } from '../../console/console-files.ts';

export interface ConsoleAssetsProps {
  readonly api: apigateway.RestApi;
}

export class ConsoleAssets extends Construct {
  public readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: ConsoleAssetsProps) {
    super(scope, id);

    // 1. A private bucket; only API Gateway's role reads it.
    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // The files are rebuilt from the repository on every deploy; retained like every other resource here.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // 2. The files, one deployment per content type (the deployment sets one type for all it copies;
    //    guessing from the extension does not know `.mjs`). No pruning: the deployments share the bucket.
    const byType = new Map<string, s3deploy.ISource[]>();
    for (const [name, path] of Object.entries(consoleFiles())) {
      const type = CONTENT_TYPES[name.slice(name.lastIndexOf('.'))] ?? 'application/octet-stream';
      byType.set(type, [...(byType.get(type) ?? []), s3deploy.Source.data(name, readFileSync(path, 'utf8'))]);
    }
    [...byType.entries()].forEach(([contentType, sources], index) => {
      new s3deploy.BucketDeployment(this, `Deploy${index}`, { destinationBucket: this.bucket, sources, contentType, prune: false });
    });

    // 3. GET /console and /console/{proxy+} -> s3:GetObject, with the object's content type.
    const role = new iam.Role(this, 'ReadRole', { assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com') });
    this.bucket.grantRead(role);
    const integration = (key: string, requestParameters?: Record<string, string>) =>
      new apigateway.AwsIntegration({
        service: 's3',
        integrationHttpMethod: 'GET',
        path: `${this.bucket.bucketName}/${key}`,
        options: {
          credentialsRole: role,
          ...(requestParameters ? { requestParameters } : {}),
          integrationResponses: [
            { statusCode: '200', responseParameters: { 'method.response.header.Content-Type': 'integration.response.header.Content-Type' } },
            { statusCode: '404', selectionPattern: '4\\d{2}', responseTemplates: { 'application/json': '{"error":"not found"}' } },
          ],
        },
      });
    const methodResponses = [{ statusCode: '200', responseParameters: { 'method.response.header.Content-Type': true } }, { statusCode: '404' }];
    const root = props.api.root.addResource('console');
    root.addMethod('GET', integration('index.html'), { methodResponses });
    root
      .addResource('{proxy+}')
      .addMethod('GET', integration('{proxy}', { 'integration.request.path.proxy': 'method.request.path.proxy' }), {
        requestParameters: { 'method.request.path.proxy': true },
        methodResponses,
      });

    NagSuppressions.addResourceSuppressions(
      this.bucket,
      [{ id: 'AwsSolutions-S1', reason: 'The bucket holds the console\'s public-by-design static files only; API Gateway access logs record every request for them.' }],
      true,
    );
    NagSuppressions.addResourceSuppressions(
      root,
      [
        { id: 'AwsSolutions-APIG4', reason: 'Static console files carry no data; every data request goes to /api behind the authorizer.' },
        { id: 'AwsSolutions-COG4', reason: 'Static console files carry no data; every data request goes to /api behind the Cognito authorizer.' },
      ],
      true,
    );
    NagSuppressions.addResourceSuppressions(role, [{ id: 'AwsSolutions-IAM5', reason: 'grantRead covers the objects of this one bucket (`<bucket>/*`).' }], true);
    // BucketDeployment's provider function is a CDK singleton at stack level.
    const providers = Stack.of(this).node.children.filter((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
    for (const provider of providers) {
      NagSuppressions.addResourceSuppressions(
        provider,
        [
          { id: 'AwsSolutions-IAM4', reason: 'The CDK BucketDeployment provider uses AWSLambdaBasicExecutionRole, which only allows writing its logs.' },
          { id: 'AwsSolutions-IAM5', reason: 'The CDK BucketDeployment provider reads its staged assets and writes this bucket\'s objects (`<bucket>/*`).' },
          { id: 'AwsSolutions-L1', reason: 'The CDK BucketDeployment provider\'s runtime is chosen by aws-cdk-lib.' },
        ],
        true,
      );
    }
  }
}
