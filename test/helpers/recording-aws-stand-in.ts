/**
 * An AWS endpoint's stand-in for a client's tests: a real HTTP server that records each request and
 * answers them in turn with the answers given (the last one over and over): a status and body, a
 * reset connection, or silence. `closeRecordingStandIns` (afterEach) closes every one started.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}
export type StandInAnswer = { status: number; body: string; contentType?: string } | 'reset' | 'silence';

export interface RecordingStandIn {
  readonly endpoint: string;
  readonly requests: RecordedRequest[];
}

const open = new Set<Server>();

export async function recordingStandIn(...answers: StandInAnswer[]): Promise<RecordingStandIn> {
  return recordingStandInOn('127.0.0.1', ...answers);
}

export async function recordingStandInOn(host: string, ...answers: StandInAnswer[]): Promise<RecordingStandIn> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const answer = answers[Math.min(requests.length - 1, answers.length - 1)]!;
      if (answer === 'silence') return;
      if (answer === 'reset') return req.socket.destroy();
      res.writeHead(answer.status, { 'content-type': answer.contentType ?? 'text/xml' }).end(answer.body);
    });
  });
  open.add(server);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  return { endpoint: `http://${host.includes(':') ? `[${host}]` : host}:${port}`, requests };
}

export async function closeRecordingStandIns(): Promise<void> {
  const servers = [...open];
  open.clear();
  await Promise.all(
    servers.map((server) => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    }),
  );
}
