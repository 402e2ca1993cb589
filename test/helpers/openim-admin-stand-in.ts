/**
 * A local stand-in for OpenIM's admin REST API (core, and the chat service's admin API), faithful
 * to the contract the client relies on (see shared/openim/admin/admin-client.ts for the sources):
 *   - every request is a POST with a JSON body and an `operationID` header, else ArgsError 1001;
 *   - every route but the token ones needs a `token` header holding a live token of this stand-in
 *     (1507 when unknown, 1501 when expired); chat tokens and core tokens are not interchangeable;
 *   - bodies are checked field by field against the proto messages; a wrong type is 1001, as Go's
 *     decoder fails. Unknown fields are refused too (OpenIM ignores them): a misspelt field would
 *     otherwise pass here and silently do nothing there;
 *   - answers are HTTP 200 with `{errCode, errMsg, errDlt, data?}`.
 * Tests seed messages, can expire every token, make the next connections fail, and read the calls.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

export const STAND_IN_SECRET = 'openim-stand-in-secret';
export const STAND_IN_ADMIN_USER_ID = 'imAdmin';
export const STAND_IN_CHAT_ACCOUNT = 'chatAdmin';
export const STAND_IN_CHAT_PASSWORD = 'chat-admin-password';

export interface StoredMessage {
  readonly conversationID: string;
  readonly seq: number;
  readonly clientMsgID: string;
  readonly serverMsgID: string;
  readonly sendID: string;
  /** The receiver, or the group for group messages. */
  readonly recvID: string;
  readonly sessionType: number;
  readonly contentType: number;
  readonly sendTime: number;
}

export interface RecordedCall {
  readonly service: 'core' | 'chat';
  readonly path: string;
  readonly operationID: string | undefined;
  readonly token: string | undefined;
  readonly body: unknown;
  readonly errCode: number;
}

export interface OpenImAdminStandIn {
  readonly coreUrl: string;
  readonly chatUrl: string;
  readonly calls: RecordedCall[];
  /** Calls that changed state (revoke, mute, block...), successful ones only. */
  effects(): RecordedCall[];
  addMessage(message: StoredMessage): void;
  isRevoked(conversationID: string, seq: number): boolean;
  mutedUntil(groupID: string, userID: string): number | undefined;
  isBlocked(userID: string): boolean;
  /** Every token issued so far is expired from now on. */
  expireTokens(): void;
  /** The next `count` requests get their connection destroyed before any answer. */
  failConnections(count: number): void;
  /** Environment for the client (OPENIM_* variables). */
  env(options?: { chat?: boolean }): Record<string, string>;
  stop(): Promise<void>;
}

const TOKEN_LIFETIME_SECONDS = 90 * 24 * 3600;
const Pagination = z.strictObject({ pageNumber: z.number().int(), showNumber: z.number().int() });
const BODIES = {
  core: {
    '/auth/get_admin_token': z.strictObject({ secret: z.string(), userID: z.string() }),
    '/msg/search_msg': z.strictObject({
      sendID: z.string(),
      recvID: z.string(),
      contentType: z.number().int(),
      sendTime: z.string().regex(/^(\d{4}-\d{2}-\d{2})?$/),
      sessionType: z.number().int(),
      pagination: Pagination,
    }),
    '/msg/revoke_msg': z.strictObject({ conversationID: z.string(), seq: z.number().int(), userID: z.string() }),
    '/group/mute_group_member': z.strictObject({ groupID: z.string(), userID: z.string(), mutedSeconds: z.number().int().nonnegative().max(0xffffffff) }),
    '/group/cancel_mute_group_member': z.strictObject({ groupID: z.string(), userID: z.string() }),
  },
  chat: {
    '/account/login': z.strictObject({ account: z.string(), password: z.string(), version: z.string() }),
    '/block/add': z.strictObject({ userID: z.string(), reason: z.string() }),
    '/block/del': z.strictObject({ userIDs: z.array(z.string()) }),
  },
} as const;
const UNAUTHENTICATED = new Set(['/auth/get_admin_token', '/account/login']);
const MUTATING = new Set(['/msg/revoke_msg', '/group/mute_group_member', '/group/cancel_mute_group_member', '/block/add', '/block/del']);

