/**
 * The local adapter: the REST proxy event a handler gets (the same whichever way it is read), the
 * request target split as URL splits it, and the result written back in one piece.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import fc from 'fast-check';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { localContext, queryParameters, requestTarget, toApiGatewayEvent, writeResult, type RouteMatch } from '../../local/apigw-adapter.ts';

const ROUTE: RouteMatch = { resource: '/openim/{secret}/{command}', pathParameters: { secret: 's', command: 'c' } };

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** Sends one raw request to a real server and hands back what the adapter made of it, and the response as a client saw it. */
async function adaptOne(
  path: string,
  headers: Record<string, string | string[]>,
  respond: APIGatewayProxyResult = { statusCode: 200, body: '{}' },
): Promise<{ event: APIGatewayProxyEvent; response: { status: number; headers: IncomingMessage['headers']; body: string } }> {
  let event: APIGatewayProxyEvent | undefined;
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      event = toApiGatewayEvent(req, requestTarget(req.url), Buffer.concat(chunks).toString('utf8'), ROUTE);
      writeResult(res, respond);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const response = await new Promise<{ status: number; headers: IncomingMessage['headers']; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end('{"a":1}');
  });
  return { event: event!, response };
}

describe('Function: toApiGatewayEvent()', () => {
  it('carries headers, multi-value maps, query and request context as API Gateway does, however it is read', async () => {
    // Act
    const { event } = await adaptOne('/openim/s/c?key=abc&tag=1&tag=2', {
      'content-type': 'application/json',
      operationID: 'op-1',
      'set-cookie': ['a=1', 'b=2'],
    });

    // Assess
    const expected = {
      resource: '/openim/{secret}/{command}',
      path: '/openim/s/c',
      httpMethod: 'POST',
      headers: expect.objectContaining({ 'content-type': 'application/json', operationid: 'op-1', 'set-cookie': 'a=1,b=2' }),
      multiValueHeaders: expect.objectContaining({ 'content-type': ['application/json'], operationid: ['op-1'], 'set-cookie': ['a=1', 'b=2'] }),
      queryStringParameters: { key: 'abc', tag: '2' },
      multiValueQueryStringParameters: { key: ['abc'], tag: ['1', '2'] },
      pathParameters: { secret: 's', command: 'c' },
      stageVariables: null,
      body: '{"a":1}',
      isBase64Encoded: false,
      requestContext: expect.objectContaining({
        path: '/openim/s/c',
        httpMethod: 'POST',
        protocol: 'HTTP/1.1',
        resourcePath: '/openim/{secret}/{command}',
        requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        requestTimeEpoch: expect.any(Number),
        identity: expect.objectContaining({ sourceIp: '127.0.0.1' }),
      }),
    };
    expect(JSON.parse(JSON.stringify(event))).toEqual(expected);
    expect({ ...event }).toEqual(expected);
    expect(Object.keys(event).sort()).toEqual(Object.keys(expected).sort());
  });

  it('has null query maps when the target has no query, or only separators', async () => {
    // Act
    const plain = (await adaptOne('/openim/s/c', {})).event;
    const separators = (await adaptOne('/openim/s/c?&', {})).event;

    // Assess
    for (const event of [plain, separators]) {
      expect(event.queryStringParameters).toBeNull();
      expect(event.multiValueQueryStringParameters).toBeNull();
    }
  });
});

describe('Function: requestTarget()', () => {
  it.each([
    { case: 'a dot segment', raw: '/openim/s/x/../c', path: '/openim/s/c' },
    { case: 'a percent-encoded dot segment', raw: '/api/%2e%2E/health', path: '/health' },
    { case: 'a leading double slash', raw: '//evil/openim/s/c', path: '/openim/s/c' },
    { case: 'an absolute-form target', raw: 'http://example.com/health?x=1', path: '/health' },
    { case: 'a character URL encodes', raw: '/openim/{s}/c', path: '/openim/%7Bs%7D/c' },
  ])('gives the path URL gives for $case', ({ raw, path }) => {
    // Assess
    expect(requestTarget(raw).path).toBe(path);
  });

  it('splits every target into the path and query parameters URL would give (property)', () => {
    // What a request line can carry: no spaces (they delimit the target), which URL would trim.
    const piece = fc.constantFrom('a', 'Z', '0', '/', '.', '..', '%', '%2e', '%41', '?', '&', '=', '#', '"', '{', '\\', 'é', '~', ':', '@', '+', ';');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        // Prepare
        const raw = `/${pieces.join('')}`;
        let url: URL;
        try {
          url = new URL(raw, 'http://localhost');
        } catch {
          // A target URL refuses (`/\\`: no host) is refused here too, and the server answers it as an error.
          expect(() => requestTarget(raw)).toThrow();
          return;
        }

        // Act
        const target = requestTarget(raw);

        // Assess
        expect(target.path).toBe(url.pathname);
        expect([...queryParameters(target)]).toEqual([...url.searchParams]);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('Function: writeResult()', () => {
  it('sends the status, headers and body with a Content-Length, not chunked', async () => {
    // Act
    const { response } = await adaptOne('/openim/s/c', {}, { statusCode: 201, headers: { 'content-type': 'application/json; charset=utf-8', 'x-n': 7 }, body: '{"é":1}' });

    // Assess
    expect(response).toMatchObject({ status: 201, body: '{"é":1}' });
    expect(response.headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8', 'x-n': '7', 'content-length': String(Buffer.byteLength('{"é":1}')) });
    expect(response.headers['transfer-encoding']).toBeUndefined();
  });

  it('decodes a base64 result body', async () => {
    // Act
    const { response } = await adaptOne('/openim/s/c', {}, { statusCode: 200, isBase64Encoded: true, body: Buffer.from('plain bytes').toString('base64') });

    // Assess
    expect(response.body).toBe('plain bytes');
  });
});

describe('Function: localContext()', () => {
  it('keeps one request ID per invocation and another for the next', () => {
    // Act
    const first: Context = localContext('before-callback', 15_000);
    const second: Context = localContext('before-callback', 15_000);

    // Assess
    expect(first.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.awsRequestId).not.toBe(first.awsRequestId);
    expect(first.getRemainingTimeInMillis()).toBeGreaterThan(14_000);
  });

  it('takes the request ID it is given (the server gives the API Gateway event\'s)', () => {
    // Act
    const context = localContext('after-callback', 15_000, 'c0ffee00-0000-4000-8000-000000000001');

    // Assess
    expect(context.awsRequestId).toBe('c0ffee00-0000-4000-8000-000000000001');
  });
});
