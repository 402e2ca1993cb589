/**
 * A local stand-in for OpenIM's admin REST API (core, and the chat service's admin API) that
 * answers as open-im-server @7848d7c and openimsdk/chat @73e7b82 do (see
 * shared/openim/admin/admin-client.ts and admin-outcome.ts for the sources):
 *   - every request is a POST with a JSON body and an `operationID` header, else ArgsError 1001;
 *     bodies are checked field by field against the proto messages (a wrong type is 1001, as Go's
 *     decoder fails; unknown fields are refused too, so a misspelt field cannot pass here and do
 *     nothing there); answers are HTTP 200 with `{errCode, errMsg, errDlt, data?}`, zero values
 *     left out of `data` as Go's omitempty does;
 *   - tokens. Core: an admin token for a userID of `imAdminUser.userIDs` turns that userID's
 *     earlier admin tokens into temporaries that pass for 5 more minutes, then 1507; an expired
 *     one is 1501; a string never issued is 1503 (malformed JWT). Chat: logins add tokens without
 *     retiring any; a token chat's Redis forgot is 20101, an expired one 1501. Core and chat tokens
 *     are not interchangeable;
 *   - revoke reads the message as the revoker (1004 when missing or cleared by them, 1404 when
 *     revoked) and notifies from the revoker to the receiver (single: both ends are pushed) or to
 *     every group member; mute and cancel-mute need a member (1004); the owner's mute is accepted
 *     and not enforced; block/add answers 1001 "user already blocked", block/del 1001 "user not
 *     blocked <ids>" (and deletes nothing), block/search matches a case-insensitive regex.
 * Tests seed messages and members, move the stand-in's clock, flush chat's tokens, issue tokens as
 * another party, fail connections before or after handling, and read the calls and the state.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as z from 'zod';

export const STAND_IN_SECRET = 'openim-stand-in-secret';
/** The suite's own admin, beside OpenIM chat's `imAdmin`, in the stand-in's `imAdminUser.userIDs`. */
export const STAND_IN_ADMIN_USER_ID = 'openimHooksAdmin';
export const CHAT_IM_ADMIN_USER_ID = 'imAdmin';
export const STAND_IN_CHAT_ACCOUNT = 'chatAdmin';
export const STAND_IN_CHAT_PASSWORD = 'chat-admin-password';
/** How long a retired core admin token still passes (cache/redis/token.go DeleteAndSetTemporary). */
export const TEMPORARY_TOKEN_MS = 5 * 60_000;
export const ROLE = { owner: 100, admin: 60, member: 20 } as const;

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
  readonly errDlt: string;
}

export interface Revocation {
  readonly conversationID: string;
  readonly seq: number;
  /** The request's userID, shown as who revoked (RevokeModel). */
  readonly revoker: string;
  /** The users whose devices receive the revoke notification. */
  readonly notified: readonly string[];
}

