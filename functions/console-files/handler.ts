/**
 * `GET /console` and `GET /console/{proxy+}` on the operator API: the moderators' console, its
 * files and `config.json` (sign in through Cognito's hosted UI), with the same security headers
 * the local server sends (console/console-files.ts). Event: API Gateway REST proxy, no
 * authorizer: the files hold no data. A function rather than an S3 integration because API
 * Gateway's static header values cannot carry the CSP's own quotes (infra/constructs/console-assets.ts).
 */
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { join } from 'node:path';
import { apiErrors } from '#shared/api/api-errors.ts';
import { CONSOLE_BUNDLE_DIR, cognitoConsoleConfig, consoleFiles, consoleFilesIn, consoleSite } from '../../console/console-files.ts';

// In Lambda the files are copies bundled beside the handler; run from the repository, its own.
const taskRoot = process.env.LAMBDA_TASK_ROOT;
const site = consoleSite({
  files: taskRoot ? consoleFilesIn(join(taskRoot, CONSOLE_BUNDLE_DIR)) : consoleFiles(),
  config: cognitoConsoleConfig(process.env),
});

async function serveConsole(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  // API Gateway matches `/console/` to the `/console` resource too: only the path's trailing
  // slash tells the page (relative links resolve under it) from the bare name to redirect.
  if (event.resource === '/console') return site.respond(event.path.endsWith('/') ? '' : undefined);
  return site.respond(event.pathParameters?.proxy ?? '');
}

export const handler = middy(serveConsole, { timeoutEarlyInMillis: 0 })
  // Anything unexpected becomes a generic 500 problem, as on the rest of the API.
  .use(apiErrors());
