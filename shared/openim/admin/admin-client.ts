/**
 * OpenIM's admin REST API, for carrying out moderators' decisions. Checked against
 * open-im-server main @7848d7c (internal/api/router.go, protocol msg/group/auth .proto) and
 * openimsdk/chat @73e7b82 (internal/api/admin/start.go, pkg/protocol/admin/admin.proto):
 *
 *   core  POST /auth/get_admin_token        {secret, userID} -> {token, expireTimeSeconds (a lifetime)}
 *         POST /msg/search_msg              {sendID, recvID, contentType, sendTime "YYYY-MM-DD", sessionType, pagination}
 *         POST /msg/revoke_msg              {conversationID, seq, userID (the revoker)}
 *         POST /group/get_group_members_info {groupID, userIDs} -> {members: [{userID, roleLevel, muteEndTime}]}
 *         POST /group/mute_group_member     {groupID, userID, mutedSeconds}
 *         POST /group/cancel_mute_group_member {groupID, userID}
 *   chat  POST /account/login               {account, password (MD5 hex), version} -> {adminToken, ...}
 *         POST /block/add                   {userID, reason}   (also forces the user offline)
 *         POST /block/del                   {userIDs: [...]}
 *         POST /block/search                {keyword (a case-insensitive regex), pagination} -> {users: [{userID}]}
 *
 * Changes answer with an AdminOutcome (admin-outcome.ts): a state that already holds is success.
 * A change whose answer was lost is re-checked before it is sent again: the block list and a
 * member's mute are read; a revoke is sent again as is, because OpenIM's revoke reads the message
 * first and answers 1404 without acting when the lost call had revoked it.
 */
import { createHash } from 'node:crypto';
import type { OpenImAdminConfig } from './admin-config.ts';
import { ERR_CODES, meansAlreadyHeld, type AdminOutcome } from './admin-outcome.ts';
import { ChatServiceNotConfiguredError, OpenImApiError, OpenImOutcomeUnknownError } from './errors.ts';
import { OpenImCaller, newOperationID, type OpenImAnswer } from './openim-caller.ts';
import { TokenCache } from './token-cache.ts';

/**
 * The codes each service answers for a token it no longer honours (openimsdk/tools errs), on which
 * the token is fetched again once. Core (rpc/auth parseToken and tools tokenverify): expired,
 * malformed, not valid yet, unknown, kicked, not exist. Chat (api/mw/mw.go, rpc/admin/token.go,
 * tokenverify): the same JWT checks, 1501 for a kicked token or an empty token map, and its own
 * 20101 ErrTokenNotExist when its Redis no longer holds the token (flush, restart). 1502 is
 * produced by neither.
 */
export const TOKEN_REFRESH_CODES = {
  core: new Set([1501, 1503, 1504, 1505, 1506, 1507]),
  chat: new Set([1501, 1503, 1504, 1505, 20101]),
} as const;

/**
 * OpenIM main turns a userID's earlier admin tokens into 5-minute temporaries whenever it issues
 * a new one (storage/controller/auth.go, cache/redis/token.go), then answers 1507. A core token is
 * used for at most 4 minutes (as chat does itself, pkg/common/imapi/caller.go), so a token fetched
 * by another Lambda instance never leaves this one holding a dead token.
 */
export const CORE_TOKEN_MAX_AGE_MS = 4 * 60_000;
/** Sent as `version` to chat's admin login, which refuses an empty one as "front too old". */
const CHAT_LOGIN_VERSION = 'openim-hooks';
const SEARCH_PAGE_SIZE = 100;
const SEARCH_MAX_PAGES = 20;
const SINGLE_CHAT = 1;
/** constant.GroupOwner: OpenIM lets such a member send whatever its mute says (rpc/msg/verify.go). */
const GROUP_OWNER = 100;
/** Clock difference allowed when reading back a mute's end. */
const CLOCK_TOLERANCE_MS = 60_000;
const FORBID_NOTE =
  "chat's block list is checked only when the user logs in to chat; /block/add forced their sessions offline, so the ban holds at their next login";

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

export interface RevokeTarget {
  readonly conversationID: string;
  readonly seq: number;
  readonly sendID: string;
  readonly sessionType: number;
}

export interface OpenImAdminClientDeps {
  readonly fetch?: typeof globalThis.fetch;
  readonly now?: () => number;
  readonly backoffMs?: number;
}

