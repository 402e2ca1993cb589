/**
 * The local HTTP server: the routes API Gateway has in AWS, served by the same Lambda handlers.
 *   POST /openim/{secret}/{command}  -> before- or after-callback handler, by the command's mode;
 *                                       a before-callback answered at the end of the turn (end-of-turn-writes.ts)
 *   /api/...                         -> operator API, `Authorization: Bearer <API_TOKEN>`
 *   GET /health                      -> 200 {status:'ok'}, or 503 {status:'degraded', reason} while
 *                                       part of the service (the workers) is down
 *   GET /console/...                 -> the moderators' console (static files; config.json: sign in with a token)
 *   GET /api/docs/                   -> the operator API's reference page (static files, no token)
 * Errors outside /openim are RFC 9457 problems, as the operator API's own.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { problemResponse } from '#shared/api/problem.ts';
import { jsonResponse } from '#shared/http/json-response.ts';
import { modeOf } from '#shared/openim/commands.ts';
import { undecidedReply } from '#shared/openim/replies.ts';
import { localContext, requestTarget, toApiGatewayEvent, writeResult } from './apigw-adapter.ts';
import { noteRequestArrived, writeAtEndOfTurn } from './end-of-turn-writes.ts';
import { createBearerAuthenticator, type BearerAuthenticator } from './bearer-token.ts';
import type { ModeratorAccountStore } from '#shared/store/moderator-account-store.ts';
import { secretMatches } from '#shared/middleware/callback-secret.ts';
import { consoleSite } from '../console/console-files.ts';
import { readReferencePageFile, REFERENCE_PAGE_PATH } from './reference-page.ts';

export type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

export interface LocalHandlers {
  readonly beforeCallback: ProxyHandler;
  readonly afterCallback: ProxyHandler;
  /** Operator API handlers by route group: `/api/<pathPart>/...` (infra/operator-routes.ts). */
  readonly operatorRoutes: Readonly<Record<string, ProxyHandler>>;
}

export type LocalHealth = { readonly status: 'ok' } | { readonly status: 'degraded'; readonly reason: string };

export interface LocalServerOptions {
  readonly handlers: LocalHandlers;
  readonly apiToken: string;
  /** Named moderator accounts (`npm run moderators`); without it only the API token signs in. */
  readonly accounts?: Pick<ModeratorAccountStore, 'byToken'>;
  /** @default always ok */
  readonly health?: () => LocalHealth;
  /** CALLBACK_SECRET as bytes; the handlers check it again, as they do in Lambda. */
  readonly callbackSecret: Buffer;
}

/** OpenIM's own HTTP client gives up after 15 s; nothing local should take longer. */
const INVOCATION_TIMEOUT_MS = 15_000;
const MAX_BODY_BYTES = 10 * 1024 * 1024;
const CALLBACK_PATH = /^\/openim\/([^/]+)\/([^/]+)\/?$/;
// Local mode signs in with a pasted token (API_TOKEN or a moderator account's).
const CONSOLE = consoleSite({ config: { mode: 'token' } });

export function createLocalServer(options: LocalServerOptions): Server {
  const authenticate = createBearerAuthenticator(options.apiToken, options.accounts);
  const server = createServer((req, res) => {
    route(req, res, options, authenticate).catch((error: unknown) => {
      // Only reached if writing the response itself failed; the handlers answer their own errors.
      if (!res.headersSent) writeResult(res, errorReply(req, 500, 'internal error'));
      else res.destroy(error as Error);
    });
  });
  server.keepAliveTimeout = 65_000;
  return server;
}

