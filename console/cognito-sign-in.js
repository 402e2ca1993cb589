// Signing in through Cognito's hosted UI (AWS): the authorization code grant with PKCE (RFC 7636)
// for a public client, as config.json describes it ({domain, clientId, redirectUri}).
// - The verifier is 32 random bytes (43 characters of base64url); the hosted UI gets only its
//   SHA-256 (S256). It and `state` wait in sessionStorage for the redirect back, used once.
// - Tokens live in sessionStorage: gone with the tab, never shared with other tabs or windows.
// - The API gets the ID token: API Gateway's Cognito authorizer takes it without method scopes,
//   and it carries the `cognito:groups` and `email` claims the operator API reads.
// - The ID token is refreshed with the refresh token when it has under 5 minutes left (the
//   console calls the API every few seconds) or when the API answers 401.
import { Unauthorized } from './api.js';

const PENDING_KEY = 'openim-hooks.cognito.pending';
const SESSION_KEY = 'openim-hooks.cognito.session';
const REFRESH_MARGIN_MS = 5 * 60 * 1000;

/** A refused or broken sign-in; an Unauthorized, so the console returns to its sign-in page. */
export class SignInError extends Unauthorized {}

const base64url = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

export const randomVerifier = () => base64url(crypto.getRandomValues(new Uint8Array(32)));

export async function challengeOf(verifier) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

/** The claims of a JWT, unverified: the console only reads `exp`; the API checks the signature. */
function claimsOf(jwt) {
  const payload = jwt.split('.')[1] ?? '';
  return JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/')));
}

const readJson = (key) => {
  try {
    return JSON.parse(sessionStorage.getItem(key) ?? 'null');
  } catch {
    return null;
  }
};

export function createCognitoSignIn({ domain, clientId, redirectUri }) {
  let refreshing = null;

  async function tokenRequest(fields) {
    const response = await fetch(`${domain}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: clientId, ...fields }),
    });
    const reply = await response.json().catch(() => ({}));
    if (!response.ok || !reply.id_token) throw new SignInError(`Cognito refused the sign-in (${reply.error ?? `HTTP ${response.status}`}).`);
    return reply;
  }

  function keep(reply, refreshToken) {
    const session = { idToken: reply.id_token, refreshToken, expiresAt: claimsOf(reply.id_token).exp * 1000 };
    sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
    return session;
  }

  function forget() {
    sessionStorage.removeItem(SESSION_KEY);
  }

  return {
    /** Off to the hosted UI; it comes back to redirectUri with `?code=&state=`. */
    async start() {
      const verifier = randomVerifier();
      const state = randomVerifier();
      sessionStorage.setItem(PENDING_KEY, JSON.stringify({ verifier, state }));
      const query = new URLSearchParams({
        response_type: 'code',
        client_id: clientId,
        redirect_uri: redirectUri,
        scope: 'openid email profile',
        state,
        code_challenge: await challengeOf(verifier),
        code_challenge_method: 'S256',
      });
      window.location.assign(`${domain}/oauth2/authorize?${query}`);
    },

    /**
     * Finishes a sign-in the hosted UI sent back to this page, if any; true when signed in.
     * The code and state leave the address bar first, so a reload or a bookmark cannot replay them.
     */
    async complete() {
      const params = new URLSearchParams(window.location.search);
      const code = params.get('code');
      const error = params.get('error');
      if (!code && !error) return readJson(SESSION_KEY) !== null;
      window.history.replaceState(null, '', window.location.pathname);
      const pending = readJson(PENDING_KEY);
      sessionStorage.removeItem(PENDING_KEY);
      if (error) throw new SignInError(`Cognito did not sign you in: ${params.get('error_description') ?? error}.`);
      if (!pending || pending.state !== params.get('state')) throw new SignInError('That sign-in was not started from this tab; sign in again.');
      const reply = await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: pending.verifier });
      keep(reply, reply.refresh_token);
      return true;
    },

    /** The ID token to send, refreshed first when it is about to expire. */
    async bearer() {
      const session = readJson(SESSION_KEY);
      if (!session) throw new SignInError('You are signed out.');
      if (session.expiresAt - REFRESH_MARGIN_MS > Date.now()) return session.idToken;
      return (await this.renew()).idToken;
    },

    /** A new ID token from the refresh token (one request however many callers wait on it). */
    renew() {
      refreshing ??= (async () => {
        const session = readJson(SESSION_KEY);
        if (!session?.refreshToken) throw new SignInError('Your session has ended; sign in again.');
        try {
          // Cognito answers a refresh without a new refresh token: the one held stays valid.
          return keep(await tokenRequest({ grant_type: 'refresh_token', refresh_token: session.refreshToken }), session.refreshToken);
        } catch (error) {
          // Refused: the session is over. A network failure keeps it for the next try.
          if (error instanceof SignInError) forget();
          throw error;
        }
      })().finally(() => {
        refreshing = null;
      });
      return refreshing;
    },

    forget,

    /** Revokes the refresh token, forgets the tokens, and ends the hosted UI's session too. */
    async signOut() {
      const session = readJson(SESSION_KEY);
      forget();
      if (session?.refreshToken) {
        await fetch(`${domain}/oauth2/revoke`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ token: session.refreshToken, client_id: clientId }),
        }).catch(() => undefined);
      }
      window.location.assign(`${domain}/logout?${new URLSearchParams({ client_id: clientId, logout_uri: redirectUri })}`);
    },
  };
}
