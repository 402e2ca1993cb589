/**
 * The deciders this deployment runs, per before-command; commands without one continue unchanged.
 * Moderation decides the send commands and message-modify.
 */
import type { MessageModeration } from '../moderation/message-moderation.ts';
import type { BeforeDecider, BeforeDeciders } from './before-decisions.ts';

export interface BeforeDeciderDeps {
  readonly moderation: MessageModeration;
  /** Push take-over or enrichment (shared/push/offline-push-decider.ts, PUSH_MODE). */
  readonly offlinePush: BeforeDecider<'callbackBeforeOfflinePushCommand'>;
}

export function createBeforeDeciders({ moderation, offlinePush }: BeforeDeciderDeps): BeforeDeciders {
  return {
    callbackBeforeOfflinePushCommand: offlinePush,
    callbackBeforeSendSingleMsgCommand: (request, { operationID, deadline }) =>
      moderation.reviewSend({ ...request, operationID: request.operationID || operationID }, deadline),
    callbackBeforeSendGroupMsgCommand: (request, { operationID, deadline }) =>
      moderation.reviewSend({ ...request, operationID: request.operationID || operationID }, deadline),
    callbackBeforeMsgModifyCommand: (request) => moderation.maskForModify(request),
  };
}
