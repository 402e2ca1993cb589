import { constants, createServer, type Http2Server, type ServerHttp2Session, type ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryOutcomeUnknownError, ProviderUnavailableError } from '#shared/push/errors.ts';
import { Http2Origin } from '#shared/push/providers/http2-origin.ts';

/** How the server treats each request, by the request body. */
type Play = (stream: ServerHttp2Stream, body: string) => void;

let server: Http2Server | undefined;
const sessions = new Set<ServerHttp2Session>();
let origin: Http2Origin | undefined;

async function serve(play: Play): Promise<string> {
  server = createServer();
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  server.on('stream', (stream, _headers) => {
    stream.on('error', () => undefined);
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => play(stream, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const answer = (stream: ServerHttp2Stream, status: number, body: string) => {
  stream.respond({ [constants.HTTP2_HEADER_STATUS]: status, 'retry-after': '7' });
  stream.end(body);
};

afterEach(async () => {
  await origin?.close();
  for (const session of sessions) session.destroy();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
  origin = undefined;
});

describe('Class: Http2Origin', () => {
  it('answers with the status, headers and body, many streams over one connection', async () => {
    // Prepare
    const endpoint = await serve((stream, body) => answer(stream, 200, `echo ${body}`));
    origin = new Http2Origin('test', endpoint);

    // Act
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => origin!.post('/send', { 'content-type': 'text/plain' }, `n${i}`, 2000)));

    // Assess
    expect(answers.map((a) => a.body)).toEqual(Array.from({ length: 20 }, (_, i) => `echo n${i}`));
    expect(answers[0]).toMatchObject({ status: 200, headers: { 'retry-after': '7' } });
    expect(sessions.size).toBe(1);
  });

  it('throws ProviderUnavailableError for a refused stream, which the server did not process', async () => {
    // Prepare
    const endpoint = await serve((stream) => stream.close(constants.NGHTTP2_REFUSED_STREAM));
    origin = new Http2Origin('test', endpoint);

    // Act / Assess
    await expect(origin.post('/send', {}, 'x', 2000)).rejects.toBeInstanceOf(ProviderUnavailableError);
  });

  it('throws DeliveryOutcomeUnknownError when the stream is reset after the request was written', async () => {
    // Prepare
    const endpoint = await serve((stream) => stream.close(constants.NGHTTP2_INTERNAL_ERROR));
    origin = new Http2Origin('test', endpoint);

    // Act / Assess
    await expect(origin.post('/send', {}, 'x', 2000)).rejects.toBeInstanceOf(DeliveryOutcomeUnknownError);
  });

  it('throws DeliveryOutcomeUnknownError when no answer comes in time', async () => {
    // Prepare
    const endpoint = await serve(() => undefined);
    origin = new Http2Origin('test', endpoint);

    // Act / Assess
    await expect(origin.post('/send', {}, 'x', 200)).rejects.toBeInstanceOf(DeliveryOutcomeUnknownError);
  });

  it('throws ProviderUnavailableError when nothing listens, and connects again once something does', async () => {
    // Prepare: a port that was just free
    const endpoint = await serve((stream) => answer(stream, 200, 'ok'));
    const { port } = server!.address() as AddressInfo;
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    origin = new Http2Origin('test', endpoint);

    // Act / Assess
    await expect(origin.post('/send', {}, 'x', 2000)).rejects.toBeInstanceOf(ProviderUnavailableError);
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    expect((await origin.post('/send', {}, 'x', 2000)).body).toBe('ok');
  });

  it('opens a new connection after the server closed the last one', async () => {
    // Prepare
    const endpoint = await serve((stream) => answer(stream, 200, 'ok'));
    origin = new Http2Origin('test', endpoint);
    await origin.post('/send', {}, 'x', 2000);

    // Act: the server says goodbye (GOAWAY) and drops the connection
    for (const session of sessions) session.close();
    await new Promise((resolve) => setTimeout(resolve, 50));

    // Assess
    expect((await origin.post('/send', {}, 'y', 2000)).body).toBe('ok');
  });
});