interface Service {
  readonly caller: OpenImCaller;
  readonly tokens: TokenCache;
  readonly refreshCodes: ReadonlySet<number>;
}

interface StateRead {
  readonly held: boolean;
  readonly answers: readonly OpenImAnswer[];
}

export class OpenImAdminClient {
  private readonly core: Service;
  private readonly chat: Service | undefined;
  private readonly now: () => number;

  constructor(
    private readonly config: OpenImAdminConfig,
    deps: OpenImAdminClientDeps = {},
  ) {
    this.now = deps.now ?? Date.now;
    const callerOptions = { timeoutMs: config.requestTimeoutMs, maxAttempts: config.maxAttempts, backoffMs: deps.backoffMs, fetch: deps.fetch };
    const coreCaller = new OpenImCaller(config.apiUrl, callerOptions);
    const coreTokens = new TokenCache(
      async () => {
        const answer = await coreCaller.post('/auth/get_admin_token', { secret: config.secret, userID: config.adminUserID });
        if (answer.errCode === ERR_CODES.args) {
          throw new OpenImApiError(answer.path, answer.errCode, `${config.adminUserID} is not an OpenIM admin: add it to share.yml imAdminUser.userIDs (with a nickname at the same index)`, answer.errDlt, answer.operationID);
        }
        const data = succeeded(answer).data as { token?: unknown; expireTimeSeconds?: unknown } | undefined;
        if (typeof data?.token !== 'string') throw new OpenImApiError(answer.path, -1, 'no token in the answer', '', answer.operationID);
        return { token: data.token, expiresInSeconds: Number(data.expireTimeSeconds) || undefined };
      },
      this.now,
      CORE_TOKEN_MAX_AGE_MS,
    );
    this.core = { caller: coreCaller, tokens: coreTokens, refreshCodes: TOKEN_REFRESH_CODES.core };
    if (config.chat) {
      const chat = config.chat;
      const chatCaller = new OpenImCaller(chat.apiUrl, callerOptions);
      const chatTokens = new TokenCache(async () => {
        const password = createHash('md5').update(chat.password).digest('hex');
        const answer = succeeded(await chatCaller.post('/account/login', { account: chat.account, password, version: CHAT_LOGIN_VERSION }));
        const data = answer.data as { adminToken?: unknown } | undefined;
        if (typeof data?.adminToken !== 'string') throw new OpenImApiError(answer.path, -1, 'no adminToken in the answer', '', answer.operationID);
        return { token: data.adminToken };
      }, this.now);
      this.chat = { caller: chatCaller, tokens: chatTokens, refreshCodes: TOKEN_REFRESH_CODES.chat };
    }
  }

  /** Whether forbidding users is possible here (OpenIM chat is configured). */
  get canForbid(): boolean {
    return this.chat !== undefined;
  }

  get adminUserID(): string {
    return this.config.adminUserID;
  }

  /**
   * The stored message's seq, or undefined when OpenIM holds no such message (yet). A fallback for
   * when the audit trail has no afterMsgSaveDB record: `search_msg` filters Mongo's message
   * documents with no index to serve it (storage/database/mgo/msg.go), so it reads the whole
   * collection, up to SEARCH_MAX_PAGES times.
   */
  async findMessage(locator: MessageLocator): Promise<FoundMessage | undefined> {
    const operationID = newOperationID();
    for (let pageNumber = 1; pageNumber <= SEARCH_MAX_PAGES; pageNumber++) {
      const answer = succeeded(
        await this.authorised(this.core, '/msg/search_msg', {
          sendID: locator.sendID,
          recvID: locator.recvID,
          contentType: locator.contentType,
          sendTime: locator.sendTime > 0 ? new Date(locator.sendTime).toISOString().slice(0, 10) : '',
          sessionType: locator.sessionType,
          pagination: { pageNumber, showNumber: SEARCH_PAGE_SIZE },
        }, operationID),
      );
      const logs = ((answer.data as { chatLogs?: unknown } | undefined)?.chatLogs ?? []) as { chatLog?: Record<string, unknown>; isRevoked?: boolean }[];
      const hit = logs.find((entry) => entry.chatLog?.clientMsgID === locator.clientMsgID);
      if (hit) return { seq: Number(hit.chatLog!.seq), isRevoked: hit.isRevoked === true };
      if (logs.length < SEARCH_PAGE_SIZE) return undefined;
    }
    return undefined;
  }

