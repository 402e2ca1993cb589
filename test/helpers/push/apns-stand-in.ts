/**
 * A local stand-in for APNs (HTTP/2, cleartext h2c on loopback): it checks the provider JWT
 * (ES256, kid, iss), the path `/3/device/<token>`, the headers APNs requires and the `aps`
 * payload, and answers as APNs does; tests can make a token Unregistered (410) or BadDeviceToken
 * (400), make sends fail with 503, or play a fault per request (`faults`, provider-faults.ts):
 * 429 TooManyRequests (APNs documents no Retry-After), an accepted request whose answer never
 * comes or whose connection is reset, a connection reset before the request is read.
 */
import { generateKeyPairSync } from 'node:crypto';
import { constants, createServer, type Http2Server, type ServerHttp2Session, type ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { verifyJwt } from './jwt-check.ts';
import { attemptCounter, type FaultPlan } from './provider-faults.ts';

export interface ApnsStandIn {
  readonly endpoint: string;
  readonly keyId: string;
  readonly teamId: string;
  readonly topic: string;
  readonly privateKeyPem: string;
  readonly accepted: { token: string; headers: Record<string, string>; payload: Record<string, any> }[];
  readonly problems: string[];
  readonly unregistered: Set<string>;
  readonly badTokens: Set<string>;
  readonly failingTokens: Set<string>;
  close(): Promise<void>;
}

export async function startApnsStandIn(options: { readonly faults?: FaultPlan } = {}): Promise<ApnsStandIn> {
  const attemptOf = attemptCounter();
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const keyId = 'ABC123DEFG';
  const teamId = 'DEF123GHIJ';
  const topic = 'com.example.chat';
  const state = {
    accepted: [] as ApnsStandIn['accepted'],
    problems: [] as string[],
    unregistered: new Set<string>(),
    badTokens: new Set<string>(),
    failingTokens: new Set<string>(),
  };
  const server: Http2Server = createServer();
  const sessions = new Set<ServerHttp2Session>();
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  server.on('stream', (stream: ServerHttp2Stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      const answer = (status: number, reason?: string) => {
        stream.respond({ [constants.HTTP2_HEADER_STATUS]: status, 'apns-id': 'stand-in' });
        stream.end(reason ? JSON.stringify({ reason }) : undefined);
      };
      const refuse = (status: number, reason: string, problem: string) => {
        state.problems.push(problem);
        answer(status, reason);
      };
      const path = String(headers[constants.HTTP2_HEADER_PATH] ?? '');
      const token = /^\/3\/device\/([0-9a-fA-F]+)$/.exec(path)?.[1];
      if (headers[constants.HTTP2_HEADER_METHOD] !== 'POST' || !token) return refuse(405, 'MethodNotAllowed', `unexpected ${path}`);
      const jwt = verifyJwt(String(headers.authorization ?? '').replace(/^bearer /, ''), 'ES256', publicKey);
      if (typeof jwt === 'string') return refuse(403, 'InvalidProviderToken', `provider token: ${jwt}`);
      if (jwt.header.kid !== keyId || jwt.claims.iss !== teamId || typeof jwt.claims.iat !== 'number') {
        return refuse(403, 'InvalidProviderToken', `provider token claims: ${JSON.stringify(jwt)}`);
      }
      if (headers['apns-topic'] !== topic) return refuse(400, 'BadTopic', `apns-topic ${String(headers['apns-topic'])}`);
      if (headers['apns-push-type'] !== 'alert') return refuse(400, 'InvalidPushType', 'apns-push-type must be alert');
      const collapseId = String(headers['apns-collapse-id'] ?? '');
      if (Buffer.byteLength(collapseId) > 64) return refuse(400, 'BadCollapseId', 'apns-collapse-id over 64 bytes');
      let payload: Record<string, any>;
      try {
        payload = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, any>;
      } catch {
        return refuse(400, 'PayloadEmpty', 'payload is not JSON');
      }
      if (typeof payload.aps?.alert?.title !== 'string' || typeof payload.aps?.alert?.body !== 'string') {
        return refuse(400, 'PayloadEmpty', 'aps.alert.title/body missing');
      }
      if (Buffer.byteLength(JSON.stringify(payload)) > 4096) return refuse(413, 'PayloadTooLarge', 'payload over 4 KB');
      if (state.unregistered.has(token)) return answer(410, 'Unregistered');
      if (state.badTokens.has(token)) return answer(400, 'BadDeviceToken');
      if (state.failingTokens.has(token)) return answer(503, 'ServiceUnavailable');
      const apnsId = String(headers['apns-id'] ?? '');
      if (apnsId !== '' && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(apnsId)) return refuse(400, 'BadMessageId', `apns-id ${apnsId}`);
      const fault = options.faults?.(token, attemptOf(token));
      if (fault?.kind === 'reset-before-accepting') return stream.session?.destroy();
      if (fault?.kind === 'throttle') return answer(429, 'TooManyRequests');
      state.accepted.push({
        token,
        headers: {
          'apns-topic': topic,
          'apns-collapse-id': collapseId,
          'apns-id': apnsId,
          'apns-push-type': 'alert',
          'apns-priority': String(headers['apns-priority'] ?? ''),
        },
        payload,
      });
      if (fault?.kind === 'reset-after-accepting') return stream.session?.destroy();
      if (fault?.kind === 'hang-after-accepting') return;
      answer(200);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    keyId,
    teamId,
    topic,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    ...state,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // The provider keeps its HTTP/2 connection open, as it should with APNs.
        for (const session of sessions) session.destroy();
      }),
  };
}
