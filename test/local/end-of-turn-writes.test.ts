/**
 * The before-callbacks' answers leave at the end of the turn that read their requests, together:
 * over real HTTP, each answer reaches its own request, none is written before that turn ends, one
 * that comes after it is written at once, and one that cannot be written closes its own connection
 * without holding back the others.
 */
import type { APIGatewayProxyResult } from 'aws-lambda';
import { createServer, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { noteRequestArrived, writeAtEndOfTurn } from '../../local/end-of-turn-writes.ts';

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/**
 * A server that answers every request with `answer(path)` through writeAtEndOfTurn, in the turn it
 * read the request, as the local server does; `seen` gets each response as it is handed over.
 */
async function listen(answer: (path: string) => APIGatewayProxyResult, seen?: (res: ServerResponse) => void): Promise<number> {
  server = createServer((req, res) => {
    req.resume().on('end', () => {
      noteRequestArrived();
      writeAtEndOfTurn(res, answer(req.url ?? ''));
      seen?.(res);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, method: 'POST' }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end('{}');
  });
}

describe('Function: writeAtEndOfTurn()', () => {
  it('answers each of many concurrent requests with its own result', async () => {
    // Prepare
    const port = await listen((path) => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ path }) }));

    // Act
    const paths = Array.from({ length: 200 }, (_, index) => `/request-${index}`);
    const responses = await Promise.all(paths.map((path) => get(port, path)));

    // Assess
    expect(responses).toEqual(paths.map((path) => ({ status: 200, body: JSON.stringify({ path }) })));
  });

  it('writes nothing before the turn ends, then everything', async () => {
    // Prepare
    const headersSentAtHandOver: boolean[] = [];
    const headersSentNextTurn: Promise<boolean>[] = [];
    const port = await listen(
      () => ({ statusCode: 200, body: '{}' }),
      (res) => {
        headersSentAtHandOver.push(res.headersSent);
        headersSentNextTurn.push(new Promise((resolve) => setImmediate(() => resolve(res.headersSent))));
      },
    );

    // Act
    await Promise.all([get(port, '/a'), get(port, '/b'), get(port, '/c')]);

    // Assess
    expect(headersSentAtHandOver).toEqual([false, false, false]);
    expect(await Promise.all(headersSentNextTurn)).toEqual([true, true, true]);
  });

  it('closes the connection of an answer it cannot write and still writes the ones after it', async () => {
    // Prepare: both answers are handed over in one turn, the broken one first. A header value with a
    // line break is refused by Node when the answer is written.
    const arrived: { path: string; res: ServerResponse }[] = [];
    server = createServer((req, res) => {
      req.resume().on('end', () => {
        arrived.push({ path: req.url ?? '', res });
        if (arrived.length < 2) return;
        noteRequestArrived();
        for (const { path, res: response } of ['/broken', '/whole'].map((path) => arrived.find((entry) => entry.path === path)!)) {
          writeAtEndOfTurn(response, path === '/broken' ? { statusCode: 200, headers: { 'x-broken': 'a\nb' }, body: '{}' } : { statusCode: 200, body: JSON.stringify({ path }) });
        }
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;

    // Act
    const [broken, whole] = await Promise.allSettled([get(port, '/broken'), get(port, '/whole')]);

    // Assess
    expect(broken.status).toBe('rejected');
    expect(whole).toEqual({ status: 'fulfilled', value: { status: 200, body: JSON.stringify({ path: '/whole' }) } });
  });

  it('writes at once an answer that comes after the turn that read its request', async () => {
    // Prepare: the answer is decided two turns later, as one waiting for the journal's write or a store.
    let headersSentAtHandOver: boolean | undefined;
    server = createServer((req, res) => {
      noteRequestArrived();
      req.resume().on('end', () =>
        setImmediate(() =>
          setImmediate(() => {
            writeAtEndOfTurn(res, { statusCode: 200, body: '{}' });
            headersSentAtHandOver = res.headersSent;
          }),
        ),
      );
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;

    // Act
    const response = await get(port, '/late');

    // Assess
    expect(response).toEqual({ status: 200, body: '{}' });
    expect(headersSentAtHandOver).toBe(true);
  });
});