  /**
   * Revokes the message so that both sides are told. OpenIM sends the revoke notification from the
   * revoker to the message's receiver or group (rpc/msg/revoke.go), and pushes a single-chat
   * notification to its two ends only: revoked in the sender's name, the sender's own devices
   * are told as well; in the admin's, only the receiver's. A group notification reaches every
   * member, so group messages are revoked as the admin. Either way the token's user (the admin)
   * is `revokerUserID` and `isAdminRevoke` is true in the notification.
   */
  async revokeMessage(target: RevokeTarget, operationID: string = newOperationID()): Promise<AdminOutcome> {
    const asSender = target.sessionType === SINGLE_CHAT && target.sendID !== '';
    const revoke = (userID: string) => this.change(this.core, '/msg/revoke_msg', { conversationID: target.conversationID, seq: target.seq, userID }, operationID);
    if (!asSender) return revoke(this.config.adminUserID);
    try {
      return await revoke(target.sendID);
    } catch (error) {
      // OpenIM reads the message as the revoker: a sender who cleared the chat no longer has it.
      if (!(error instanceof OpenImApiError) || error.errCode !== ERR_CODES.recordNotFound) throw error;
      const outcome = await revoke(this.config.adminUserID);
      return { ...outcome, answers: [answerOf(error), ...outcome.answers], note: "the sender's copy was gone (cleared history), so only the receiver's devices were told" };
    }
  }

  /** Why OpenIM would accept a mute of `userID` in `groupID` and not enforce it; undefined when it would hold. */
  async muteWouldNotHold(groupID: string, userID: string, operationID: string = newOperationID()): Promise<string | undefined> {
    return whyMuteWouldNotHold(groupID, userID, (await this.groupMember(groupID, userID, operationID)).member);
  }

  /** Mutes a member; the group owner and non-members are reported as noEffect, with no mute call. */
  async muteGroupMember(groupID: string, userID: string, mutedSeconds: number, operationID: string = newOperationID()): Promise<AdminOutcome> {
    const { member, answer } = await this.groupMember(groupID, userID, operationID);
    const why = whyMuteWouldNotHold(groupID, userID, member);
    if (why) return { effect: 'noEffect', answers: [answer], note: why };
    const until = this.now() + mutedSeconds * 1000 - CLOCK_TOLERANCE_MS;
    const outcome = await this.change(this.core, '/group/mute_group_member', { groupID, userID, mutedSeconds }, operationID, async () => {
      const read = await this.groupMember(groupID, userID, operationID);
      return { held: (read.member?.muteEndTime ?? 0) >= until, answers: [read.answer] };
    });
    return { ...outcome, answers: [answer, ...outcome.answers] };
  }

  cancelMuteGroupMember(groupID: string, userID: string, operationID: string = newOperationID()): Promise<AdminOutcome> {
    return this.change(this.core, '/group/cancel_mute_group_member', { groupID, userID }, operationID, async () => {
      const read = await this.groupMember(groupID, userID, operationID);
      return { held: (read.member?.muteEndTime ?? 0) <= this.now(), answers: [read.answer] };
    });
  }

  /** @throws ChatServiceNotConfiguredError when OpenIM chat is not configured. */
  async forbidUser(userID: string, reason: string, operationID: string = newOperationID()): Promise<AdminOutcome> {
    const chat = this.requireChat();
    const outcome = await this.change(chat, '/block/add', { userID, reason }, operationID, async () => this.readBlocked(userID, operationID, true));
    const note = outcome.effect === 'alreadyApplied' ? "already on chat's block list, which is checked only when the user logs in to chat; no session was forced offline now" : FORBID_NOTE;
    return { ...outcome, note: outcome.note ? `${outcome.note}; ${note}` : note };
  }

  /** @throws ChatServiceNotConfiguredError when OpenIM chat is not configured. */
  liftForbid(userID: string, operationID: string = newOperationID()): Promise<AdminOutcome> {
    const chat = this.requireChat();
    return this.change(chat, '/block/del', { userIDs: [userID] }, operationID, async () => this.readBlocked(userID, operationID, false));
  }

