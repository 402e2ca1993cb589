/**
 * The local server's callback route as a handler sees it: one request ID per callback, the same in
 * the API Gateway event and the Lambda context, and a new one for the next callback.
 */
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalServer, type ProxyHandler } from '../../local/server.ts';

const SECRET = 'local-server-test-secret-0123456789';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe('Function: createLocalServer()', () => {
  it("gives each callback's handler one request ID, in its event and its context, and the next callback another", async () => {
    // Prepare
    const seen: { event: APIGatewayProxyEvent; context: Context }[] = [];
    const recording: ProxyHandler = async (event, context) => {
      seen.push({ event, context });
      return { statusCode: 200, body: '{"errCode":0}' };
    };
    const server = createLocalServer({
      handlers: { beforeCallback: recording, afterCallback: recording, operatorRoutes: {} },
      apiToken: 'local-server-test-token-0123456789',
      callbackSecret: Buffer.from(SECRET),
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    close = () => new Promise((resolve) => server.close(() => resolve()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/openim/${SECRET}`;

    // Act
    for (const command of ['callbackBeforeSendSingleMsgCommand', 'callbackAfterSendSingleMsgCommand']) {
      const response = await fetch(`${base}/${command}`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
      await response.text();
    }

    // Assess
    expect(seen).toHaveLength(2);
    for (const { event, context } of seen) {
      expect(event.requestContext.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(context.awsRequestId).toBe(event.requestContext.requestId);
    }
    expect(seen[1]!.context.awsRequestId).not.toBe(seen[0]!.context.awsRequestId);
  });
});