async function route(req: IncomingMessage, res: ServerResponse, options: LocalServerOptions, authenticate: BearerAuthenticator): Promise<void> {
  const target = requestTarget(req.url);
  const callback = CALLBACK_PATH.exec(target.path);
  if (callback && req.method === 'POST') {
    // A segment that is not valid percent-encoding stays as sent: it then matches no secret or command.
    const secret = decodeSegment(callback[1]!);
    const command = decodeSegment(callback[2]!);
    // Unknown commands go to the before handler, which answers "continue" whatever they are.
    const isAfter = modeOf(command) === 'after';
    // An after-callback's answer already leaves with the others of its turn: the journal answers them
    // together once its write of the turn is done (shared/events/event-journal.ts).
    if (!isAfter) noteRequestArrived();
    // Checked before the body is read: a wrong URL's body is discarded as it arrives, never buffered
    // or handed to a handler.
    if (!secretMatches(options.callbackSecret, secret)) {
      req.resume();
      writeResult(res, jsonResponse(404, undecidedReply('not found')));
      return;
    }
    const body = await readBody(req, res);
    if (body === undefined) return;
    const event = toApiGatewayEvent(req, target, body, {
      resource: '/openim/{secret}/{command}',
      pathParameters: { secret, command },
    });
    const handler = isAfter ? options.handlers.afterCallback : options.handlers.beforeCallback;
    const result = await handler(event, localContext(isAfter ? 'after-callback' : 'before-callback', INVOCATION_TIMEOUT_MS, event.requestContext.requestId));
    if (isAfter) writeResult(res, result);
    else writeAtEndOfTurn(res, result);
    return;
  }
  if (target.path === '/health' && req.method === 'GET') {
    const health = options.health?.() ?? { status: 'ok' };
    writeResult(res, jsonResponse(health.status === 'ok' ? 200 : 503, health));
    return;
  }
  // The API's reference page: static files only; the document it shows comes from /api behind the token.
  if ((target.path === '/api/docs' || target.path.startsWith(REFERENCE_PAGE_PATH)) && req.method === 'GET') {
    const file = target.path === '/api/docs' ? undefined : readReferencePageFile(target.path.slice(REFERENCE_PAGE_PATH.length));
    if (file) res.writeHead(200, { 'content-type': file.contentType, 'cache-control': 'no-cache' }).end(file.body);
    else writeResult(res, target.path === '/api/docs' ? { statusCode: 308, headers: { location: REFERENCE_PAGE_PATH }, body: '' } : problemResponse(404, 'no such file'));
    return;
  }
  if (target.path === '/api' || target.path.startsWith('/api/')) {
    const caller = await authenticate(req.headers.authorization);
    if (!caller) {
      writeResult(res, problemResponse(401, 'send Authorization: Bearer <token> (the API_TOKEN npm start prints, or a moderator account token)', {}, { 'www-authenticate': 'Bearer' }));
      return;
    }
    const pathPart = target.path.split('/')[2] ?? '';
    const routeGroup = Object.hasOwn(options.handlers.operatorRoutes, pathPart) ? options.handlers.operatorRoutes[pathPart] : undefined;
    if (!routeGroup) {
      writeResult(res, problemResponse(404, `no operator route ${target.path}: GET /api/openapi.json lists them`));
      return;
    }
    const body = await readBody(req, res);
    if (body === undefined) return;
    const event = toApiGatewayEvent(req, target, body, {
      resource: `/api/${pathPart}/{proxy+}`,
      pathParameters: { proxy: target.path.slice(`/api/${pathPart}/`.length) },
      authorizer: { principalId: caller.name, role: caller.role },
    });
    writeResult(res, await routeGroup(event, localContext(`operator-${pathPart}`, INVOCATION_TIMEOUT_MS, event.requestContext.requestId)));
    return;
  }
  // The moderators' console: static files and its sign-in settings; its data comes from /api behind the token.
  if ((target.path === '/console' || target.path.startsWith('/console/')) && req.method === 'GET') {
    writeResult(res, CONSOLE.respond(target.path === '/console' ? undefined : target.path.slice('/console/'.length)));
    return;
  }
  writeResult(res, errorReply(req, 404, 'not found'));
}

/** On OpenIM's routes every reply is OpenIM's JSON; elsewhere an RFC 9457 problem. */
function errorReply(req: IncomingMessage, status: number, detail: string): APIGatewayProxyResult {
  return req.url?.startsWith('/openim/') ? jsonResponse(status, undecidedReply(detail)) : problemResponse(status, detail);
}

function decodeSegment(segment: string): string {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Reads the whole body; answers 413 (and resolves undefined) when it is larger than any OpenIM callback. */
function readBody(req: IncomingMessage, res: ServerResponse): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size <= MAX_BODY_BYTES) return resolve(Buffer.concat(chunks, size).toString('utf8'));
      writeResult(res, errorReply(req, 413, `body larger than ${MAX_BODY_BYTES} bytes`));
      resolve(undefined);
    });
    req.on('error', reject);
  });
}