class CodeError extends Error {
  constructor(
    readonly errCode: number,
    readonly errMsg: string,
    readonly errDlt = '',
  ) {
    super(errMsg);
  }
}
const argsError = (detail: string) => new CodeError(1001, 'ArgsError', detail);

export async function startOpenImAdminStandIn(): Promise<OpenImAdminStandIn> {
  const calls: RecordedCall[] = [];
  const messages: StoredMessage[] = [];
  const revoked = new Set<string>();
  const muted = new Map<string, number>();
  const blocked = new Set<string>();
  const tokens = new Map<string, { service: 'core' | 'chat'; expiresAt: number }>();
  let failNext = 0;

  const handlers: Record<string, (body: any, service: 'core' | 'chat') => unknown> = {
    '/auth/get_admin_token': (body: { secret: string; userID: string }) => {
      if (body.secret !== STAND_IN_SECRET) throw new CodeError(1002, 'NoPermissionError', 'secret invalid');
      if (body.userID !== STAND_IN_ADMIN_USER_ID) throw argsError('userID is error.');
      return { token: issue('core'), expireTimeSeconds: TOKEN_LIFETIME_SECONDS };
    },
    '/msg/search_msg': (body: z.infer<(typeof BODIES)['core']['/msg/search_msg']>) => {
      const day = body.sendTime ? Date.parse(`${body.sendTime}T00:00:00Z`) : undefined;
      const hits = messages.filter(
        (m) =>
          (!body.sendID || m.sendID === body.sendID) &&
          (!body.recvID || m.recvID === body.recvID) &&
          (!body.contentType || m.contentType === body.contentType) &&
          (!body.sessionType || m.sessionType === body.sessionType) &&
          (day === undefined || (m.sendTime >= day && m.sendTime < day + 86_400_000)),
      );
      const page = hits.slice((body.pagination.pageNumber - 1) * body.pagination.showNumber, body.pagination.pageNumber * body.pagination.showNumber);
      return {
        chatLogs: page.map((m) => ({ chatLog: { ...m, groupID: m.sessionType === 1 ? '' : m.recvID }, isRevoked: revoked.has(`${m.conversationID}#${m.seq}`) })),
        chatLogsNum: hits.length,
      };
    },
    '/msg/revoke_msg': (body: { conversationID: string; seq: number; userID: string }) => {
      if (!body.userID) throw argsError('user_id is empty');
      if (!body.conversationID) throw argsError('conversation_id is empty');
      if (body.seq < 0) throw argsError('seq is invalid');
      const key = `${body.conversationID}#${body.seq}`;
      if (!messages.some((m) => `${m.conversationID}#${m.seq}` === key)) throw new CodeError(1004, 'RecordNotFoundError', 'msg not found');
      if (revoked.has(key)) throw new CodeError(1404, 'MsgAlreadyRevoke', 'msg already revoke');
      revoked.add(key);
      return {};
    },
    '/group/mute_group_member': (body: { groupID: string; userID: string; mutedSeconds: number }) => {
      muted.set(`${body.groupID}#${body.userID}`, Date.now() + body.mutedSeconds * 1000);
      return {};
    },
    '/group/cancel_mute_group_member': (body: { groupID: string; userID: string }) => {
      muted.delete(`${body.groupID}#${body.userID}`);
      return {};
    },
    '/account/login': (body: { account: string; password: string; version: string }) => {
      if (!body.version) throw new CodeError(500, 'ServerInternalError', 'openim-admin-front version too old, please use new version');
      if (body.account !== STAND_IN_CHAT_ACCOUNT) throw new CodeError(20002, 'AccountNotFound');
      if (body.password !== createHash('md5').update(STAND_IN_CHAT_PASSWORD).digest('hex')) throw new CodeError(20001, 'PasswordError');
      return { adminAccount: body.account, adminToken: issue('chat'), nickname: 'chat admin', faceURL: '', level: 100, adminUserID: 'chat-admin-1' };
    },
    '/block/add': (body: { userID: string; reason: string }) => {
      if (blocked.has(body.userID)) throw argsError('user already blocked');
      blocked.add(body.userID);
      return {};
    },
    '/block/del': (body: { userIDs: string[] }) => {
      for (const userID of body.userIDs) blocked.delete(userID);
      return {};
    },
  };

  function issue(service: 'core' | 'chat'): string {
    const token = `${service}-${randomUUID()}`;
    tokens.set(token, { service, expiresAt: Date.now() + TOKEN_LIFETIME_SECONDS * 1000 });
    return token;
  }

  function serve(service: 'core' | 'chat'): Server {
    return createServer((req, res) => {
      if (failNext > 0) {
        failNext--;
        req.socket.destroy();
        return;
      }
      void readJson(req).then((text) => answer(service, req, res, text));
    });
  }

  function answer(service: 'core' | 'chat', req: IncomingMessage, res: ServerResponse, text: string): void {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const operationID = header(req, 'operationid');
    const token = header(req, 'token');
    let body: unknown;
    let reply: { errCode: number; errMsg: string; errDlt: string; data?: unknown };
    try {
      if (req.method !== 'POST') throw new CodeError(404, 'NotFound');
      if (!operationID) throw argsError('header must have operationID');
      const schema = (BODIES[service] as Record<string, z.ZodType>)[path];
      if (!schema) throw new CodeError(404, 'NotFound', `no route ${path}`);
      if (!UNAUTHENTICATED.has(path)) {
        if (!token) throw argsError(service === 'core' ? 'header must have token' : 'token is empty');
        const held = tokens.get(token);
        if (!held || held.service !== service) throw new CodeError(1507, 'TokenNotExistError');
        if (held.expiresAt <= Date.now()) throw new CodeError(1501, 'TokenExpiredError');
      }
      try {
        body = JSON.parse(text);
      } catch {
        throw argsError('body is not JSON');
      }
      const parsed = schema.safeParse(body);
      if (!parsed.success) throw argsError(z.prettifyError(parsed.error));
      reply = { errCode: 0, errMsg: '', errDlt: '', data: handlers[path]!(parsed.data, service) };
    } catch (error) {
      if (!(error instanceof CodeError)) throw error;
      reply = { errCode: error.errCode, errMsg: error.errMsg, errDlt: error.errDlt };
    }
    calls.push({ service, path, operationID, token, body, errCode: reply.errCode });
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(reply));
  }

  const core = serve('core');
  const chat = serve('chat');
  const listen = (server: Server) =>
    new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
  const [coreUrl, chatUrl] = [await listen(core), await listen(chat)];

  return {
    coreUrl,
    chatUrl,
    calls,
    effects: () => calls.filter((call) => MUTATING.has(call.path) && call.errCode === 0),
    addMessage: (message) => void messages.push(message),
    isRevoked: (conversationID, seq) => revoked.has(`${conversationID}#${seq}`),
    mutedUntil: (groupID, userID) => muted.get(`${groupID}#${userID}`),
    isBlocked: (userID) => blocked.has(userID),
    expireTokens() {
      for (const held of tokens.values()) held.expiresAt = 0;
    },
    failConnections(count) {
      failNext = count;
    },
    env: ({ chat: withChat = true } = {}) => ({
      OPENIM_API_URL: coreUrl,
      OPENIM_SECRET: STAND_IN_SECRET,
      OPENIM_ADMIN_USER_ID: STAND_IN_ADMIN_USER_ID,
      ...(withChat ? { OPENIM_CHAT_API_URL: chatUrl, OPENIM_CHAT_ADMIN_ACCOUNT: STAND_IN_CHAT_ACCOUNT, OPENIM_CHAT_ADMIN_PASSWORD: STAND_IN_CHAT_PASSWORD } : {}),
    }),
    async stop() {
      for (const server of [core, chat]) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function readJson(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
