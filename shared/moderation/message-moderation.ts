/**
 * Moderation in the send path (before-send single and group, and message-modify):
 *   blocked -> the send is stopped with errCode 10101 and a message the sender's client shows;
 *   flagged -> the send continues and the message goes to the review queue (a chat event);
 *   masked  -> the send continues and message-modify replaces each match with `*`.
 * The send path does one durable thing per blocked or flagged message: it publishes the event.
 * The review worker counts the violation per user from it (repeat-offender rules), off the send
 * path. Each decision carries the policy version that made it.
 *
 * Texts are scanned in time slices that let other callbacks run in between (`scanSliced`). A message
 * whose content is larger than the text limit, or longer than the policy's regular-expression terms can
 * scan (`CompiledPolicy.regexTextLimit`), is not scanned (its scan would overrun the decision's budget):
 * the configured rule decides it, and the case is counted and logged with the limit it hit.
 */
import { randomUUID } from 'node:crypto';
import type { ChatEventPublisher } from '../events/chat-event-publisher.ts';
import { settledBeforeDeadline, type DecisionStages } from '../callbacks/time-budget.ts';
import { publishOrRecord } from '../callbacks/publish-after-event.ts';
import { DEFAULT_MAX_TEXT_BYTES, type OverTextLimitRule } from '../config/moderation-config.ts';
import { logger } from '../observability/logger.ts';
import { countEvent, METRIC_NAMES } from '../observability/metrics.ts';
import { conversationIdOf } from '../openim/conversation-id.ts';
import { HOOK_ERROR_CODES } from '../openim/error-codes.ts';
import { continueReply, modifyReply, stopReply, type CommonCallbackResp } from '../openim/replies.ts';
import type { BeforeMsgModifyReq } from '../openim/schemas/message.ts';
import type { ActivePolicy } from './active-policy.ts';
import { RegexWorkLimitError } from './errors.ts';
import type { CompiledPolicy, TermMatch } from './matcher.ts';
import { scanTexts } from './scan-texts.ts';
import { maskMessageContent, readMessageTexts, type MaskedContent } from './message-text.ts';
import { MODERATION_EVENT_TYPES, type ModerationEventPayload } from './moderation-event.ts';
import { RecentGroups } from './recent-groups.ts';

/** Shown by the sender's client; it names no term, so that it teaches no way around the filter. */
export const BLOCKED_MESSAGE = 'Your message was not sent because it contains language that is not allowed here.';

/** The fields of a before-send request that moderation reads. */
export interface OutgoingMessage {
  readonly sendID: string;
  readonly recvID?: string;
  readonly groupID?: string;
  readonly senderNickname: string;
  readonly sessionType: number;
  readonly contentType: number;
  readonly content: string;
  readonly serverMsgID: string;
  readonly clientMsgID: string;
  readonly sendTime: number;
  readonly operationID: string;
}

/** MODERATION_MAX_TEXT_BYTES and MODERATION_OVER_TEXT_LIMIT (`moderation-config.ts`). */
export interface TextLimit {
  readonly maxBytes: number;
  readonly overLimit: OverTextLimitRule;
}

export interface MessageModerationDeps {
  readonly policy: Pick<ActivePolicy, 'current'>;
  readonly publisher: ChatEventPublisher;
  readonly recentGroups?: RecentGroups;
  /** Default: DEFAULT_MAX_TEXT_BYTES, flagged. */
  readonly textLimit?: TextLimit;
}

/** The term an over-limit decision records in its event, in place of the terms a scan would have found. */
export const OVER_TEXT_LIMIT_TERM = '(message over the text limit: not scanned)';

const OVER_LIMIT_DECISIONS = { block: 'blocked', flag: 'flagged', allow: undefined } as const;

export class MessageModeration {
  private readonly recentGroups: RecentGroups;
  private readonly textLimit: TextLimit;

  constructor(private readonly deps: MessageModerationDeps) {
    this.recentGroups = deps.recentGroups ?? new RecentGroups();
    this.textLimit = deps.textLimit ?? { maxBytes: DEFAULT_MAX_TEXT_BYTES, overLimit: 'flag' };
  }

  /**
   * Reads and compiles the policy ahead of the first message, which would otherwise wait for the
   * store and the compile inside its budget. A failure is already logged by the policy and is retried
   * by the next message.
   */
  async loadPolicy(): Promise<void> {
    try {
      await this.deps.policy.current();
    } catch {
      // Logged by the policy; the next message reads the store again.
    }
  }

  /**
   * beforeSendSingleMsg / beforeSendGroupMsg. A clean message with the policy in force is answered at
   * once, not as a promise (nearly every message: it then costs the send path no timer and no turn of
   * the microtask queue). Once a message is blocked or flagged, publishing the event may take until
   * `deadline` less a margin; after that (or if it fails) the decision is answered anyway: a slow topic
   * must not let a blocked message through. A failed publish is logged with the whole event, to be replayed.
   */
  reviewSend(message: OutgoingMessage, deadline = Number.POSITIVE_INFINITY, stages?: DecisionStages): CommonCallbackResp | Promise<CommonCallbackResp> {
    stages?.enter('policy');
    const compiled = this.deps.policy.current();
    if (compiled instanceof Promise) return compiled.then((policy) => this.reviewWith(policy, message, deadline, stages));
    return this.reviewWith(compiled, message, deadline, stages);
  }

