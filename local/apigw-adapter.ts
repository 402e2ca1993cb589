/**
 * Adapts a Node HTTP request to the API Gateway REST proxy event the Lambda handlers receive in
 * AWS, and their result back to HTTP, so that the local server runs the handlers unchanged.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

export interface RouteMatch {
  readonly resource: string;
  readonly pathParameters: Record<string, string>;
  /** What API Gateway's authorizer would put in the request context. */
  readonly authorizer?: Record<string, string>;
}

/** A request's target split into its path and query string (without the `?`). */
export interface RequestTarget {
  readonly path: string;
  readonly query: string;
}

/** Characters a path or query can hold as they are; anything else goes through URL's normalisation. */
const PLAIN_PATH = /^\/[\w\-~!$&'()*+,;=:@%/]*$/;
const PLAIN_QUERY = /^[\w\-~!$&'()*+,;=:@%/?]*$/;
/** What URL would change in a path of plain characters: dot segments (also percent-encoded), or `//` that it reads as a host. */
const NEEDS_URL = /\/\.|%2e|^\/\//i;

/**
 * Splits `req.url` as `new URL()` would, running the WHATWG parser only for a target it would
 * change (dot segments, characters it percent-encodes, a fragment, an absolute-form target).
 */
export function requestTarget(rawUrl = '/'): RequestTarget {
  const at = rawUrl.indexOf('?');
  const path = at === -1 ? rawUrl : rawUrl.slice(0, at);
  const query = at === -1 ? '' : rawUrl.slice(at + 1);
  if (PLAIN_PATH.test(path) && !NEEDS_URL.test(path) && PLAIN_QUERY.test(query)) return { path, query };
  const url = new URL(rawUrl, 'http://localhost');
  return { path: url.pathname, query: url.search.slice(1) };
}

/** The target's query parameters, as URL's `searchParams` has them. */
export function queryParameters(target: RequestTarget): URLSearchParams {
  // URLSearchParams drops one leading `?`: this one, and never the first character of the query.
  return new URLSearchParams(`?${target.query}`);
}

/** The event API Gateway's REST proxy integration would send. */
export function toApiGatewayEvent(req: IncomingMessage, target: RequestTarget, body: string, route: RouteMatch): APIGatewayProxyEvent {
  const parsedQuery = target.query === '' ? undefined : queryParameters(target);
  const query = parsedQuery && parsedQuery.size > 0 ? parsedQuery : undefined;
  const method = req.method ?? 'GET';
  return {
    resource: route.resource,
    path: target.path,
    httpMethod: method,
    headers: singleValueHeaders(req.headers),
    multiValueHeaders: multiValueHeadersOf(req.headers),
    queryStringParameters: query ? Object.fromEntries(query) : null,
    multiValueQueryStringParameters: query ? multiValueQueryOf(query) : null,
    pathParameters: route.pathParameters,
    stageVariables: null,
    body,
    isBase64Encoded: false,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      authorizer: route.authorizer ?? null,
      protocol: `HTTP/${req.httpVersion}`,
      httpMethod: method,
      identity: localIdentity(req.socket.remoteAddress ?? ''),
      path: target.path,
      stage: 'local',
      requestId: randomUUID(),
      requestTimeEpoch: Date.now(),
      resourceId: 'local',
      resourcePath: route.resource,
    },
  };
}

/** Node already joins repeated headers, except set-cookie, which it keeps as a list. */
function singleValueHeaders(incoming: IncomingHttpHeaders): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name in incoming) {
    const value = incoming[name];
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return headers;
}

function multiValueHeadersOf(incoming: IncomingHttpHeaders): Record<string, string[]> {
  const headers: Record<string, string[]> = {};
  for (const name in incoming) {
    const value = incoming[name];
    if (value !== undefined) headers[name] = Array.isArray(value) ? value : [value];
  }
  return headers;
}

function multiValueQueryOf(query: URLSearchParams): Record<string, string[]> {
  const multi: Record<string, string[]> = {};
  for (const name of query.keys()) multi[name] = query.getAll(name);
  return multi;
}

export function writeResult(res: ServerResponse, result: APIGatewayProxyResult): void {
  const body = result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body;
  res.statusCode = result.statusCode;
  for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, String(value));
  // Headers set this way and the body given to end(): Node adds Content-Length and sends head
  // and body in one write, where writeHead() would have made it a chunked stream of four writes.
  res.end(body);
}

/**
 * A Lambda context for one local invocation; the deadline mirrors the function timeout in AWS.
 * A class, so that an invocation builds no closures (under tsx each closure made also has its name
 * set: ~1% of the event loop's time at 15,000 callbacks/s).
 */
class LocalContext implements Context {
  readonly callbackWaitsForEmptyEventLoop = false;
  readonly functionVersion = '$LATEST';
  readonly invokedFunctionArn: string;
  readonly memoryLimitInMB = '256';
  readonly logGroupName: string;
  readonly logStreamName = 'local';
  private readonly deadline: number;

  constructor(
    readonly functionName: string,
    timeoutMs: number,
    readonly awsRequestId: string,
  ) {
    this.deadline = Date.now() + timeoutMs;
    this.invokedFunctionArn = `arn:aws:lambda:local:000000000000:function:${functionName}`;
    this.logGroupName = `/aws/lambda/${functionName}`;
  }

  getRemainingTimeInMillis(): number {
    return Math.max(0, this.deadline - Date.now());
  }

  // The legacy callbacks of Node's first Lambda runtimes: no handler here uses them.
  done(): void {}
  fail(): void {}
  succeed(): void {}
}

/**
 * `awsRequestId` defaults to a new ID. The server passes the event's API Gateway request ID: in AWS
 * the two differ, but no handler compares them, and a second `randomUUID` per callback was the
 * adapter's own cost the performance issue named.
 */
export function localContext(functionName: string, timeoutMs: number, awsRequestId: string = randomUUID()): Context {
  return new LocalContext(functionName, timeoutMs, awsRequestId);
}

function localIdentity(sourceIp: string): APIGatewayProxyEvent['requestContext']['identity'] {
  return {
    accessKey: null,
    accountId: null,
    apiKey: null,
    apiKeyId: null,
    caller: null,
    clientCert: null,
    cognitoAuthenticationProvider: null,
    cognitoAuthenticationType: null,
    cognitoIdentityId: null,
    cognitoIdentityPoolId: null,
    principalOrgId: null,
    sourceIp,
    user: null,
    userAgent: null,
    userArn: null,
  };
}
