/**
 * The moderators' console in AWS, served by the operator API itself under `/console/...`, so the
 * page and `/api` share one origin and the console needs no CORS. A small function answers
 * (functions/console-files/handler.ts): the files, copied into its bundle, and `config.json`, which
 * tells the page to sign in through Cognito's hosted UI. The files hold no data; everything they
 * show comes from `/api`, behind the authorizer, which is why these GET methods are open.
 *
 * Why a function and not an S3 integration: the console must carry a CSP (with a hash for the
 * import map, and the Cognito domain in connect-src), frame-ancestors, nosniff and a referrer
 * policy. An integration's static header values are written in single quotes, which the CSP's own
 * `'self'` and `'sha256-…'` cannot be put inside, and a mapping template's
 * `$context.responseOverride.header` could not be tested here. The function sends the headers the
 * local server sends, from the same code (console/console-files.ts `consoleSite`), and its
 * bundle is run by the artifact tests. Cost: a Lambda invocation per file on a page load (13
 * small files, `Cache-Control: no-cache` revalidated), negligible for a team of moderators.
 */
import { Duration } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { CONSOLE_BUNDLE_DIR, CONSOLE_ENV, consoleFiles } from '../../console/console-files.ts';
import { CallbackFunction } from './callback-function.ts';

export interface ConsoleSignIn {
  /** The hosted UI's base URL (`UserPoolDomain.baseUrl()`). */
  readonly domain: string;
  /** The app client the console signs in with (public, authorization code with PKCE). */
  readonly clientId: string;
  /** The console's URL, registered as that client's callback and sign-out URL. */
  readonly consoleUrl: string;
}

export interface ConsoleAssetsProps {
  readonly api: apigateway.RestApi;
  readonly signIn: ConsoleSignIn;
  /** Prefix of the function's physical name (`<prefix>-console-files`). */
  readonly prefix: string;
  readonly logRetention: logs.RetentionDays;
}

export class ConsoleAssets extends Construct {
  public readonly lambdaFunction: CallbackFunction;

  constructor(scope: Construct, id: string, props: ConsoleAssetsProps) {
    super(scope, id);

    // 1. The function, with the console's files copied beside its bundle (CONSOLE_BUNDLE_DIR).
    this.lambdaFunction = new CallbackFunction(this, 'Files', {
      entryName: 'console-files',
      functionName: `${props.prefix}-console-files`,
      serviceName: props.prefix,
      timeout: Duration.seconds(5),
      logRetention: props.logRetention,
      environment: {
        [CONSOLE_ENV.domain]: props.signIn.domain,
        [CONSOLE_ENV.clientId]: props.signIn.clientId,
        [CONSOLE_ENV.redirectUri]: props.signIn.consoleUrl,
      },
      commandHooks: {
        beforeBundling: () => [],
        beforeInstall: () => [],
        afterBundling: (_inputDir, outputDir) => copyCommands(consoleFiles(), join(outputDir, CONSOLE_BUNDLE_DIR)),
      },
    });

    // 2. GET /console (a redirect to /console/) and GET /console/{proxy+}, no authorizer.
    const integration = new apigateway.LambdaIntegration(this.lambdaFunction);
    const root = props.api.root.addResource('console');
    root.addMethod('GET', integration);
    root.addResource('{proxy+}').addMethod('GET', integration);

    NagSuppressions.addResourceSuppressions(
      root,
      [
        { id: 'AwsSolutions-APIG4', reason: 'Static console files carry no data; every data request goes to /api behind the authorizer.' },
        { id: 'AwsSolutions-COG4', reason: 'Static console files carry no data; every data request goes to /api behind the Cognito authorizer.' },
      ],
      true,
    );
  }
}

/** Shell commands copying each file to `<dir>/<name>` (names may hold one folder, `vendor/`). */
function copyCommands(files: Readonly<Record<string, string>>, dir: string): string[] {
  const quote = (path: string) => `'${path.replaceAll("'", "'\\''")}'`;
  const folders = [...new Set(Object.keys(files).map((name) => join(dir, name, '..')))];
  return [`mkdir -p ${folders.map(quote).join(' ')}`, ...Object.entries(files).map(([name, path]) => `cp ${quote(path)} ${quote(join(dir, name))}`)];
}