  private reviewWith(compiled: CompiledPolicy, message: OutgoingMessage, deadline: number, stages: DecisionStages | undefined): CommonCallbackResp | Promise<CommonCallbackResp> {
    stages?.enter('scan');
    if (message.groupID && compiled.scopedToGroups) this.recentGroups.remember(message.clientMsgID, message.groupID);
    const matches = this.scanSend(message, compiled);
    if (matches instanceof Promise) return matches.then((found) => this.decideOn(found, message, compiled, deadline, stages));
    return this.decideOn(matches, message, compiled, deadline, stages);
  }

  private decideOn(
    matches: readonly TermMatch[],
    message: OutgoingMessage,
    compiled: CompiledPolicy,
    deadline: number,
    stages: DecisionStages | undefined,
  ): CommonCallbackResp | Promise<CommonCallbackResp> {
    const decision = strongestDecision(matches);
    if (decision === undefined) return continueReply();
    return this.publishDecision(decision, matches, message, compiled.version, deadline, stages);
  }

  private async publishDecision(
    decision: 'blocked' | 'flagged',
    matches: readonly TermMatch[],
    message: OutgoingMessage,
    policyVersion: number,
    deadline: number,
    stages: DecisionStages | undefined,
  ): Promise<CommonCallbackResp> {
    countEvent(METRIC_NAMES.moderationDecision, { decision });
    logger.info('message moderated', {
      operationID: message.operationID,
      decision,
      sendID: message.sendID,
      policyVersion,
      terms: uniqueTerms(matches),
    });
    stages?.enter('publish');
    const published = publishOrRecord(this.deps.publisher, {
      eventId: randomUUID(),
      eventType: MODERATION_EVENT_TYPES[decision],
      operationID: message.operationID,
      receivedAt: new Date().toISOString(),
      valid: true,
      payload: eventPayload(message, decision, policyVersion, matches),
    });
    await settledBeforeDeadline(published, deadline);
    return decision === 'blocked'
      ? stopReply(HOOK_ERROR_CODES.messageBlocked, BLOCKED_MESSAGE, `policy version ${policyVersion}`)
      : continueReply();
  }

  /** The matches in the message's texts; for a message too large to scan, the over-limit rule's one match (or none). */
  private scanSend(message: OutgoingMessage, compiled: CompiledPolicy): TermMatch[] | Promise<TermMatch[]> {
    if (this.overTextLimit(message.content, message.operationID, 'send')) return this.overLimitMatches();
    // Without a policy (or with an empty one) the message's content is not even parsed.
    if (compiled.matchesNothing) return [];
    const scope = { groupID: message.groupID, sessionType: message.sessionType };
    // Scanned in time slices (one slicer for all the texts), so a large message does not hold the event loop.
    try {
      const scanned = scanTexts(compiled, readMessageTexts(message.contentType, message.content), scope);
      if (scanned instanceof Promise) return scanned.then(allMatches, (error: unknown) => this.overRegexLimit(error, message.operationID, 'send'));
      return allMatches(scanned);
    } catch (error) {
      return this.overRegexLimit(error, message.operationID, 'send');
    }
  }

  /** A text too long for the policy's regular-expression terms is decided by the over-limit rule; any other error goes on. */
  private overRegexLimit(error: unknown, operationID: string, stage: 'send' | 'modify'): TermMatch[] {
    if (!(error instanceof RegexWorkLimitError)) throw error;
    this.recordOverRegexLimit(error, operationID, stage);
    return this.overLimitMatches();
  }

  /** The over-limit rule's one match, or none when it allows the message. */
  private overLimitMatches(): TermMatch[] {
    const decision = OVER_LIMIT_DECISIONS[this.textLimit.overLimit];
    return decision === undefined ? [] : [{ term: OVER_TEXT_LIMIT_TERM, action: decision, start: 0, end: 0 }];
  }

  /** Whether `content` is over the text limit; when it is, the case is counted and logged (without the content). */
  private overTextLimit(content: string, operationID: string, stage: 'send' | 'modify'): boolean {
    // A UTF-16 unit is at most 3 UTF-8 bytes: most messages are decided without counting.
    if (content.length * 3 <= this.textLimit.maxBytes) return false;
    const bytes = Buffer.byteLength(content, 'utf8');
    if (bytes <= this.textLimit.maxBytes) return false;
    const { overLimit, maxBytes } = this.textLimit;
    countEvent(METRIC_NAMES.moderationDecision, { decision: 'over-text-limit', rule: overLimit, stage, limit: 'bytes' });
    logger.warn('message over the text limit, not scanned', { operationID, stage, bytes, maxBytes, rule: overLimit });
    return true;
  }

