/**
 * beforeOfflinePush (contract §3 "Push"): OpenIM has stored the message, pushed it to online
 * users, and asks before its offline push to `userIDList`.
 *
 * PUSH_MODE=takeover (default): publish the push as `push.job` events (chunked to fit SNS/SQS) and
 * answer stop with errCode 10201, which OpenIM logs as the reason it skipped its own push
 * (internal/push/push_handler.go: "webhookBeforeOfflinePush failed" / "push failed"). Chunks whose
 * publish failed are handed back to OpenIM as `userIDList`, so they are pushed by OpenIM (if it
 * has a push configured) rather than lost; if none could be published, OpenIM pushes them all.
 *
 * PUSH_MODE=enrich: OpenIM keeps pushing. The reply drops recipients whose preferences keep the
 * notification from them (a non-empty `userIDList` replaces the recipients), stops with 10202 when
 * none is left (an empty list would mean "unchanged"), and fills an empty title/desc with the
 * preview, only when the request carried offlinePushInfo (see openim-callbacks.md §2).
 */
import { randomUUID } from 'node:crypto';
import type { BeforeDecider } from '../callbacks/before-decisions.ts';
import { settledBeforeDeadline } from '../callbacks/time-budget.ts';
import type { PushMode } from '../config/push-callback-config.ts';
import type { ChatEvent } from '../events/chat-event.ts';
import type { ChatEventPublisher } from '../events/chat-event-publisher.ts';
import { logger } from '../observability/logger.ts';
import { countEvent, METRIC_NAMES } from '../observability/metrics.ts';
import { conversationIdOf, SESSION_TYPES } from '../openim/conversation-id.ts';
import { HOOK_ERROR_CODES } from '../openim/error-codes.ts';
import { continueReply, modifyReply, stopReply } from '../openim/replies.ts';
import type { BeforeOfflinePushReq } from '../openim/schemas/push.ts';
import type { PreferenceStore } from '../store/preference-store.ts';
import { collapseKeyOf } from './collapse-key.ts';
import { notificationText } from './notification-text.ts';
import { quietReason } from './preferences.ts';
import { PUSH_EVENT_TYPES, type PushJob } from './push-job.ts';
import { splitPushJob, type PushJobBase } from './split-push-job.ts';

export const TAKEN_OVER_MESSAGE = 'offline push taken over by openim-hooks';
export const SUPPRESSED_MESSAGE = 'offline push suppressed by the recipients\' push preferences';

/** offlinePushInfo.ex travels to the app as push data; providers cap the whole payload at 4 KB. */
export const MAX_EX_BYTES = 2048;

export interface OfflinePushDeciderDeps {
  readonly mode: PushMode;
  readonly publisher: ChatEventPublisher;
  /** Read by the enrich mode, which requires it. */
  readonly preferences?: Pick<PreferenceStore, 'preferencesOf'>;
  readonly now?: () => Date;
}

type Decider = BeforeDecider<'callbackBeforeOfflinePushCommand'>;

export class MissingPreferencesError extends Error {
  constructor() {
    super('PUSH_MODE=enrich reads push preferences, but no preference store was given');
    this.name = 'MissingPreferencesError';
  }
}

export function createOfflinePushDecider(deps: OfflinePushDeciderDeps): Decider {
  if (deps.mode === 'takeover') return takeOver(deps);
  if (!deps.preferences) throw new MissingPreferencesError();
  return enrich(deps.preferences, deps.now);
}

function takeOver({ publisher, now = () => new Date() }: OfflinePushDeciderDeps): Decider {
  return async (request, { operationID, signal, deadline, stages }) => {
    const userIDs = [...new Set(request.userIDList)];
    if (userIDs.length === 0) return continueReply();
    const receivedAt = now().toISOString();
    const mentioned = new Set(request.atUserIDList);
    const jobs = [...recipientsByConversation(request, userIDs)].flatMap(([conversationID, recipients]) =>
      splitPushJob(jobBase(request, conversationID, operationID), recipients, mentioned),
    );
    // Past the budget the fallback has answered and OpenIM pushes itself: a job published now would push twice.
    if (signal.aborted) throw signal.reason;
    stages?.enter('publish');
    const outcomes: JobOutcome[] = jobs.map(() => ({ state: 'pending' }));
    const published = Promise.all(
      jobs.map((job, index) =>
        publisher.publish(pushJobEvent(job, request.operationID || operationID, receivedAt)).then(
          () => void (outcomes[index] = { state: 'published' }),
          (error: unknown) => void (outcomes[index] = { state: 'failed', error: error as Error }),
        ),
      ),
    );
    // A publish still under way near the deadline may yet be taken: its recipients are not handed back
    // (at most once, as in the worker), and the answer goes out before the budget's fallback could.
    if (!(await settledBeforeDeadline(published, deadline))) {
      const pendingJobs = outcomes.filter((outcome) => outcome.state === 'pending').length;
      countEvent(METRIC_NAMES.pushJobsPublishUnknown, {}, pendingJobs);
      logger.warn('push jobs still being published at the deadline count as taken over', { operationID, messageID: request.clientMsgID, pendingJobs, jobs: jobs.length });
    }
    const unpublished = jobs.filter((_, index) => outcomes[index]!.state === 'failed');
    if (unpublished.length === 0) return stopReply(HOOK_ERROR_CODES.pushTakenOver, TAKEN_OVER_MESSAGE, `${jobs.length} push job(s) queued`);

    const handBack = unpublished.flatMap((job) => job.userIDs);
    logger.error('push jobs could not be published; OpenIM pushes their recipients itself', {
      operationID,
      messageID: request.clientMsgID,
      unpublishedJobs: unpublished.length,
      jobs: jobs.length,
      recipientsHandedBack: handBack.length,
      error: (outcomes.find((outcome) => outcome.state === 'failed') as Extract<JobOutcome, { state: 'failed' }>).error,
    });
    return unpublished.length === jobs.length ? continueReply() : modifyReply({ userIDList: handBack });
  };
}

