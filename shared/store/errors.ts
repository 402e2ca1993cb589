/** Outcomes of the stores that callers must handle, named for why they happen. */
export class StoreError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StoreError';
  }
}

/** Another writer saved a policy version first; reload and retry against the new version. */
export class PolicyVersionConflictError extends StoreError {
  constructor(
    readonly expectedVersion: number,
    readonly currentVersion: number | undefined,
  ) {
    super(`policy version ${expectedVersion} is no longer the latest (now ${currentVersion ?? 'unknown'}); reload it and retry`);
    this.name = 'PolicyVersionConflictError';
  }
}

/** A stored policy version is incomplete, corrupt or not a policy document: reading it again will not help. */
export class StoredPolicyUnreadableError extends StoreError {
  constructor(
    readonly version: number,
    reason: string,
  ) {
    super(`stored policy version ${version} cannot be read: ${reason}`);
    this.name = 'StoredPolicyUnreadableError';
  }
}

/** A paging cursor that this service did not hand out for this query; the caller should start over. */
export class InvalidCursorError extends StoreError {
  constructor() {
    super('the cursor is not one this API returned for this query');
    this.name = 'InvalidCursorError';
  }
}

/** DynamoDB still left the violation unprocessed (throttling) after the retries; SQS redelivers it. */
export class ViolationNotRecordedError extends StoreError {
  /** `cause`: why DynamoDB refused it; absent when it only left it unprocessed after every retry. */
  constructor(readonly userID: string, options?: { readonly cause?: Error | undefined }) {
    super(`a violation of user ${userID} was not recorded: ${options?.cause ? `DynamoDB refused it: ${options.cause.message}` : 'DynamoDB left it unprocessed after every retry'}`, options?.cause ? { cause: options.cause } : undefined);
    this.name = 'ViolationNotRecordedError';
  }
}
