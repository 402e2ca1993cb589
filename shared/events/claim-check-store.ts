/** Port for the object storage that holds claim-checked events (S3 in AWS, fauxqs' S3 locally). */
export interface ClaimCheckStore {
  /** Stores the event's JSON under `key`; resolves once it is durable. */
  put(key: string, body: string): Promise<void>;
  /** The JSON stored under `key`; rejects with ClaimCheckMissingError when there is none. */
  get(key: string): Promise<string>;
}
