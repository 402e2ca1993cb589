/**
 * An admin token kept until shortly before it expires, fetched once however many calls ask at
 * the same time, and dropped when OpenIM rejects it so the next call fetches a fresh one.
 */
export interface IssuedToken {
  readonly token: string;
  /** Lifetime from now, in seconds; undefined when the issuer does not say (chat's admin login). */
  readonly expiresInSeconds?: number;
}

/** Refresh this long before the stated expiry, so a token never expires in flight. */
const EXPIRY_MARGIN_MS = 60_000;

export class TokenCache {
  private cached: { token: string; expiresAt: number } | undefined;
  private inFlight: Promise<string> | undefined;

  /** `maxAgeMs`: use a token for at most this long, whatever its stated lifetime. */
  constructor(
    private readonly issue: () => Promise<IssuedToken>,
    private readonly now: () => number = Date.now,
    private readonly maxAgeMs: number = Number.POSITIVE_INFINITY,
  ) {}

  async get(): Promise<string> {
    if (this.cached && this.cached.expiresAt > this.now()) return this.cached.token;
    this.inFlight ??= this.issue()
      .then(({ token, expiresInSeconds }) => {
        const stated = expiresInSeconds === undefined ? Number.POSITIVE_INFINITY : this.now() + expiresInSeconds * 1000 - EXPIRY_MARGIN_MS;
        const expiresAt = Math.min(stated, this.now() + this.maxAgeMs);
        this.cached = { token, expiresAt };
        return token;
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }

  /** Forgets `token` if it is still the cached one (another caller may have refreshed already). */
  invalidate(token: string): void {
    if (this.cached?.token === token) this.cached = undefined;
  }
}
