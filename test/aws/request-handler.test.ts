/** The SDK clients' attempts are bounded: a service that never answers fails the call instead of holding it. */
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { requestHandler } from '#shared/aws/request-handler.ts';

describe('requestHandler', () => {
  it('fails an attempt that gets no answer within attemptTimeoutMs, and the call once its attempts are spent', async () => {
    // Prepare: a service that takes every request and never answers
    let requests = 0;
    const sockets = new Set<Socket>();
    const server = createServer(() => (requests += 1)).on('connection', (socket) => sockets.add(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const sqs = new SQSClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 2,
      requestHandler: requestHandler({ attemptTimeoutMs: 200 }),
    });

    try {
      // Act
      const outcome = await Promise.race([
        sqs.send(new GetQueueAttributesCommand({ QueueUrl: `${endpoint}/000000000000/silent`, AttributeNames: ['All'] })).then(
          () => 'answered',
          (error: Error) => error.name,
        ),
        delay(5_000, 'still waiting after 5 s'),
      ]);

      // Assess
      expect(outcome).toBe('TimeoutError');
      expect(requests).toBe(2);
    } finally {
      sqs.destroy();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