export interface OpenImAdminStandIn {
  readonly coreUrl: string;
  readonly chatUrl: string;
  readonly calls: RecordedCall[];
  /** Calls that changed state (revoke, mute, block...), successful ones only. */
  effects(): RecordedCall[];
  addMessage(message: StoredMessage): void;
  addGroupMember(groupID: string, userID: string, roleLevel?: number): void;
  /** The user cleared the conversation: OpenIM no longer finds its messages as that user. */
  clearHistory(userID: string, conversationID: string): void;
  isRevoked(conversationID: string, seq: number): boolean;
  revocations(): Revocation[];
  mutedUntil(groupID: string, userID: string): number | undefined;
  /** Whether OpenIM lets the member send (rpc/msg/verify.go: the owner is never held by a mute). */
  canSend(groupID: string, userID: string): boolean;
  isBlocked(userID: string): boolean;
  /** As an operator would in chat's own console. */
  block(userID: string): void;
  unblock(userID: string): void;
  /** Every token issued so far is expired from now on. */
  expireTokens(): void;
  /** Chat's Redis lost its tokens (flush, restart): they answer 20101 from now on. */
  forgetChatTokens(): void;
  /** Another party (chat, another Lambda instance) gets an admin token for `userID`. */
  issueCoreAdminToken(userID: string): string;
  /** Moves the stand-in's clock (token lifetimes, mutes). */
  advanceClock(ms: number): void;
  /** The next `count` requests get their connection destroyed before any handling. */
  failConnections(count: number): void;
  /** The next `count` requests (to `path`, if given) are handled, then their connection is destroyed before the answer. */
  loseAnswers(count: number, path?: string): void;
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
    '/group/get_group_members_info': z.strictObject({ groupID: z.string(), userIDs: z.array(z.string()) }),
    '/group/mute_group_member': z.strictObject({ groupID: z.string(), userID: z.string(), mutedSeconds: z.number().int().nonnegative().max(0xffffffff) }),
    '/group/cancel_mute_group_member': z.strictObject({ groupID: z.string(), userID: z.string() }),
  },
  chat: {
    '/account/login': z.strictObject({ account: z.string(), password: z.string(), version: z.string() }),
    '/block/add': z.strictObject({ userID: z.string(), reason: z.string() }),
    '/block/del': z.strictObject({ userIDs: z.array(z.string()) }),
    '/block/search': z.strictObject({ keyword: z.string(), pagination: Pagination }),
  },
} as const;
type Body<S extends keyof typeof BODIES, P extends keyof (typeof BODIES)[S]> = z.infer<(typeof BODIES)[S][P] & z.ZodType>;
const UNAUTHENTICATED = new Set(['/auth/get_admin_token', '/account/login']);
const MUTATING = new Set(['/msg/revoke_msg', '/group/mute_group_member', '/group/cancel_mute_group_member', '/block/add', '/block/del']);
const SINGLE_CHAT = 1;

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
const notFound = (detail: string) => new CodeError(1004, 'RecordNotFoundError', detail);

interface HeldToken {
  readonly service: 'core' | 'chat';
  readonly userID: string;
  expiresAt: number;
  /** Core: retired by a newer admin token; passes until this time. */
  temporaryUntil?: number;
  /** Chat: no longer in chat's Redis. */
  forgotten?: boolean;
}

/** Drops zero values, as Go's encoding/json does with the `omitempty` tags of generated protos. */
const omitEmpty = (value: Record<string, unknown>) => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== 0 && v !== '' && v !== false));

