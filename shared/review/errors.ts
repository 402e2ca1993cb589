/** Outcomes of the review workflow that callers must handle, named for why they happen. */

export class ReviewItemNotFoundError extends Error {
  constructor(readonly itemId: string) {
    super(`no review item ${itemId}`);
    this.name = 'ReviewItemNotFoundError';
  }
}

/** Another moderator holds an unexpired claim, or the item is already decided. */
export class ClaimConflictError extends Error {
  constructor(
    readonly itemId: string,
    readonly state: string,
    readonly claimedBy: string | undefined,
  ) {
    super(state === 'decided' ? `item ${itemId} is already decided` : `item ${itemId} is claimed by ${claimedBy ?? 'another moderator'}`);
    this.name = 'ClaimConflictError';
  }
}

/** A decision needs the caller's own, unexpired claim, and no other decision under way. */
export class NotClaimedByCallerError extends Error {
  constructor(readonly itemId: string) {
    super(`claim item ${itemId} first (your claim may have expired, or a decision is already being carried out)`);
    this.name = 'NotClaimedByCallerError';
  }
}

/** The decision cannot apply to this message (e.g. muting outside a group, forbidding without OpenIM chat). */
export class DecisionNotApplicableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecisionNotApplicableError';
  }
}

/** OpenIM refused or could not be reached; nothing after the failed call was done. */
export class OpenImActionFailedError extends Error {
  constructor(
    message: string,
    readonly entryId: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'OpenImActionFailedError';
  }
}

export class PenaltyNotFoundError extends Error {
  constructor(readonly penaltyKey: string) {
    super(`no active penalty ${penaltyKey}`);
    this.name = 'PenaltyNotFoundError';
  }
}

/** Only the sender of a decided message may appeal, once, and only a decision that was made. */
export class AppealNotAllowedError extends Error {
  constructor(
    readonly itemId: string,
    reason: string,
  ) {
    super(`item ${itemId} cannot be appealed: ${reason}`);
    this.name = 'AppealNotAllowedError';
  }
}