type JobOutcome = { readonly state: 'pending' | 'published' } | { readonly state: 'failed'; readonly error: Error };

function enrich(preferences: Pick<PreferenceStore, 'preferencesOf'>, now: () => Date = () => new Date()): Decider {
  return async (request) => {
    const userIDs = [...new Set(request.userIDList)];
    if (userIDs.length === 0) return continueReply();
    const at = now();
    const stored = await preferences.preferencesOf(userIDs);
    const mentioned = new Set(request.atUserIDList);
    const keep = [...recipientsByConversation(request, userIDs)].flatMap(([conversationID, recipients]) =>
      recipients.filter((userID) => quietReason(stored.get(userID), { conversationID, mentioned: mentioned.has(userID) }, at) === undefined),
    );
    if (keep.length === 0) return stopReply(HOOK_ERROR_CODES.pushSuppressed, SUPPRESSED_MESSAGE);
    const text = notificationText(request);
    const fillText = request.hasOfflinePushInfo && (!request.title || !request.desc);
    return modifyReply({
      userIDList: keep.length < userIDs.length ? keep : undefined,
      // Only when the request had offlinePushInfo: OpenIM's message may have none (contract §2).
      offlinePushInfo: fillText
        ? {
            title: text.title,
            desc: text.body,
            ex: request.ex ?? '',
            iOSPushSound: request.iOSPushSound ?? '',
            iOSBadgeCount: request.iOSBadgeCount ?? false,
            signalInfo: request.signalInfo ?? '',
          }
        : undefined,
    });
  };
}

/** Group messages have one conversation; a single-chat push names the recipient, whose conversation it is. */
function recipientsByConversation(request: BeforeOfflinePushReq, userIDs: readonly string[]): Map<string, string[]> {
  const byConversation = new Map<string, string[]>();
  for (const userID of userIDs) {
    const conversationID = conversationIdOf({ sessionType: request.sessionType, sendID: request.sendID, recvID: userID, groupID: request.groupID });
    byConversation.set(conversationID, [...(byConversation.get(conversationID) ?? []), userID]);
  }
  return byConversation;
}

function jobBase(request: BeforeOfflinePushReq, conversationID: string, operationID: string): PushJobBase {
  const ex = request.ex ?? '';
  const exBytes = Buffer.byteLength(ex, 'utf8');
  if (exBytes > MAX_EX_BYTES) {
    logger.warn('offlinePushInfo.ex is too large for a notification and is left out', { operationID, messageID: request.clientMsgID, bytes: exBytes });
  }
  const { title, body } = notificationText(request);
  return {
    // Push callbacks carry no serverMsgID; a message without clientMsgID is keyed by its operation.
    messageID: request.clientMsgID || `operation:${operationID}`,
    conversationID,
    sendID: request.sendID,
    groupID: request.sessionType === SESSION_TYPES.readGroup || request.sessionType === SESSION_TYPES.writeGroup ? request.groupID : '',
    sessionType: request.sessionType,
    contentType: request.contentType,
    title,
    body,
    collapseKey: collapseKeyOf(conversationID),
    ex: exBytes > MAX_EX_BYTES ? '' : ex,
    iOSPushSound: request.iOSPushSound ?? '',
  };
}

export function pushJobEvent(job: PushJob, operationID: string, receivedAt: string): ChatEvent {
  return { eventId: randomUUID(), eventType: PUSH_EVENT_TYPES.job, operationID, receivedAt, valid: true, payload: job };
}