  /**
   * Sends a change and reads its outcome. When the answer was lost, `readBack` (if any) reads the
   * state: held means the lost call applied it; otherwise the change is sent again, at most
   * `maxAttempts` times in all.
   */
  private async change(service: Service, path: string, body: unknown, operationID: string, readBack?: () => Promise<StateRead>): Promise<AdminOutcome> {
    const answers: OpenImAnswer[] = [];
    let lost = false;
    for (let attempt = 1; ; attempt++) {
      let answer: OpenImAnswer;
      try {
        answer = await this.authorised(service, path, body, operationID, true);
      } catch (error) {
        if (!(error instanceof OpenImOutcomeUnknownError) || attempt >= this.config.maxAttempts) throw error;
        lost = true;
        const read = await readBack?.();
        if (read) answers.push(...read.answers);
        if (read?.held) return { effect: 'applied', answers, note: 'read back after an unanswered call' };
        continue;
      }
      answers.push(answer);
      if (answer.errCode === 0) return { effect: 'applied', answers };
      // After a lost answer, "already so" most likely means the lost call did it.
      if (meansAlreadyHeld(answer)) return lost ? { effect: 'applied', answers, note: 'an unanswered earlier call had applied it' } : { effect: 'alreadyApplied', answers };
      throw apiError(answer);
    }
  }

  private async groupMember(groupID: string, userID: string, operationID: string): Promise<{ member?: { roleLevel: number; muteEndTime: number }; answer: OpenImAnswer }> {
    const answer = succeeded(await this.authorised(this.core, '/group/get_group_members_info', { groupID, userIDs: [userID] }, operationID));
    const members = ((answer.data as { members?: unknown } | undefined)?.members ?? []) as { userID?: string; roleLevel?: number; muteEndTime?: number }[];
    const found = members.find((member) => member.userID === userID);
    // Go's encoding/json leaves zero values out (omitempty).
    return { answer, ...(found ? { member: { roleLevel: found.roleLevel ?? 0, muteEndTime: found.muteEndTime ?? 0 } } : {}) };
  }

  /** Whether chat's block list holds `userID` equals `expected`; the keyword is a regex, so it is anchored and escaped. */
  private async readBlocked(userID: string, operationID: string, expected: boolean): Promise<StateRead> {
    const keyword = `^${escapeRegExp(userID)}$`;
    const answer = succeeded(await this.authorised(this.requireChat(), '/block/search', { keyword, pagination: { pageNumber: 1, showNumber: 20 } }, operationID));
    const users = ((answer.data as { users?: unknown } | undefined)?.users ?? []) as { userID?: string }[];
    return { held: users.some((user) => user.userID === userID) === expected, answers: [answer] };
  }

  private requireChat(): Service {
    if (!this.chat) throw new ChatServiceNotConfiguredError();
    return this.chat;
  }

  /** Calls with the service's cached token; on one of its token codes, once more with a fresh one. */
  private async authorised(service: Service, path: string, body: unknown, operationID: string, changesState = false): Promise<OpenImAnswer> {
    const token = await service.tokens.get();
    const answer = await service.caller.post(path, body, token, operationID, { changesState });
    if (!service.refreshCodes.has(answer.errCode)) return answer;
    service.tokens.invalidate(token);
    return service.caller.post(path, body, await service.tokens.get(), operationID, { changesState });
  }
}

function whyMuteWouldNotHold(groupID: string, userID: string, member: { roleLevel: number } | undefined): string | undefined {
  if (!member) return `${userID} is not a member of ${groupID}`;
  if (member.roleLevel === GROUP_OWNER) return `${userID} owns ${groupID}, and OpenIM does not enforce mutes on a group owner`;
  return undefined;
}

/** @throws OpenImApiError for a non-zero errCode. */
function succeeded(answer: OpenImAnswer): OpenImAnswer {
  if (answer.errCode !== 0) throw apiError(answer);
  return answer;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const apiError = (answer: OpenImAnswer) => new OpenImApiError(answer.path, answer.errCode, answer.errMsg, answer.errDlt, answer.operationID);

/** OpenIM's answer as carried by the error it became. */
export const answerOf = (error: OpenImApiError): OpenImAnswer => ({ path: error.path, operationID: error.operationID, errCode: error.errCode, errMsg: error.errMsg, errDlt: error.errDlt });