  /** Counts and logs a text too long for the policy's regular-expression terms (`CompiledPolicy.regexTextLimit`). */
  private recordOverRegexLimit(error: RegexWorkLimitError, operationID: string, stage: 'send' | 'modify'): void {
    const rule = this.textLimit.overLimit;
    countEvent(METRIC_NAMES.moderationDecision, { decision: 'over-text-limit', rule, stage, limit: 'regex-work' });
    logger.warn('message too long for the policy\'s regular-expression terms, not scanned', {
      operationID,
      stage,
      units: error.textLength,
      maxUnits: error.limit,
      rule,
    });
  }

  /**
   * beforeMsgModify: masks `masked` terms; the reply carries only the changed `content`. Answered at
   * once, as reviewSend is, when the policy is in force and the texts fit in their slice.
   */
  maskForModify(request: BeforeMsgModifyReq, stages?: DecisionStages): CommonCallbackResp | Promise<CommonCallbackResp> {
    stages?.enter('policy');
    const compiled = this.deps.policy.current();
    if (compiled instanceof Promise) return compiled.then((policy) => this.maskWith(policy, request, stages));
    return this.maskWith(compiled, request, stages);
  }

  private maskWith(compiled: CompiledPolicy, request: BeforeMsgModifyReq, stages: DecisionStages | undefined): CommonCallbackResp | Promise<CommonCallbackResp> {
    stages?.enter('mask');
    // The send was already decided by the over-limit rule; masking it here would overrun the budget.
    if (this.overTextLimit(request.content, request.operationID, 'modify') || compiled.matchesNothing) return continueReply();
    const groupID = this.recentGroups.groupOf(request.clientMsgID);
    const scope = { sessionType: request.sessionType, ...(groupID ? { groupID } : {}) };
    try {
      const masking = maskMessageContent(request.contentType, request.content, compiled, scope);
      if (masking instanceof Promise) return masking.then((done) => this.maskedReply(done, request, compiled), (error: unknown) => this.unmaskedOverRegexLimit(error, request));
      return this.maskedReply(masking, request, compiled);
    } catch (error) {
      return this.unmaskedOverRegexLimit(error, request);
    }
  }

  private maskedReply({ content, masked }: MaskedContent, request: BeforeMsgModifyReq, compiled: CompiledPolicy): CommonCallbackResp {
    if (masked.length === 0) return continueReply();
    countEvent(METRIC_NAMES.moderationDecision, { decision: 'masked' });
    logger.info('message masked', {
      operationID: request.operationID,
      sendID: request.sendID,
      policyVersion: compiled.version,
      terms: uniqueTerms(masked),
    });
    return modifyReply({ content });
  }

  /** The send was decided by the over-limit rule already, as for a message over the byte limit: nothing is masked. */
  private unmaskedOverRegexLimit(error: unknown, request: BeforeMsgModifyReq): CommonCallbackResp {
    this.overRegexLimit(error, request.operationID, 'modify');
    return continueReply();
  }
}

function strongestDecision(matches: readonly TermMatch[]): 'blocked' | 'flagged' | undefined {
  let flagged = false;
  for (const match of matches) {
    if (match.action === 'blocked') return 'blocked';
    if (match.action === 'flagged') flagged = true;
  }
  return flagged ? 'flagged' : undefined;
}

function uniqueTerms(matches: readonly TermMatch[]): string[] {
  const terms = new Set<string>();
  for (const match of matches) terms.add(match.term);
  return [...terms];
}

/** One `{ term, action }` per term and action: a message repeating a term 100,000 times is one entry, not 100,000. */
function distinctMatches(matches: readonly TermMatch[]): ModerationEventPayload['matches'] {
  const seen = new Map<string, Set<string>>();
  const distinct: { term: string; action: TermMatch['action'] }[] = [];
  for (const { term, action } of matches) {
    let terms = seen.get(action);
    if (terms === undefined) seen.set(action, (terms = new Set()));
    if (terms.has(term)) continue;
    terms.add(term);
    distinct.push({ term, action });
  }
  return distinct;
}

function eventPayload(
  message: OutgoingMessage,
  decision: 'blocked' | 'flagged',
  policyVersion: number,
  matches: readonly TermMatch[],
): ModerationEventPayload {
  return {
    decision,
    policyVersion,
    matches: distinctMatches(matches),
    sendID: message.sendID,
    senderNickname: message.senderNickname,
    sessionType: message.sessionType,
    recvID: message.recvID ?? '',
    groupID: message.groupID ?? '',
    conversationID: conversationIdOf(message),
    serverMsgID: message.serverMsgID,
    clientMsgID: message.clientMsgID,
    contentType: message.contentType,
    content: message.content,
    sendTime: message.sendTime,
  };
}

/** One list of a message's matches, from each text's. */
function allMatches(scanned: readonly TermMatch[][]): TermMatch[] {
  if (scanned.length === 1) return scanned[0]!;
  const matches: TermMatch[] = [];
  for (const found of scanned) for (const match of found) matches.push(match);
  return matches;
}
