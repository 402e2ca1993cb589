/**
 * A stand-in for a Cognito user pool's hosted UI on a loopback port, for the console's sign-in
 * (the true edge: AWS). It follows the user pool OAuth endpoints' contract for a public app client:
 *   GET  /oauth2/authorize  client_id, redirect_uri (registered), response_type=code, scope,
 *                           state, code_challenge + code_challenge_method=S256; shows a sign-in
 *                           form (skipped while the browser holds the hosted UI's session
 *                           cookie), then 302 to redirect_uri?code=&state=
 *   POST /oauth2/token      form-encoded; authorization_code (code used once, same client_id and
 *                           redirect_uri, code_verifier whose S256 is the challenge) or
 *                           refresh_token (no new refresh token); errors 400 {error}; CORS for
 *                           the calling origin
 *   POST /oauth2/revoke     token, client_id: the refresh token stops working
 *   GET  /logout            client_id, logout_uri (registered): ends the session, 302 back
 * ID tokens are RS256 JWTs with Cognito's claims (`token_use: id`, `cognito:username`,
 * `cognito:groups`, `email`); `verifyIdToken` checks one as API Gateway's authorizer does.
 */
import { createHash, createSign, createVerify, generateKeyPairSync, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CognitoUser {
  readonly username: string;
  readonly email: string;
  readonly groups: readonly string[];
}

export interface TokenRequest {
  readonly fields: Readonly<Record<string, string>>;
  readonly status: number;
  readonly origin: string | undefined;
}

export interface CognitoStandIn {
  readonly url: string;
  readonly clientId: string;
  readonly issuer: string;
  readonly publicKey: KeyObject;
  /** Every request to /oauth2/token, with its answer's status. */
  readonly tokenRequests: TokenRequest[];
  /** Every ID token issued, oldest first. */
  readonly issuedIdTokens: string[];
  readonly revokedTokens: string[];
  readonly logouts: string[];
  /** Lifetime of the ID tokens issued from now on. @default 3600 */
  setIdTokenSeconds(seconds: number): void;
  stop(): Promise<void>;
}

const SESSION_COOKIE = 'cognito-stand-in-session';
const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

export async function startCognitoStandIn(options: { readonly redirectUris: readonly string[]; readonly users: readonly CognitoUser[] }): Promise<CognitoStandIn> {
  const clientId = `client${randomBytes(8).toString('hex')}`;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomUUID();
  const codes = new Map<string, { redirectUri: string; challenge: string | undefined; user: CognitoUser }>();
  const refreshTokens = new Map<string, CognitoUser>();
  const sessions = new Map<string, CognitoUser>();
  const pendingLogins = new Map<string, URLSearchParams>();
  const tokenRequests: TokenRequest[] = [];
  const issuedIdTokens: string[] = [];
  const revokedTokens: string[] = [];
  const logouts: string[] = [];
  let idTokenSeconds = 3600;
  let url = '';
  const issuer = () => `${url}/us-east-1_standin`;

  const idTokenFor = (user: CognitoUser) => {
    const now = Math.floor(Date.now() / 1000);
    const header = base64url(JSON.stringify({ alg: 'RS256', kid }));
    const payload = base64url(
      JSON.stringify({
        sub: createHash('sha256').update(user.username).digest('hex').slice(0, 32),
        aud: clientId,
        iss: issuer(),
        token_use: 'id',
        auth_time: now,
        iat: now,
        exp: now + idTokenSeconds,
        email: user.email,
        email_verified: true,
        'cognito:username': user.username,
        'cognito:groups': user.groups,
      }),
    );
    const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(privateKey);
    const token = `${header}.${payload}.${base64url(signature)}`;
    issuedIdTokens.push(token);
    return token;
  };

  const redirectWithCode = (res: ServerResponse, params: URLSearchParams, user: CognitoUser) => {
    const code = randomUUID();
    codes.set(code, { redirectUri: params.get('redirect_uri')!, challenge: params.get('code_challenge') ?? undefined, user });
    const target = new URL(params.get('redirect_uri')!);
    target.searchParams.set('code', code);
    if (params.has('state')) target.searchParams.set('state', params.get('state')!);
    res.writeHead(302, { location: target.href }).end();
  };

  function authorize(req: IncomingMessage, res: ServerResponse, params: URLSearchParams) {
    // Cognito shows an error page, never a redirect, for an unknown client or redirect URI.
    if (params.get('client_id') !== clientId) return void res.writeHead(400).end('invalid client');
    if (!options.redirectUris.includes(params.get('redirect_uri') ?? '')) return void res.writeHead(400).end('redirect_mismatch');
    const back = new URL(params.get('redirect_uri')!);
    const fail = (error: string) => {
      back.searchParams.set('error', error);
      if (params.has('state')) back.searchParams.set('state', params.get('state')!);
      res.writeHead(302, { location: back.href }).end();
    };
    if (params.get('response_type') !== 'code') return fail('unsupported_response_type');
    if (params.has('code_challenge') && params.get('code_challenge_method') !== 'S256') return fail('invalid_request');
    const scopes = (params.get('scope') ?? '').split(' ').filter(Boolean);
    if (scopes.some((scope) => !['openid', 'email', 'profile'].includes(scope))) return fail('invalid_scope');
    const session = sessions.get(cookieOf(req) ?? '');
    if (session) return redirectWithCode(res, params, session);
    const login = randomUUID();
    pendingLogins.set(login, params);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><html lang="en"><title>Sign in</title>
<form method="post" action="/login"><input type="hidden" name="login" value="${login}" />
<label>Username <input id="username" name="username" autocomplete="username" /></label>
<button id="sign-in-submit" type="submit">Sign in</button></form></html>`);
  }

  function login(res: ServerResponse, form: URLSearchParams) {
    const params = pendingLogins.get(form.get('login') ?? '');
    const user = options.users.find((candidate) => candidate.username === form.get('username'));
    if (!params || !user) return void res.writeHead(400).end('Incorrect username or password.');
    pendingLogins.delete(form.get('login')!);
    const session = randomUUID();
    sessions.set(session, user);
    res.setHeader('set-cookie', `${SESSION_COOKIE}=${session}; Path=/; HttpOnly; SameSite=Lax`);
    redirectWithCode(res, params, user);
  }

  function token(req: IncomingMessage, res: ServerResponse, body: string) {
    const fields = Object.fromEntries(new URLSearchParams(body));
    const answer = (status: number, reply: Record<string, unknown>) => {
      tokenRequests.push({ fields, status, origin: req.headers.origin });
      res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', ...corsHeaders(req) }).end(JSON.stringify(reply));
    };
    if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return answer(400, { error: 'invalid_request' });
    if (fields.client_id !== clientId) return answer(400, { error: 'invalid_client' });
    if (fields.grant_type === 'authorization_code') {
      const grant = codes.get(fields.code ?? '');
      // A code is redeemed once, whatever the outcome.
      codes.delete(fields.code ?? '');
      if (!grant || grant.redirectUri !== fields.redirect_uri) return answer(400, { error: 'invalid_grant' });
      if (grant.challenge !== undefined) {
        const verifier = fields.code_verifier ?? '';
        if (!VERIFIER.test(verifier) || base64url(createHash('sha256').update(verifier).digest()) !== grant.challenge) return answer(400, { error: 'invalid_grant' });
      }
      const refreshToken = randomBytes(48).toString('base64url');
      refreshTokens.set(refreshToken, grant.user);
      return answer(200, { id_token: idTokenFor(grant.user), access_token: randomBytes(32).toString('base64url'), refresh_token: refreshToken, expires_in: idTokenSeconds, token_type: 'Bearer' });
    }
    if (fields.grant_type === 'refresh_token') {
      const user = refreshTokens.get(fields.refresh_token ?? '');
      if (!user) return answer(400, { error: 'invalid_grant' });
      return answer(200, { id_token: idTokenFor(user), access_token: randomBytes(32).toString('base64url'), expires_in: idTokenSeconds, token_type: 'Bearer' });
    }
    return answer(400, { error: 'unsupported_grant_type' });
  }

  const server = createServer((req, res) => {
    const target = new URL(req.url ?? '/', 'http://stand-in');
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      if (req.method === 'OPTIONS') return void res.writeHead(204, { ...corsHeaders(req), 'access-control-allow-methods': 'POST', 'access-control-allow-headers': 'content-type, authorization' }).end();
      if (req.method === 'GET' && target.pathname === '/oauth2/authorize') return authorize(req, res, target.searchParams);
      if (req.method === 'POST' && target.pathname === '/login') return login(res, new URLSearchParams(body));
      if (req.method === 'POST' && target.pathname === '/oauth2/token') return token(req, res, body);
      if (req.method === 'POST' && target.pathname === '/oauth2/revoke') {
        const fields = new URLSearchParams(body);
        if (fields.get('client_id') !== clientId) return void res.writeHead(400, { 'content-type': 'application/json', ...corsHeaders(req) }).end('{"error":"invalid_client"}');
        revokedTokens.push(fields.get('token') ?? '');
        refreshTokens.delete(fields.get('token') ?? '');
        return void res.writeHead(200, corsHeaders(req)).end();
      }
      if (req.method === 'GET' && target.pathname === '/logout') {
        const logoutUri = target.searchParams.get('logout_uri') ?? '';
        if (target.searchParams.get('client_id') !== clientId || !options.redirectUris.includes(logoutUri)) return void res.writeHead(400).end('invalid logout_uri');
        sessions.delete(cookieOf(req) ?? '');
        logouts.push(logoutUri);
        return void res.writeHead(302, { location: logoutUri, 'set-cookie': `${SESSION_COOKIE}=; Path=/; Max-Age=0` }).end();
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    clientId,
    issuer: issuer(),
    publicKey,
    tokenRequests,
    issuedIdTokens,
    revokedTokens,
    logouts,
    setIdTokenSeconds: (seconds) => void (idTokenSeconds = seconds),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** CORS as the token endpoint answers a browser: the calling origin, with credentials. */
function corsHeaders(req: IncomingMessage): Record<string, string> {
  return req.headers.origin ? { 'access-control-allow-origin': req.headers.origin, 'access-control-allow-credentials': 'true', vary: 'Origin' } : {};
}

function cookieOf(req: IncomingMessage): string | undefined {
  return new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([^;]+)`).exec(req.headers.cookie ?? '')?.[1];
}

/**
 * What API Gateway's Cognito authorizer checks of a bearer token (signature, issuer, audience,
 * `token_use: id`, expiry) and hands on: the claims, each as a string, a list as `[a b]`.
 */
export function verifyIdToken(standIn: Pick<CognitoStandIn, 'publicKey' | 'issuer' | 'clientId'>, token: string): Record<string, string> | undefined {
  const [header, payload, signature] = token.split('.');
  if (!header || !payload || !signature) return undefined;
  if (!createVerify('RSA-SHA256').update(`${header}.${payload}`).verify(standIn.publicKey, Buffer.from(signature, 'base64url'))) return undefined;
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  if (claims.iss !== standIn.issuer || claims.aud !== standIn.clientId || claims.token_use !== 'id' || Number(claims.exp) * 1000 <= Date.now()) return undefined;
  return Object.fromEntries(Object.entries(claims).map(([name, value]) => [name, Array.isArray(value) ? `[${value.join(' ')}]` : String(value)]));
}
