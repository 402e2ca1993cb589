/**
 * The deciders this deployment runs, per before-command; commands without one continue unchanged.
 * Moderation decides the send commands and message-modify.
 */
import type { MessageModeration } from '../moderation/message-moderation.ts';
import type { BeforeDeciders } from './before-decisions.ts';

export interface BeforeDeciderDeps {
  readonly moderation: MessageModeration;
}

export function createBeforeDeciders({ moderation }: BeforeDeciderDeps): BeforeDeciders {
  return {
    callbackBeforeSendSingleMsgCommand: (request, { operationID, deadline }) =>
      moderation.reviewSend({ ...request, operationID: request.operationID || operationID }, deadline),
    callbackBeforeSendGroupMsgCommand: (request, { operationID, deadline }) =>
      moderation.reviewSend({ ...request, operationID: request.operationID || operationID }, deadline),
    callbackBeforeMsgModifyCommand: (request) => moderation.maskForModify(request),
  };
}
