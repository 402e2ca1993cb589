/**
 * OAuth2 access tokens for FCM HTTP v1 from a service-account key, without Google's SDK: a JWT
 * (RS256, scope firebase.messaging, audience = the token URI) exchanged at the token URI for a
 * bearer token, cached until a minute before it expires.
 * https://developers.google.com/identity/protocols/oauth2/service-account#httprest
 */
import { ProviderUnavailableError } from '../errors.ts';
import { signJwt } from './json-web-token.ts';

export const FCM_SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';
export const GOOGLE_TOKEN_URI = 'https://oauth2.googleapis.com/token';

export interface ServiceAccountKey {
  readonly client_email: string;
  readonly private_key: string;
  readonly token_uri?: string;
}

export class GoogleAccessToken {
  private cached: { token: string; expiresAt: number } | undefined;
  private pending: Promise<string> | undefined;

  constructor(
    private readonly key: ServiceAccountKey,
    private readonly options: { readonly tokenUri?: string; readonly timeoutMs?: number; readonly now?: () => number } = {},
  ) {}

  async get(): Promise<string> {
    const now = this.now();
    if (this.cached && this.cached.expiresAt - 60_000 > now) return this.cached.token;
    // One exchange at a time: a burst of sends shares it.
    this.pending ??= this.exchange().finally(() => (this.pending = undefined));
    return this.pending;
  }

  /** Forgets the cached token (after a 401), so the next send fetches a new one. */
  invalidate(): void {
    this.cached = undefined;
  }

  private async exchange(): Promise<string> {
    const tokenUri = this.options.tokenUri ?? this.key.token_uri ?? GOOGLE_TOKEN_URI;
    const issuedAt = Math.floor(this.now() / 1000);
    const assertion = signJwt('RS256', this.key.private_key, {
      iss: this.key.client_email,
      scope: FCM_SCOPE,
      aud: tokenUri,
      iat: issuedAt,
      exp: issuedAt + 3600,
    });
    let response: Response;
    try {
      response = await fetch(tokenUri, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
      });
    } catch (error) {
      throw new ProviderUnavailableError('fcm', 'the OAuth2 token endpoint did not answer', { cause: error });
    }
    const body = (await response.json().catch(() => ({}))) as { access_token?: string; expires_in?: number; error?: string };
    if (!response.ok || !body.access_token) {
      throw new ProviderUnavailableError('fcm', `the OAuth2 token endpoint answered ${response.status} ${body.error ?? ''}`.trim());
    }
    this.cached = { token: body.access_token, expiresAt: this.now() + (body.expires_in ?? 3600) * 1000 };
    return body.access_token;
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }
}
