/**
 * OpenIM's admin REST API, for carrying out moderators' decisions. Checked against
 * open-im-server main @7848d7c (internal/api/router.go, protocol msg/group/auth .proto) and
 * openimsdk/chat @73e7b82 (internal/api/admin/start.go, pkg/protocol/admin/admin.proto):
 *
 *   core  POST /auth/get_admin_token        {secret, userID} -> {token, expireTimeSeconds (a lifetime)}
 *         POST /msg/search_msg              {sendID, recvID, contentType, sendTime "YYYY-MM-DD", sessionType, pagination}
 *         POST /msg/revoke_msg              {conversationID, seq, userID (the revoker)}
 *         POST /group/mute_group_member     {groupID, userID, mutedSeconds}
 *         POST /group/cancel_mute_group_member {groupID, userID}
 *   chat  POST /account/login               {account, password (MD5 hex), version} -> {adminToken, ...}
 *         POST /block/add                   {userID, reason}   (also forces the user offline)
 *         POST /block/del                   {userIDs: [...]}
 *
 * A seq is needed to revoke and is 0 in the send callbacks (openim-callbacks.md), so the message
 * is found by its clientMsgID among the sender's messages of that day (`search_msg`).
 */
import { createHash } from 'node:crypto';
import type { OpenImAdminConfig } from './admin-config.ts';
import { ChatServiceNotConfiguredError, OpenImApiError } from './errors.ts';
import { OpenImCaller, newOperationID, type OpenImAnswer } from './openim-caller.ts';
import { TokenCache } from './token-cache.ts';

/** openimsdk/tools errs: TokenExpired .. TokenNotExist; both core and chat use them. */
const TOKEN_ERROR_CODES = new Set([1501, 1502, 1503, 1504, 1505, 1506, 1507]);
/** OpenIM's MsgAlreadyRevoke. */
export const MSG_ALREADY_REVOKED = 1404;
/** Sent as `version` to chat's admin login, which refuses an empty one as "front too old". */
const CHAT_LOGIN_VERSION = 'openim-hooks';
const SEARCH_PAGE_SIZE = 100;
const SEARCH_MAX_PAGES = 20;

export interface MessageLocator {
  readonly sendID: string;
  /** The group for group messages, the receiver for single chats. */
  readonly recvID: string;
  readonly sessionType: number;
  readonly contentType: number;
  readonly clientMsgID: string;
  /** Unix ms; 0 when unknown (the whole history is searched). */
  readonly sendTime: number;
}

export interface FoundMessage {
  readonly seq: number;
  readonly isRevoked: boolean;
}

export interface OpenImAdminClientDeps {
  readonly fetch?: typeof globalThis.fetch;
  readonly now?: () => number;
  readonly backoffMs?: number;
}

export class OpenImAdminClient {
  private readonly core: OpenImCaller;
  private readonly chat: OpenImCaller | undefined;
  private readonly coreToken: TokenCache;
  private readonly chatToken: TokenCache | undefined;

  constructor(
    private readonly config: OpenImAdminConfig,
    deps: OpenImAdminClientDeps = {},
  ) {
    const callerOptions = { timeoutMs: config.requestTimeoutMs, maxAttempts: config.maxAttempts, backoffMs: deps.backoffMs, fetch: deps.fetch };
    this.core = new OpenImCaller(config.apiUrl, callerOptions);
    this.coreToken = new TokenCache(async () => {
      const answer = succeeded(await this.core.post('/auth/get_admin_token', { secret: config.secret, userID: config.adminUserID }));
      const data = answer.data as { token?: unknown; expireTimeSeconds?: unknown } | undefined;
      if (typeof data?.token !== 'string') throw new OpenImApiError(answer.path, -1, 'no token in the answer', '', answer.operationID);
      return { token: data.token, expiresInSeconds: Number(data.expireTimeSeconds) || undefined };
    }, deps.now);
    if (config.chat) {
      const chat = config.chat;
      this.chat = new OpenImCaller(chat.apiUrl, callerOptions);
      this.chatToken = new TokenCache(async () => {
        const password = createHash('md5').update(chat.password).digest('hex');
        const answer = succeeded(await this.chat!.post('/account/login', { account: chat.account, password, version: CHAT_LOGIN_VERSION }));
        const data = answer.data as { adminToken?: unknown } | undefined;
        if (typeof data?.adminToken !== 'string') throw new OpenImApiError(answer.path, -1, 'no adminToken in the answer', '', answer.operationID);
        return { token: data.adminToken };
      }, deps.now);
    }
  }

