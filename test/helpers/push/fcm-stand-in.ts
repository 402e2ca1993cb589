/**
 * A local stand-in for FCM HTTP v1 (HTTP/2, cleartext h2c on loopback, as the provider sends) and
 * Google's OAuth2 token endpoint (HTTP/1.1, on a port of its own). It checks what the real services
 * check (the service-account JWT's signature and claims, the bearer token, the v1 message shape)
 * and answers as they do; tests can make a token UNREGISTERED, make sends fail with 503, slow every
 * answer down (`latencyMs`) or play a fault per request (`faults`, provider-faults.ts): 429 with
 * Retry-After as FCM sends it, an accepted request whose answer never comes or whose stream is
 * reset, a stream reset before the request is read. A reset is the stream's alone (RST_STREAM with
 * INTERNAL_ERROR, which tells the client nothing of what was done): the other sends sharing the
 * connection go on, as they do when one of FCM's front ends drops one request.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { constants, createServer as createHttp2Server, type Http2Server, type IncomingHttpHeaders, type ServerHttp2Session, type ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { verifyJwt } from './jwt-check.ts';
import { attemptCounter, type FaultPlan } from './provider-faults.ts';

export interface FcmStandInOptions {
  readonly projectId?: string;
  /** Added before each send is answered (a slow provider); a function gets the token. */
  readonly latencyMs?: number | ((token: string) => number);
  readonly faults?: FaultPlan;
}

export interface FcmStandIn {
  readonly endpoint: string;
  readonly tokenUri: string;
  readonly projectId: string;
  readonly serviceAccountJson: string;
  /** Messages accepted, in order, with the time (Date.now()) each was accepted. */
  readonly accepted: { token: string; message: Record<string, any>; at: number }[];
  /** Requests refused for their shape or credentials; a correct client causes none. */
  readonly problems: string[];
  readonly unregistered: Set<string>;
  /** Fail the next `n` sends (all tokens) with 503 UNAVAILABLE. */
  failNext(n: number): void;
  /** Fail every send to these tokens with 503 until cleared. */
  readonly failingTokens: Set<string>;
  close(): Promise<void>;
}

