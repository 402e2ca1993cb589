/**
 * The console as the operator stack serves it in AWS, on a loopback port, with the Cognito
 * stand-in as its user pool: `/console/...` is answered by the console function's handler
 * (functions/console-files, its environment as the stack sets it), `/api/review/...` by the review
 * route's handler on dynalite, behind what API Gateway's Cognito authorizer does first
 * (`verifyIdToken`: 401 `{message: "Unauthorized"}` without a valid ID token of the pool, else
 * the token's claims in the request context).
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CONSOLE_ENV } from '../../console/console-files.ts';
import { localContext, requestTarget, toApiGatewayEvent, writeResult } from '../../local/apigw-adapter.ts';
import { startCognitoStandIn, verifyIdToken, type CognitoStandIn, type CognitoUser } from './cognito-stand-in.ts';
import { SERVICE_TABLE_ENVIRONMENT } from '../../local/provision-tables.ts';
import { startEngine, type DynamoEngine } from './dynamodb.ts';

type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

export interface ConsoleBehindCognito {
  readonly url: string;
  readonly consoleUrl: string;
  readonly standIn: CognitoStandIn;
  /** The bearer tokens the API admitted, oldest first. */
  readonly admittedBearers: string[];
  /** From now on the API refuses this token (401), as it would a revoked or expired one. */
  refuse(token: string): void;
  stop(): Promise<void>;
}

export async function startConsoleBehindCognito(users: readonly CognitoUser[]): Promise<ConsoleBehindCognito> {
  let consoleHandler: ProxyHandler | undefined;
  let reviewHandler: ProxyHandler | undefined;
  let standIn: CognitoStandIn | undefined;
  const admittedBearers: string[] = [];
  const refused = new Set<string>();

  const server = createServer((req, res) => {
    const target = requestTarget(req.url);
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    req.on('end', async () => {
      if (req.method === 'GET' && (target.path === '/console' || target.path.startsWith('/console/'))) {
        // As API Gateway matches them: `/console/` is the `/console` resource too.
        const proxy = target.path.slice('/console/'.length);
        const route: { resource: string; pathParameters: Record<string, string> } = proxy ? { resource: '/console/{proxy+}', pathParameters: { proxy } } : { resource: '/console', pathParameters: {} };
        return writeResult(res, await consoleHandler!(toApiGatewayEvent(req, target, body, route), localContext('console-files', 5_000)));
      }
      if (target.path.startsWith('/api/review/')) {
        const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
        const claims = refused.has(token) ? undefined : verifyIdToken(standIn!, token);
        if (!claims) return writeResult(res, { statusCode: 401, headers: { 'content-type': 'application/json' }, body: '{"message":"Unauthorized"}' });
        admittedBearers.push(token);
        const event = toApiGatewayEvent(req, target, body, { resource: '/api/review/{proxy+}', pathParameters: { proxy: target.path.slice('/api/review/'.length) } });
        const admitted = { ...event, requestContext: { ...event.requestContext, authorizer: { claims } } };
        return writeResult(res, await reviewHandler!(admitted, localContext('operator-review', 10_000)));
      }
      writeResult(res, { statusCode: 404, headers: {}, body: '' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const consoleUrl = `${url}/console/`;
  standIn = await startCognitoStandIn({ redirectUris: [consoleUrl], users });
  const dynamo: DynamoEngine = await startEngine('dynalite');

  // The functions' environments, as the operator stack sets them; the handlers read them at import.
  const saved = { ...process.env };
  Object.assign(process.env, {
    [CONSOLE_ENV.domain]: standIn.url,
    [CONSOLE_ENV.clientId]: standIn.clientId,
    [CONSOLE_ENV.redirectUri]: consoleUrl,
    ...SERVICE_TABLE_ENVIRONMENT,
    CHAT_EVENTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:chat-events',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  });
  consoleHandler = ((await import('../../functions/console-files/handler.ts')) as { handler: ProxyHandler }).handler;
  reviewHandler = ((await import('../../functions/operator-review/handler.ts')) as { handler: ProxyHandler }).handler;

  return {
    url,
    consoleUrl,
    standIn,
    admittedBearers,
    refuse: (token) => void refused.add(token),
    async stop() {
      process.env = saved;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await Promise.all([standIn.stop(), dynamo.stop()]);
    },
  };
}
