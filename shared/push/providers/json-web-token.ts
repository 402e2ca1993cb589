/**
 * Signs the two JWTs the providers need with node:crypto alone: RS256 for Google's service-account
 * grant (FCM) and ES256 for APNs provider tokens. ES256 signatures must be the raw 64-byte r||s
 * form (JOSE), not DER, hence `dsaEncoding: 'ieee-p1363'`.
 */
import { createPrivateKey, sign, type KeyObject } from 'node:crypto';

export type JwtAlgorithm = 'RS256' | 'ES256';

export function signJwt(
  algorithm: JwtAlgorithm,
  privateKey: string | KeyObject,
  claims: Record<string, unknown>,
  header: Record<string, unknown> = {},
): string {
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signingInput = `${encode({ alg: algorithm, typ: 'JWT', ...header })}.${encode(claims)}`;
  const signature =
    algorithm === 'RS256'
      ? sign('sha256', Buffer.from(signingInput), key)
      : sign('sha256', Buffer.from(signingInput), { key, dsaEncoding: 'ieee-p1363' });
  return `${signingInput}.${signature.toString('base64url')}`;
}