export async function startFcmStandIn(options: FcmStandInOptions = {}): Promise<FcmStandIn> {
  const projectId = options.projectId ?? 'demo-project';
  const attemptOf = attemptCounter();
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const clientEmail = `pusher@${projectId}.iam.gserviceaccount.com`;
  const issued = new Set<string>();
  let failures = 0;
  const state = { accepted: [] as FcmStandIn['accepted'], problems: [] as string[], unregistered: new Set<string>(), failingTokens: new Set<string>() };
  let tokenUri = '';

  const tokenServer: Server = createServer(async (req, res) => {
    const body = await read(req);
    const answer = (status: number, json: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' }).end(JSON.stringify(json));
    };
    const refuse = (status: number, statusName: string, problem: string) => {
      state.problems.push(problem);
      answer(status, fcmError(status, statusName, problem));
    };
    if (req.method !== 'POST' || req.url !== '/token') return refuse(404, 'NOT_FOUND', `unexpected ${req.method} ${req.url} on the token endpoint`);
    const form = new URLSearchParams(body);
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return refuse(400, 'invalid_grant', 'grant_type is not jwt-bearer');
    const jwt = verifyJwt(form.get('assertion') ?? '', 'RS256', publicKey);
    if (typeof jwt === 'string') return refuse(400, 'invalid_grant', `assertion: ${jwt}`);
    const { iss, scope, aud, iat, exp } = jwt.claims;
    if (iss !== clientEmail || aud !== tokenUri || scope !== 'https://www.googleapis.com/auth/firebase.messaging' || typeof iat !== 'number' || exp !== iat + 3600) {
      return refuse(400, 'invalid_grant', `assertion claims: ${JSON.stringify(jwt.claims)}`);
    }
    const accessToken = `ya29.stand-in-${issued.size + 1}`;
    issued.add(accessToken);
    answer(200, { access_token: accessToken, expires_in: 3599, token_type: 'Bearer' });
  });
  // Google's front ends keep an idle HTTP/1.1 connection for minutes (610 s on Google Cloud's load
  // balancers). Node's default of 5 s closed sockets just as a busy client reused them: the request
  // then met a closed connection ('socket hang up').
  tokenServer.keepAliveTimeout = 610_000;

  const sendServer: Http2Server = createHttp2Server();
  const sessions = new Set<ServerHttp2Session>();
  sendServer.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  sendServer.on('stream', (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => {
    const chunks: Buffer[] = [];
    // A stream this stand-in resets (a fault) ends in an error on its side too.
    stream.on('error', () => undefined);
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => void answerSend(stream, headers, Buffer.concat(chunks).toString('utf8')));
  });
  const answerSend = async (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, body: string) => {
    const answer = (status: number, json: unknown, extraHeaders: Record<string, string> = {}) => {
      if (stream.destroyed) return;
      stream.respond({ [constants.HTTP2_HEADER_STATUS]: status, 'content-type': 'application/json; charset=UTF-8', ...extraHeaders });
      stream.end(JSON.stringify(json));
    };
    const refuse = (status: number, statusName: string, problem: string) => {
      state.problems.push(problem);
      answer(status, fcmError(status, statusName, problem));
    };
    const path = String(headers[constants.HTTP2_HEADER_PATH] ?? '');
    if (headers[constants.HTTP2_HEADER_METHOD] !== 'POST' || path !== `/v1/projects/${projectId}/messages:send`) {
      return refuse(404, 'NOT_FOUND', `unexpected ${String(headers[constants.HTTP2_HEADER_METHOD])} ${path}`);
    }
    const bearer = /^Bearer (.+)$/.exec(String(headers.authorization ?? ''))?.[1];
    if (!bearer || !issued.has(bearer)) return refuse(401, 'UNAUTHENTICATED', 'missing or unknown access token');
    let parsed: { message?: Record<string, any> };
    try {
      parsed = JSON.parse(body || '{}') as { message?: Record<string, any> };
    } catch {
      return refuse(400, 'INVALID_ARGUMENT', 'body is not JSON');
    }
    const shapeProblem = messageProblem(parsed);
    if (shapeProblem) return refuse(400, 'INVALID_ARGUMENT', shapeProblem);
    const message = parsed.message!;
    if (state.unregistered.has(message.token)) return answer(404, fcmError(404, 'NOT_FOUND', 'Requested entity was not found.', 'UNREGISTERED'));
    if (failures > 0 || state.failingTokens.has(message.token)) {
      failures = Math.max(0, failures - 1);
      return answer(503, fcmError(503, 'UNAVAILABLE', 'The service is currently unavailable.', 'UNAVAILABLE'));
    }
    const fault = options.faults?.(message.token, attemptOf(message.token));
    if (fault?.kind === 'reset-before-accepting') return stream.close(constants.NGHTTP2_INTERNAL_ERROR);
    if (fault?.kind === 'throttle') {
      return answer(429, fcmError(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded.', 'QUOTA_EXCEEDED'), { 'retry-after': String(fault.retryAfterSeconds) });
    }
    state.accepted.push({ token: message.token, message, at: Date.now() });
    if (fault?.kind === 'reset-after-accepting') return stream.close(constants.NGHTTP2_INTERNAL_ERROR);
    if (fault?.kind === 'hang-after-accepting') return;
    const latency = typeof options.latencyMs === 'function' ? options.latencyMs(message.token) : (options.latencyMs ?? 0);
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
    answer(200, { name: `projects/${projectId}/messages/${state.accepted.length}` });
  };

  await Promise.all([
    new Promise<void>((resolve) => tokenServer.listen(0, '127.0.0.1', resolve)),
    new Promise<void>((resolve) => sendServer.listen(0, '127.0.0.1', resolve)),
  ]);
  const endpoint = `http://127.0.0.1:${(sendServer.address() as AddressInfo).port}`;
  tokenUri = `http://127.0.0.1:${(tokenServer.address() as AddressInfo).port}/token`;
  return {
    endpoint,
    tokenUri,
    projectId,
    serviceAccountJson: JSON.stringify({
      type: 'service_account',
      project_id: projectId,
      client_email: clientEmail,
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      token_uri: tokenUri,
    }),
    ...state,
    failNext: (n) => (failures = n),
    close: async () => {
      // Clients keep connections alive; a stand-in that is done must not wait for them.
      const closed = Promise.all([
        new Promise<void>((resolve) => tokenServer.close(() => resolve())),
        new Promise<void>((resolve) => sendServer.close(() => resolve())),
      ]);
      tokenServer.closeAllConnections();
      for (const session of sessions) session.destroy();
      await closed;
    },
  };
}

/** What FCM's validation would refuse in a v1 send request, or undefined. */
function messageProblem(body: { message?: Record<string, any> }): string | undefined {
  const message = body.message;
  if (!message || typeof message !== 'object') return 'no message';
  if (typeof message.token !== 'string' || message.token.length === 0) return 'message.token missing';
  if (typeof message.notification?.title !== 'string' || typeof message.notification?.body !== 'string') return 'notification.title/body missing';
  if (message.data && Object.values(message.data).some((value) => typeof value !== 'string')) return 'data values must be strings';
  if (typeof message.android?.collapse_key !== 'string') return 'android.collapse_key missing';
  const collapseId = message.apns?.headers?.['apns-collapse-id'];
  if (typeof collapseId !== 'string' || Buffer.byteLength(collapseId) > 64) return 'apns.headers.apns-collapse-id missing or over 64 bytes';
  return undefined;
}

function fcmError(code: number, status: string, message: string, errorCode?: string) {
  return {
    error: {
      code,
      message,
      status,
      ...(errorCode ? { details: [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode }] } : {}),
    },
  };
}

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
