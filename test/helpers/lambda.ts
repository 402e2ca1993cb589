/** Builds API Gateway proxy events and a stub Lambda context for running handlers through their real middy chain. */
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';

export function callbackEvent(options: {
  secret: string;
  command: string;
  body: string | null;
  operationID?: string;
  query?: Record<string, string>;
}): APIGatewayProxyEvent {
  return {
    resource: '/openim/{secret}/{command}',
    path: `/openim/${options.secret}/${options.command}`,
    httpMethod: 'POST',
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...(options.operationID ? { operationID: options.operationID } : {}) },
    multiValueHeaders: {},
    queryStringParameters: options.query ?? null,
    multiValueQueryStringParameters: null,
    pathParameters: { secret: options.secret, command: options.command },
    stageVariables: null,
    body: options.body,
    isBase64Encoded: false,
    requestContext: {} as APIGatewayProxyEvent['requestContext'],
  };
}

export const stubContext = {
  functionName: 'test',
  awsRequestId: 'test-request',
  getRemainingTimeInMillis: () => 5_000,
} as unknown as Context;

/**
 * Captures the structured lines the Powertools logger and metrics write while `run` executes
 * (warnings and errors go to stderr, the rest to stdout).
 */
export async function captureLogs<T>(run: () => Promise<T>): Promise<{ result: T; lines: Record<string, unknown>[] }> {
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((stream) => stream.write.bind(stream));
  const chunks: string[] = [];
  for (const stream of streams) {
    stream.write = ((chunk: string | Uint8Array) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    }) as typeof stream.write;
  }
  try {
    const result = await run();
    const lines = chunks
      .join('')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    return { result, lines };
  } finally {
    streams.forEach((stream, index) => (stream.write = originals[index]!));
  }
}
