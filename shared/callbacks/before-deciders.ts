/**
 * The deciders this deployment runs, per before-command; every other command gets the identity
 * reply. Moderation decides the send commands and message-modify; push fan-out decides the offline push.
 */
import type { MessageModeration } from '../moderation/message-moderation.ts';
import type { BeforeDecider, BeforeDeciders } from './before-decisions.ts';

/** What each decided before-callback is for: the printed webhooks.yml enables exactly these, saying why. */
export const DECIDED_COMMANDS = {
  callbackBeforeSendSingleMsgCommand: 'moderation blocks or flags single-chat messages',
  callbackBeforeSendGroupMsgCommand: 'moderation blocks or flags group messages',
  callbackBeforeMsgModifyCommand: 'moderation masks terms in messages that go through',
  callbackBeforeOfflinePushCommand: 'push fan-out takes over or enriches offline push (PUSH_MODE)',
} as const;
export type DecidedCommand = keyof typeof DECIDED_COMMANDS;

export interface BeforeDeciderDeps {
  readonly moderation: MessageModeration;
  /** Push take-over or enrichment (shared/push/offline-push-decider.ts, PUSH_MODE). */
  readonly offlinePush: BeforeDecider<'callbackBeforeOfflinePushCommand'>;
}

export function createBeforeDeciders({ moderation, offlinePush }: BeforeDeciderDeps): BeforeDeciders {
  const deciders = {
    callbackBeforeOfflinePushCommand: offlinePush,
    callbackBeforeSendSingleMsgCommand: (request, { operationID, deadline, stages }) =>
      moderation.reviewSend(withOperationID(request, operationID), deadline, stages),
    callbackBeforeSendGroupMsgCommand: (request, { operationID, deadline, stages }) =>
      moderation.reviewSend(withOperationID(request, operationID), deadline, stages),
    callbackBeforeMsgModifyCommand: (request, { stages }) => moderation.maskForModify(request, stages),
  } satisfies { readonly [C in DecidedCommand]: BeforeDecider<C> };
  return deciders;
}

/** The request as it is when it names its operation (OpenIM's always do), else a copy naming the callback's. */
function withOperationID<R extends { readonly operationID: string }>(request: R, operationID: string): R {
  return request.operationID ? request : { ...request, operationID };
}