  /** Whether forbidding users is possible here (OpenIM chat is configured). */
  get canForbid(): boolean {
    return this.chat !== undefined;
  }

  get adminUserID(): string {
    return this.config.adminUserID;
  }

  /** The stored message's seq, or undefined when OpenIM holds no such message (yet). */
  async findMessage(locator: MessageLocator): Promise<FoundMessage | undefined> {
    const operationID = newOperationID();
    for (let pageNumber = 1; pageNumber <= SEARCH_MAX_PAGES; pageNumber++) {
      const answer = await this.coreCall('/msg/search_msg', {
        sendID: locator.sendID,
        recvID: locator.recvID,
        contentType: locator.contentType,
        sendTime: locator.sendTime > 0 ? new Date(locator.sendTime).toISOString().slice(0, 10) : '',
        sessionType: locator.sessionType,
        pagination: { pageNumber, showNumber: SEARCH_PAGE_SIZE },
      }, operationID);
      const logs = ((answer.data as { chatLogs?: unknown } | undefined)?.chatLogs ?? []) as { chatLog?: Record<string, unknown>; isRevoked?: boolean }[];
      const hit = logs.find((entry) => entry.chatLog?.clientMsgID === locator.clientMsgID);
      if (hit) return { seq: Number(hit.chatLog!.seq), isRevoked: hit.isRevoked === true };
      if (logs.length < SEARCH_PAGE_SIZE) return undefined;
    }
    return undefined;
  }

  revokeMessage(conversationID: string, seq: number, operationID?: string): Promise<OpenImAnswer> {
    return this.coreCall('/msg/revoke_msg', { conversationID, seq, userID: this.config.adminUserID }, operationID);
  }

  muteGroupMember(groupID: string, userID: string, mutedSeconds: number, operationID?: string): Promise<OpenImAnswer> {
    return this.coreCall('/group/mute_group_member', { groupID, userID, mutedSeconds }, operationID);
  }

  cancelMuteGroupMember(groupID: string, userID: string, operationID?: string): Promise<OpenImAnswer> {
    return this.coreCall('/group/cancel_mute_group_member', { groupID, userID }, operationID);
  }

  /** @throws ChatServiceNotConfiguredError when OpenIM chat is not configured. */
  forbidUser(userID: string, reason: string, operationID?: string): Promise<OpenImAnswer> {
    return this.chatCall('/block/add', { userID, reason }, operationID);
  }

  /** @throws ChatServiceNotConfiguredError when OpenIM chat is not configured. */
  liftForbid(userID: string, operationID?: string): Promise<OpenImAnswer> {
    return this.chatCall('/block/del', { userIDs: [userID] }, operationID);
  }

  private coreCall(path: string, body: unknown, operationID?: string): Promise<OpenImAnswer> {
    return authorised(this.core, this.coreToken, path, body, operationID ?? newOperationID());
  }

  private chatCall(path: string, body: unknown, operationID?: string): Promise<OpenImAnswer> {
    if (!this.chat || !this.chatToken) return Promise.reject(new ChatServiceNotConfiguredError());
    return authorised(this.chat, this.chatToken, path, body, operationID ?? newOperationID());
  }
}

/** Calls with the cached token; on a token error, once more with a fresh one. */
async function authorised(caller: OpenImCaller, tokens: TokenCache, path: string, body: unknown, operationID: string): Promise<OpenImAnswer> {
  const token = await tokens.get();
  const answer = await caller.post(path, body, token, operationID);
  if (!TOKEN_ERROR_CODES.has(answer.errCode)) return succeeded(answer);
  tokens.invalidate(token);
  return succeeded(await caller.post(path, body, await tokens.get(), operationID));
}

/** @throws OpenImApiError for a non-zero errCode. */
function succeeded(answer: OpenImAnswer): OpenImAnswer {
  if (answer.errCode !== 0) throw new OpenImApiError(answer.path, answer.errCode, answer.errMsg, answer.errDlt, answer.operationID);
  return answer;
}