export async function startOpenImAdminStandIn(): Promise<OpenImAdminStandIn> {
  const calls: RecordedCall[] = [];
  const messages: StoredMessage[] = [];
  const cleared = new Map<string, number>();
  const revoked = new Set<string>();
  const revocations: Revocation[] = [];
  const members = new Map<string, Map<string, { roleLevel: number; muteEndTime: number }>>();
  const blocked = new Map<string, { reason: string; opUserID: string; createTime: number }>();
  const tokens = new Map<string, HeldToken>();
  const adminUserIDs = [CHAT_IM_ADMIN_USER_ID, STAND_IN_ADMIN_USER_ID];
  let clockOffset = 0;
  let failNext = 0;
  let loseNext = 0;
  let losePath: string | undefined;
  const now = () => Date.now() + clockOffset;
  const users = () => new Set([...adminUserIDs, ...messages.flatMap((m) => [m.sendID, ...(m.sessionType === SINGLE_CHAT ? [m.recvID] : [])])]);
  const groupOf = (groupID: string) => members.get(groupID) ?? members.set(groupID, new Map()).get(groupID)!;
  const memberOf = (groupID: string, userID: string) => members.get(groupID)?.get(userID);

  function issueCore(userID: string): string {
    for (const held of tokens.values()) {
      if (held.service === 'core' && held.userID === userID && held.temporaryUntil === undefined) held.temporaryUntil = now() + TEMPORARY_TOKEN_MS;
    }
    return issue('core', userID);
  }

  function issue(service: 'core' | 'chat', userID: string): string {
    const token = `${service}-${randomUUID()}`;
    tokens.set(token, { service, userID, expiresAt: now() + TOKEN_LIFETIME_SECONDS * 1000 });
    return token;
  }

  /** The token's user, or the code each service answers (core rpc/auth parseToken; chat api/mw + rpc/admin/token.go). */
  function authenticate(service: 'core' | 'chat', token: string | undefined): string {
    if (!token) throw argsError(service === 'core' ? 'header must have token' : 'token is empty');
    const held = tokens.get(token);
    if (!held || held.service !== service) throw new CodeError(1503, 'TokenMalformedError');
    if (held.expiresAt <= now()) throw new CodeError(1501, 'TokenExpiredError');
    if (held.forgotten) throw new CodeError(20101, 'ErrTokenNotExist');
    if (held.temporaryUntil !== undefined && held.temporaryUntil <= now()) throw new CodeError(1507, 'TokenNotExistError');
    return held.userID;
  }

  const handlers: Record<string, (body: any, opUserID: string) => unknown> = {
    '/auth/get_admin_token': (body: Body<'core', '/auth/get_admin_token'>) => {
      if (body.secret !== STAND_IN_SECRET) throw new CodeError(1002, 'NoPermissionError', 'secret invalid');
      if (!adminUserIDs.includes(body.userID)) throw argsError('userID is error.');
      return { token: issueCore(body.userID), expireTimeSeconds: TOKEN_LIFETIME_SECONDS };
    },
    '/msg/search_msg': (body: Body<'core', '/msg/search_msg'>) => {
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
        chatLogs: page.map((m) => ({ chatLog: { ...m, groupID: m.sessionType === SINGLE_CHAT ? '' : m.recvID }, isRevoked: revoked.has(`${m.conversationID}#${m.seq}`) })),
        chatLogsNum: hits.length,
      };
    },
    '/msg/revoke_msg': (body: Body<'core', '/msg/revoke_msg'>) => {
      if (!body.userID) throw argsError('user_id is empty');
      if (!body.conversationID) throw argsError('conversation_id is empty');
      if (body.seq < 0) throw argsError('seq is invalid');
      if (!users().has(body.userID)) throw notFound('user not found');
      const key = `${body.conversationID}#${body.seq}`;
      const message = messages.find((m) => `${m.conversationID}#${m.seq}` === key);
      // GetMsgBySeqs reads as the revoker: below their cleared seq the message is not there.
      if (!message || body.seq < (cleared.get(`${body.userID}#${body.conversationID}`) ?? 0)) throw notFound('msg not found');
      if (revoked.has(key)) throw new CodeError(1404, 'MsgAlreadyRevoke', 'msg already revoke');
      revoked.add(key);
      const notified = message.sessionType === SINGLE_CHAT ? [body.userID, message.recvID] : [...groupOf(message.recvID).keys()];
      revocations.push({ conversationID: body.conversationID, seq: body.seq, revoker: body.userID, notified: [...new Set(notified)] });
      return {};
    },
    '/group/get_group_members_info': (body: Body<'core', '/group/get_group_members_info'>) => {
      if (body.userIDs.length === 0) throw argsError('userIDs empty');
      if (!body.groupID) throw argsError('groupID empty');
      return {
        members: body.userIDs.flatMap((userID) => {
          const member = memberOf(body.groupID, userID);
          return member ? [omitEmpty({ groupID: body.groupID, userID, roleLevel: member.roleLevel, muteEndTime: member.muteEndTime, nickname: userID })] : [];
        }),
      };
    },
    '/group/mute_group_member': (body: Body<'core', '/group/mute_group_member'>) => {
      const member = memberOf(body.groupID, body.userID);
      if (!member) throw notFound('mongo: no documents in result');
      member.muteEndTime = now() + body.mutedSeconds * 1000;
      return {};
    },
    '/group/cancel_mute_group_member': (body: Body<'core', '/group/cancel_mute_group_member'>) => {
      const member = memberOf(body.groupID, body.userID);
      if (!member) throw notFound('mongo: no documents in result');
      member.muteEndTime = 0;
      return {};
    },
    '/account/login': (body: Body<'chat', '/account/login'>) => {
      if (!body.version) throw new CodeError(500, 'ServerInternalError', 'openim-admin-front version too old, please use new version');
      if (body.account !== STAND_IN_CHAT_ACCOUNT) throw new CodeError(20002, 'AccountNotFound');
      if (body.password !== createHash('md5').update(STAND_IN_CHAT_PASSWORD).digest('hex')) throw new CodeError(20001, 'PasswordError');
      return { adminAccount: body.account, adminToken: issue('chat', 'chat-admin-1'), nickname: 'chat admin', level: 100, adminUserID: 'chat-admin-1' };
    },
    '/block/add': (body: Body<'chat', '/block/add'>, opUserID) => {
      if (blocked.has(body.userID)) throw argsError('user already blocked');
      blocked.set(body.userID, { reason: body.reason, opUserID, createTime: now() });
      return {};
    },
    '/block/del': (body: Body<'chat', '/block/del'>) => {
      if (body.userIDs.length === 0) throw argsError('empty user id');
      if (new Set(body.userIDs).size !== body.userIDs.length) throw argsError('duplicate user id');
      const missing = body.userIDs.filter((userID) => !blocked.has(userID));
      if (missing.length > 0) throw argsError(`user not blocked ${missing.join(', ')}`);
      for (const userID of body.userIDs) blocked.delete(userID);
      return {};
    },
    '/block/search': (body: Body<'chat', '/block/search'>) => {
      const pattern = body.keyword ? new RegExp(body.keyword, 'i') : undefined;
      const hits = [...blocked].filter(([userID, info]) => !pattern || [userID, info.reason, info.opUserID].some((text) => pattern.test(text)));
      const page = hits.slice((body.pagination.pageNumber - 1) * body.pagination.showNumber, body.pagination.pageNumber * body.pagination.showNumber);
      return { total: hits.length, users: page.map(([userID, info]) => omitEmpty({ userID, reason: info.reason, opUserID: info.opUserID, createTime: info.createTime })) };
    },
  };

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
      const opUserID = UNAUTHENTICATED.has(path) ? '' : authenticate(service, token);
      try {
        body = JSON.parse(text);
      } catch {
        throw argsError('body is not JSON');
      }
      const parsed = schema.safeParse(body);
      if (!parsed.success) throw argsError(z.prettifyError(parsed.error));
      reply = { errCode: 0, errMsg: '', errDlt: '', data: handlers[path]!(parsed.data, opUserID) };
    } catch (error) {
      if (!(error instanceof CodeError)) throw error;
      reply = { errCode: error.errCode, errMsg: error.errMsg, errDlt: error.errDlt };
    }
    calls.push({ service, path, operationID, token, body, errCode: reply.errCode, errDlt: reply.errDlt });
    if (loseNext > 0 && (losePath === undefined || losePath === path)) {
      loseNext--;
      req.socket.destroy();
      return;
    }
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
    addMessage(message) {
      messages.push(message);
      // Whoever sent to a group is one of its members.
      if (message.sessionType !== SINGLE_CHAT && !memberOf(message.recvID, message.sendID)) groupOf(message.recvID).set(message.sendID, { roleLevel: ROLE.member, muteEndTime: 0 });
    },
    addGroupMember: (groupID, userID, roleLevel = ROLE.member) => void groupOf(groupID).set(userID, { roleLevel, muteEndTime: 0 }),
    clearHistory(userID, conversationID) {
      const maxSeq = Math.max(0, ...messages.filter((m) => m.conversationID === conversationID).map((m) => m.seq));
      cleared.set(`${userID}#${conversationID}`, maxSeq + 1);
    },
    isRevoked: (conversationID, seq) => revoked.has(`${conversationID}#${seq}`),
    revocations: () => [...revocations],
    mutedUntil: (groupID, userID) => (memberOf(groupID, userID)?.muteEndTime || undefined),
    canSend(groupID, userID) {
      const member = memberOf(groupID, userID);
      return member !== undefined && (member.roleLevel === ROLE.owner || member.muteEndTime < now());
    },
    isBlocked: (userID) => blocked.has(userID),
    block: (userID) => void blocked.set(userID, { reason: 'blocked in the console', opUserID: 'console', createTime: now() }),
    unblock: (userID) => void blocked.delete(userID),
    expireTokens() {
      for (const held of tokens.values()) held.expiresAt = 0;
    },
    forgetChatTokens() {
      for (const held of tokens.values()) if (held.service === 'chat') held.forgotten = true;
    },
    issueCoreAdminToken: (userID) => issueCore(userID),
    advanceClock(ms) {
      clockOffset += ms;
    },
    failConnections(count) {
      failNext = count;
    },
    loseAnswers(count, path) {
      loseNext = count;
      losePath = path;
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
